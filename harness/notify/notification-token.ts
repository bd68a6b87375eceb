import { SignJWT } from 'jose';
import { notificationSigningKey, type RunKeys } from '../graph/signing-keys.js';

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
