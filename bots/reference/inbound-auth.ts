/**
 * Inbound authentication: every notification carries `Authorization: Bearer <JWT>` signed by
 * Graph. Samples' AuthenticationProvider: "The incoming token should be issued by graph."; the
 * calling-notifications article: "validate the token, ensure it has not expired, checking whether
 * it has been signed by our published openid configuration. You must also check whether audience
 * matches your App ID". A request without a tenant claim is rejected too ("No tenant claim given
 * to us. reject the request.").
 */
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { isRecord, readString } from './json.js';

export const NOTIFICATION_ISSUERS = ['https://graph.microsoft.com', 'https://api.botframework.com'];

/** Harness and bot share one clock on loopback; a few seconds absorb scheduling only. */
export const CLOCK_TOLERANCE_SECONDS = 5;

export interface TokenExpectations {
  /** Resolves the signing key of a token (see notificationSigningKeys). */
  keys: JWTVerifyGetKey;
  /** The audience: the bot's app id. */
  appId: string;
  /** Tokens that passed every check, until they expire (see rememberVerified). */
  verified?: VerifiedTokens;
}

/**
 * Graph reuses one notification token for many notifications. The same bytes carry the same
 * signature and claims, so a token that passed every check once passes them again until it
 * expires: remembering it spares an RS256 verification per notification. Only whole token strings
 * that verified are remembered; anything else (a forgery differs in at least one byte) is verified
 * in full.
 */
export type VerifiedTokens = Map<string, { tenantId: string; expiresAt: number }>;

/** Enough for every token Graph could have in use at once; the oldest is forgotten first. */
const MAX_REMEMBERED_TOKENS = 256;

export type TokenCheck = { ok: true; tenantId: string } | { ok: false; reason: string };

export async function verifyNotificationToken(
  authorization: string | undefined,
  expected: TokenExpectations,
): Promise<TokenCheck> {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (token === undefined) return { ok: false, reason: 'no "Authorization: Bearer" token' };
  const remembered = expected.verified?.get(token);
  if (remembered && Date.now() / 1000 < remembered.expiresAt) return { ok: true, tenantId: remembered.tenantId };
  try {
    const { payload } = await jwtVerify(token, expected.keys, {
      algorithms: ['RS256'],
      issuer: NOTIFICATION_ISSUERS,
      audience: expected.appId,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp'], // a token without exp would never expire
    });
    const tenantId = readString(payload.tid);
    if (tenantId === undefined) return { ok: false, reason: 'the token has no tid (tenant) claim' };
    if (expected.verified) rememberVerified(expected.verified, token, tenantId, payload.exp!);
    return { ok: true, tenantId };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

function rememberVerified(verified: VerifiedTokens, token: string, tenantId: string, expiresAt: number): void {
  if (verified.size >= MAX_REMEMBERED_TOKENS) verified.delete(verified.keys().next().value!);
  verified.set(token, { tenantId, expiresAt });
}

/**
 * The keys named by the OpenID configuration at `openIdConfigUrl`, fetched on first need and
 * cached. jose's remote key set refetches the JWKS by itself when a token names an unknown `kid`.
 * A failed fetch is not cached: the next notification tries again.
 */
export function notificationSigningKeys(openIdConfigUrl: string): JWTVerifyGetKey {
  let keySet: Promise<JWTVerifyGetKey> | undefined;
  return async (header, token) => {
    keySet ??= loadKeySet(openIdConfigUrl).catch((error: unknown) => {
      keySet = undefined;
      throw error;
    });
    return (await keySet)(header, token);
  };
}

async function loadKeySet(openIdConfigUrl: string): Promise<JWTVerifyGetKey> {
  const response = await fetch(openIdConfigUrl, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`OpenID configuration ${openIdConfigUrl} answered ${response.status}`);
  const document: unknown = await response.json();
  const jwksUri = isRecord(document) ? readString(document.jwks_uri) : undefined;
  if (jwksUri === undefined) throw new Error(`OpenID configuration ${openIdConfigUrl} has no jwks_uri`);
  return createRemoteJWKSet(new URL(jwksUri, openIdConfigUrl));
}
