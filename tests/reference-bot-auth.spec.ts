/**
 * The reference bot remembers notification tokens that passed every check, so Graph's reused token
 * is verified once; nothing else may get through on that memory.
 */
import { test, expect } from '@playwright/test';
import { createLocalJWKSet, type JWTVerifyGetKey } from 'jose';
import { generateRunKeys, publicJwk } from '../harness/graph/signing-keys.js';
import { FORGERIES, forgeNotificationToken, notificationTokenSigner } from '../harness/notify/notification-token.js';
import { verifyNotificationToken, type VerifiedTokens } from '../bots/reference/inbound-auth.js';

const keys = generateRunKeys();
const claims = { audience: '11111111-2222-3333-4444-555555555555', tenantId: 'aa67bd4c-8475-432d-bd41-39f255720e0a' };

/** The run's JWKS, counting how often a signature had to be checked. */
function countingKeys(): { keys: JWTVerifyGetKey; lookups: () => number } {
  const local = createLocalJWKSet({ keys: [publicJwk(keys)] });
  let lookups = 0;
  return { keys: (header, token) => (lookups++, local(header, token)), lookups: () => lookups };
}

test('a reused token is verified once, then answered from memory until it expires', async () => {
  const { keys: jwks, lookups } = countingKeys();
  const verified: VerifiedTokens = new Map();
  const token = await notificationTokenSigner(keys)(claims);
  for (let i = 0; i < 3; i++) {
    expect(await verifyNotificationToken(`Bearer ${token}`, { keys: jwks, appId: claims.audience, verified })).toEqual({ ok: true, tenantId: claims.tenantId });
  }
  expect(lookups()).toBe(1);
  expect([...verified.keys()]).toEqual([token]);
});

test('every forgery is refused although a genuine token is remembered', async () => {
  const { keys: jwks } = countingKeys();
  const verified: VerifiedTokens = new Map();
  const genuine = await notificationTokenSigner(keys)(claims);
  expect((await verifyNotificationToken(`Bearer ${genuine}`, { keys: jwks, appId: claims.audience, verified })).ok).toBe(true);
  for (const forgery of FORGERIES) {
    const forged = await forgeNotificationToken(keys, claims, forgery);
    const check = await verifyNotificationToken(forged === undefined ? undefined : `Bearer ${forged}`, { keys: jwks, appId: claims.audience, verified });
    expect(check.ok, forgery).toBe(false);
  }
  expect(verified.size).toBe(1);
});

test('a remembered token past its expiry is checked in full again', async () => {
  const { keys: jwks, lookups } = countingKeys();
  const forged = (await forgeNotificationToken(keys, claims, 'bad-signature'))!;
  // As if this token had verified once and its exp had passed since: memory must not vouch for it.
  const verified: VerifiedTokens = new Map([[forged, { tenantId: claims.tenantId, expiresAt: Math.floor(Date.now() / 1000) - 1 }]]);
  expect((await verifyNotificationToken(`Bearer ${forged}`, { keys: jwks, appId: claims.audience, verified })).ok).toBe(false);
  expect(lookups()).toBe(1);
});
