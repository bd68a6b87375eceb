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

/**
 * Whether `authorization` carries a token that already passed refuseAccessToken and has not expired:
 * a bot sends the same token with every request for an hour, so this is the common case, answered
 * without a promise (the fake Graph asks it first, and refuseAccessToken only when it says no).
 */
export function isVerifiedAccessToken(keys: RunKeys, authorization: string | undefined): boolean {
  if (authorization === undefined) return false;
  // The header as last found verified: a bot repeats it word for word, so neither the Bearer pattern
  // nor the hash of a token some hundred characters long is worked out again for each request.
  const last = lastVerified.get(keys);
  if (last !== undefined && last.authorization === authorization) return last.expiresAt > Date.now() / 1000;
  const token = bearerToken(authorization);
  const expiresAt = token === undefined ? undefined : verifiedTokens(keys).get(token);
  if (expiresAt === undefined) return false;
  lastVerified.set(keys, { authorization, expiresAt });
  return expiresAt > Date.now() / 1000;
}

const lastVerified = new WeakMap<RunKeys, { authorization: string; expiresAt: number }>();

/** Why a bearer token was refused, or undefined when it is one the token endpoint issued and still valid. */
export async function refuseAccessToken(keys: RunKeys, authorization: string | undefined): Promise<string | undefined> {
  if (!authorization) return 'no Authorization header';
  const token = bearerToken(authorization);
  if (token === undefined) return 'Authorization is not a Bearer token';
  // Verify a token once, then only its expiry.
  const verified = verifiedTokens(keys);
  const expiresAt = verified.get(token);
  if (expiresAt !== undefined && expiresAt > Date.now() / 1000) return undefined;
  try {
    const { payload } = await jwtVerify(token, secretOf(keys), { audience: GRAPH_AUDIENCE, algorithms: ['HS256'] });
    if (verified.size >= MAX_VERIFIED_TOKENS) verified.clear();
    if (typeof payload.exp === 'number') verified.set(token, payload.exp);
    return undefined;
  } catch (error) {
    return `bearer token not issued by this Graph or expired (${(error as Error).message})`;
  }
}

/** The token of `Bearer <token>` (the scheme in any case), or undefined when the header is not that. */
function bearerToken(authorization: string): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
}

/** Tokens kept as verified, at most: a bot fetching a token per request must not grow memory. */
const MAX_VERIFIED_TOKENS = 1000;
const verifiedByKeys = new WeakMap<RunKeys, Map<string, number>>();
/** Tokens that passed verification with these keys → their `exp` (seconds). */
function verifiedTokens(keys: RunKeys): Map<string, number> {
  let verified = verifiedByKeys.get(keys);
  if (!verified) verifiedByKeys.set(keys, (verified = new Map()));
  return verified;
}

const secrets = new WeakMap<RunKeys, Uint8Array>();
function secretOf(keys: RunKeys): Uint8Array {
  let secret = secrets.get(keys);
  if (!secret) secrets.set(keys, (secret = Buffer.from(keys.tokenSecret, 'base64url')));
  return secret;
}
