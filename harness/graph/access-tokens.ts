import { SignJWT, jwtVerify } from 'jose';
import type { RunKeys } from './signing-keys.js';

const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
const LIFETIME_SECONDS = 3599;

/** Issues the client-credentials access token the bot then presents to the fake Graph. */
export async function issueAccessToken(keys: RunKeys, appId: string, tenantId: string): Promise<{ token: string; expiresIn: number }> {
  const token = await new SignJWT({ appid: appId, tid: tenantId, roles: ['Calls.Initiate.All', 'Calls.JoinGroupCall.All', 'Calls.AccessMedia.All'] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(`https://sts.windows.net/${tenantId}/`)
    .setAudience(GRAPH_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${LIFETIME_SECONDS}s`)
    .sign(secretOf(keys));
  return { token, expiresIn: LIFETIME_SECONDS };
}

/** Why a bearer token was refused, or undefined when it is one the token endpoint issued and still valid. */
export async function refuseAccessToken(keys: RunKeys, authorization: string | undefined): Promise<string | undefined> {
  if (!authorization) return 'no Authorization header';
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!match) return 'Authorization is not a Bearer token';
  try {
    await jwtVerify(match[1]!, secretOf(keys), { audience: GRAPH_AUDIENCE, algorithms: ['HS256'] });
    return undefined;
  } catch (error) {
    return `bearer token not issued by this Graph or expired (${(error as Error).message})`;
  }
}

const secrets = new WeakMap<RunKeys, Uint8Array>();
function secretOf(keys: RunKeys): Uint8Array {
  let secret = secrets.get(keys);
  if (!secret) secrets.set(keys, (secret = Buffer.from(keys.tokenSecret, 'base64url')));
  return secret;
}
