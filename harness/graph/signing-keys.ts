import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { importJWK, type JWK } from 'jose';

/** Key material of one run: RSA key that signs notifications, secret that signs access tokens. */
export interface RunKeys {
  /** Private JWK (RS256) with `kid`. */
  notificationKey: JWK;
  /** HS256 secret (base64url) for the access tokens the token endpoint issues. */
  tokenSecret: string;
}

/** The variable through which every process of a run (CLI, Playwright runner, workers) shares its keys. */
export const RUN_KEYS_ENV = 'CONFCALL_RUN_KEYS';

/** Makes fresh key material for a run (synchronously: Playwright's config cannot await). */
export function generateRunKeys(): RunKeys {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' }) as JWK;
  const kid = createHash('sha256').update(jwk.n ?? '').digest('base64url').slice(0, 16);
  return { notificationKey: { ...jwk, kid, alg: 'RS256', use: 'sig' }, tokenSecret: randomBytes(32).toString('base64url') };
}

/** The run's keys from the environment, creating and publishing them there when absent. */
export function runKeysFromEnv(env: NodeJS.ProcessEnv = process.env): RunKeys {
  const shared = env[RUN_KEYS_ENV];
  if (shared) return JSON.parse(shared) as RunKeys;
  const keys = generateRunKeys();
  env[RUN_KEYS_ENV] = JSON.stringify(keys);
  return keys;
}

/** The public half of the notification key, as published in the JWKS. */
export function publicJwk(keys: RunKeys): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = keys.notificationKey;
  return pub;
}

/** The private notification key, imported for jose. */
export function notificationSigningKey(keys: RunKeys): ReturnType<typeof importJWK> {
  return importJWK(keys.notificationKey, 'RS256');
}
