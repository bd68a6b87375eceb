import { createHash, generateKeyPair, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { importJWK, JWK } from 'jose';

/** Key material of one run: RSA key that signs notifications, secret that signs access tokens. */
export interface RunKeys {
  /** Private JWK (RS256) with `kid`. */
  notificationKey: JWK;
  /** HS256 secret (base64url) for the access tokens the token endpoint issues. */
  tokenSecret: string;
}

/** The variable through which every process of a run (CLI, Playwright runner, workers) shares its keys. */
export const RUN_KEYS_ENV = 'CONFCALL_RUN_KEYS';

/** The variable holding a key pair the JWKS does not publish (forged `unknown-kid` tokens), made beside the run's keys. */
export const UNPUBLISHED_KEYS_ENV = 'CONFCALL_UNPUBLISHED_KEYS';

/** Makes fresh key material for a run (synchronously: Playwright's config cannot await). */
export function generateRunKeys(): RunKeys {
  return runKeysOf(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
}

/**
 * Makes the run's keys and the unpublished pair on libuv's threads and publishes both in `env` for
 * Playwright's processes (those already there are kept). An RSA key pair takes 100 to 500 ms of CPU on
 * a busy 2-core machine: made here, it overlaps `confcall run` reading its inputs, instead of blocking
 * the CLI and, for the unpublished pair, a test in the worker.
 */
export async function publishRunKeys(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const generate = async (): Promise<string> => JSON.stringify(runKeysOf((await promisify(generateKeyPair)('rsa', { modulusLength: 2048 })).privateKey));
  const [run, unpublished] = await Promise.all([env[RUN_KEYS_ENV] ?? generate(), env[UNPUBLISHED_KEYS_ENV] ?? generate()]);
  Object.assign(env, { [RUN_KEYS_ENV]: run, [UNPUBLISHED_KEYS_ENV]: unpublished });
}

/** The unpublished pair `confcall run` made (see publishRunKeys), if any. */
export function unpublishedKeysFromEnv(env: NodeJS.ProcessEnv = process.env): RunKeys | undefined {
  const shared = env[UNPUBLISHED_KEYS_ENV];
  return shared ? (JSON.parse(shared) as RunKeys) : undefined;
}

/** A run's key material around an RSA private key. */
function runKeysOf(privateKey: KeyObject): RunKeys {
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

/**
 * The private notification key, imported for jose. jose is loaded here, on use: `confcall run` makes and
 * publishes the keys with node:crypto alone, and loading jose cost it about 55 ms of CPU at every start.
 */
export async function notificationSigningKey(keys: RunKeys): ReturnType<typeof importJWK> {
  const { importJWK: importKey } = await import('jose');
  return importKey(keys.notificationKey, 'RS256');
}
