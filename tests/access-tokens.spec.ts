/**
 * The fake Graph verifies a bot's access token once and then only checks its expiry: the cache must
 * not let through a token that was never verified, nor one that has expired since.
 */
import { test, expect } from '@playwright/test';
import { SignJWT } from 'jose';
import { isVerifiedAccessToken, issueAccessToken, refuseAccessToken } from '../harness/graph/access-tokens.js';
import { generateRunKeys } from '../harness/graph/signing-keys.js';

const keys = generateRunKeys();
const APP = '11111111-2222-3333-4444-555555555555';
const TENANT = 'aa67bd4c-8475-432d-bd41-39f255720e0a';

test('an issued token is accepted every time; a token with its signature changed is refused after it', async () => {
  const { token } = await issueAccessToken(keys, APP, TENANT);
  expect(await refuseAccessToken(keys, `Bearer ${token}`)).toBeUndefined();
  expect(await refuseAccessToken(keys, `Bearer ${token}`)).toBeUndefined();
  const [header, payload, signature] = token.split('.');
  const flipped = Buffer.from(signature!, 'base64url');
  flipped[0] = flipped[0]! ^ 0xff;
  expect(await refuseAccessToken(keys, `Bearer ${header}.${payload}.${flipped.toString('base64url')}`)).toMatch(/not issued by this Graph/);
  expect(await refuseAccessToken(generateRunKeys(), `Bearer ${token}`)).toMatch(/not issued by this Graph/);
});

test('a token verified while valid is refused once it has expired', async () => {
  const now = Math.floor(Date.now() / 1000);
  const shortLived = await new SignJWT({ appid: APP, tid: TENANT })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setAudience('https://graph.microsoft.com')
    .setIssuedAt(now)
    .setExpirationTime(now + 1)
    .sign(Buffer.from(keys.tokenSecret, 'base64url'));
  expect(await refuseAccessToken(keys, `Bearer ${shortLived}`)).toBeUndefined();
  await new Promise((r) => setTimeout(r, 2100));
  expect(await refuseAccessToken(keys, `Bearer ${shortLived}`)).toMatch(/expired|exp/);
});

test('isVerifiedAccessToken says yes only for a token refuseAccessToken accepted with these keys, and no once it has expired', async () => {
  const own = generateRunKeys();
  const { token } = await issueAccessToken(own, APP, TENANT);
  expect(isVerifiedAccessToken(own, `Bearer ${token}`)).toBe(false);
  expect(await refuseAccessToken(own, `Bearer ${token}`)).toBeUndefined();
  expect(isVerifiedAccessToken(own, `Bearer ${token}`)).toBe(true);
  expect(isVerifiedAccessToken(own, `bearer  ${token}`)).toBe(true);
  expect(isVerifiedAccessToken(own, token)).toBe(false);
  expect(isVerifiedAccessToken(own, undefined)).toBe(false);
  expect(isVerifiedAccessToken(generateRunKeys(), `Bearer ${token}`)).toBe(false);
  const now = Math.floor(Date.now() / 1000);
  const shortLived = await new SignJWT({ appid: APP, tid: TENANT }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setAudience('https://graph.microsoft.com').setIssuedAt(now).setExpirationTime(now + 1).sign(Buffer.from(own.tokenSecret, 'base64url'));
  expect(await refuseAccessToken(own, `Bearer ${shortLived}`)).toBeUndefined();
  expect(isVerifiedAccessToken(own, `Bearer ${shortLived}`)).toBe(true);
  await new Promise((r) => setTimeout(r, 2100));
  expect(isVerifiedAccessToken(own, `Bearer ${shortLived}`)).toBe(false);
});
