/**
 * Mutant: checks the notification token's signature, issuer, audience and tenant, but not its lifetime.
 *
 * The real defect: `ValidateLifetime = false` (.NET), or a jose/jsonwebtoken call with the clock
 * check tolerated away, set once when a server's clock skew made every token look expired, and never
 * set back. An expired token, or one not yet valid, passes: a notification captured once (from a log,
 * a proxy) can be replayed for as long as the keys live. The calling-notifications article:
 * "validate the token, ensure it has not expired, checking whether it has been signed by our
 * published openid configuration".
 */
import { jwtVerify } from 'jose';
import type { BotBehaviour } from '../reference/behaviour.js';
import { NOTIFICATION_ISSUERS } from '../reference/inbound-auth.js';
import { readString } from '../reference/json.js';
import { runMutant } from '../reference/run-mutant.js';

/** No clock check at all: any exp or nbf is tolerated. */
const NO_CLOCK_CHECK_SECONDS = Number.MAX_SAFE_INTEGER;

const verifyWithoutLifetime: BotBehaviour['verifyNotificationToken'] = async (authorization, expected) => {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (token === undefined) return { ok: false, reason: 'no "Authorization: Bearer" token' };
  try {
    const { payload } = await jwtVerify(token, expected.keys, {
      algorithms: ['RS256'],
      issuer: NOTIFICATION_ISSUERS,
      audience: expected.appId,
      clockTolerance: NO_CLOCK_CHECK_SECONDS,
    });
    const tenantId = readString(payload.tid);
    return tenantId === undefined ? { ok: false, reason: 'the token has no tid (tenant) claim' } : { ok: true, tenantId };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
};

await runMutant('skips-lifetime-check', { verifyNotificationToken: verifyWithoutLifetime });
