/**
 * Mutant: keeps Graph waiting for its first notification's answer.
 *
 * The real defect: the bot validates the notification token against keys it fetches on first use,
 * over a slow link (here 5.5 s), before it answers the POST. Graph gives up after 5 s: "this means
 * the bot didn't respond within 5 seconds" (microsoft-graph-comms-samples#191). Every later
 * notification is quick, and the bot does everything right, only late.
 */
import { referenceBehaviour } from '../reference/behaviour.js';
import type { BotBehaviour } from '../reference/behaviour.js';
import { deviation, runMutant } from '../reference/run-mutant.js';

// Its answers are the reference bot's, only the first one late: the change says itself when it waits.
const coldKeyFetch = deviation('verifyNotificationToken');

const verifyAfterColdKeyFetch: BotBehaviour['verifyNotificationToken'] = async (authorization, expected) => {
  if (coldKeyFetch('waits 5.5 s for its keys before it answers its first notification')) await new Promise((resolve) => setTimeout(resolve, 5_500));
  return referenceBehaviour.verifyNotificationToken(authorization, expected);
};

await runMutant('slow-to-acknowledge', { verifyNotificationToken: verifyAfterColdKeyFetch });
