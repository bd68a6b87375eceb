/**
 * Mutant: checks the notification token's signature and lifetime, but not its audience.
 *
 * The real defect: `jwtVerify(token, keys)` with no `audience` option (or .NET's
 * `ValidateAudience = false`, set to get a tunnel working). Graph signs the notifications of every
 * application with the same published keys, so a token Graph issued for another app (a notification
 * meant for another bot, replayed here) passes. The calling-notifications article: "You must also
 * check whether audience matches your App ID".
 */
import { referenceBehaviour } from '../reference/behaviour.js';
import type { BotBehaviour } from '../reference/behaviour.js';
import { runMutant } from '../reference/run-mutant.js';
import { isRecord } from '../reference/json.js';

/** The token's `aud` claim, read without verifying anything (only to say when the missing check mattered). */
function audienceOf(authorization: string | undefined): unknown {
  const payload = /^Bearer\s+[^.]+\.([^.]+)\./i.exec(authorization ?? '')?.[1];
  try {
    const claims: unknown = payload === undefined ? undefined : JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return isRecord(claims) ? claims.aud : undefined;
  } catch {
    return undefined;
  }
}

const verifyWithoutAudience: BotBehaviour['verifyNotificationToken'] = async (authorization, expected) => {
  const audience = audienceOf(authorization);
  if (typeof audience !== 'string' || audience === expected.appId) return referenceBehaviour.verifyNotificationToken(authorization, expected);
  // Verified as if it were addressed to this bot: every other check still applies.
  return referenceBehaviour.verifyNotificationToken(authorization, { ...expected, appId: audience, verified: undefined });
};

await runMutant('skips-audience-check', { verifyNotificationToken: verifyWithoutAudience });
