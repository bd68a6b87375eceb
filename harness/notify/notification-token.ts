import { SignJWT } from 'jose';
import { generateRunKeys, notificationSigningKey, unpublishedKeysFromEnv, type RunKeys } from '../graph/signing-keys.js';

/** Claims of the JWT that authenticates a notification, as Graph sends them. */
export interface NotificationClaims {
  audience: string;
  tenantId: string;
  issuer?: string;
}

const LIFETIME_SECONDS = 3600;
const REUSE_MARGIN_SECONDS = 300;

/**
 * Signs the notification bearer token. A token is reused until five minutes before it expires:
 * Graph does the same, and signing RS256 per notification would dominate delivery cost.
 */
export function notificationTokenSigner(keys: RunKeys): (claims: NotificationClaims) => Promise<string> {
  const cache = new Map<string, { token: string; renewAt: number }>();
  const key = notificationSigningKey(keys);
  return async ({ audience, tenantId, issuer = 'https://graph.microsoft.com' }) => {
    const cacheKey = `${audience}\n${tenantId}\n${issuer}`;
    const now = Math.floor(Date.now() / 1000);
    const cached = cache.get(cacheKey);
    if (cached && cached.renewAt > now) return cached.token;
    const token = await new SignJWT({ tid: tenantId })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: keys.notificationKey.kid! })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(now)
      .setNotBefore(now - 5)
      .setExpirationTime(now + LIFETIME_SECONDS)
      .sign(await key);
    cache.set(cacheKey, { token, renewAt: now + LIFETIME_SECONDS - REUSE_MARGIN_SECONDS });
    return token;
  };
}

/** Ways a notification token can be wrong; a bot must refuse each with 401 or 403 and do nothing. */
export const FORGERIES = ['none', 'bad-signature', 'unknown-kid', 'wrong-audience', 'wrong-issuer', 'expired', 'not-yet-valid', 'no-tid', 'alg-none'] as const;
export type Forgery = (typeof FORGERIES)[number];

/** A forged bearer token (undefined for `none`: no Authorization header at all). */
export async function forgeNotificationToken(keys: RunKeys, { audience, tenantId, issuer = 'https://graph.microsoft.com' }: NotificationClaims, forgery: Forgery): Promise<string | undefined> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = { tid: tenantId };
  let aud = audience;
  let iss = issuer;
  let [iat, nbf, exp] = [now, now - 5, now + LIFETIME_SECONDS];
  switch (forgery) {
    case 'none':
      return undefined;
    case 'alg-none': {
      const encode = (part: object): string => Buffer.from(JSON.stringify(part)).toString('base64url');
      return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ ...claims, iss, aud, iat, nbf, exp })}.`;
    }
    case 'wrong-audience':
      aud = '00000000-0000-0000-0000-000000000000';
      break;
    case 'wrong-issuer':
      iss = 'https://sts.example.invalid';
      break;
    case 'expired':
      [iat, nbf, exp] = [now - 7200, now - 7200, now - 3600];
      break;
    case 'not-yet-valid':
      [iat, nbf, exp] = [now, now + 3600, now + 7200];
      break;
    case 'no-tid':
      delete claims.tid;
      break;
  }
  const signingKeys = forgery === 'unknown-kid' ? unpublishedKeys() : keys;
  const kid = forgery === 'unknown-kid' ? 'not-published' : keys.notificationKey.kid!;
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
    .setIssuer(iss)
    .setAudience(aud)
    .setIssuedAt(iat)
    .setNotBefore(nbf)
    .setExpirationTime(exp)
    .sign(await notificationSigningKey(signingKeys));
  if (forgery !== 'bad-signature') return token;
  // Same header and claims, a signature that is not theirs.
  const [header, payload, signature] = token.split('.');
  const flipped = Buffer.from(signature!, 'base64url');
  flipped[0] = flipped[0]! ^ 0xff;
  return `${header}.${payload}.${flipped.toString('base64url')}`;
}

let unpublished: RunKeys | undefined;

/**
 * A key pair the JWKS does not publish: the one `confcall run` made beforehand (graph/signing-keys.ts
 * publishRunKeys), else made once per process. An RSA key pair takes 100 ms or more of blocked event
 * loop, which per forged notification stalled exploration and delayed the deliveries around it.
 */
function unpublishedKeys(): RunKeys {
  unpublished ??= unpublishedKeysFromEnv() ?? generateRunKeys();
  return unpublished;
}

/** The signing half of a run context: valid tokens, and each forgery, from the run's keys. */
export function notificationSigners(keys: RunKeys): {
  signNotification: (claims: NotificationClaims) => Promise<string>;
  forgeNotification: (claims: NotificationClaims, forgery: Forgery) => Promise<string | undefined>;
} {
  return { signNotification: notificationTokenSigner(keys), forgeNotification: (claims, forgery) => forgeNotificationToken(keys, claims, forgery) };
}
