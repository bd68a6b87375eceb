/**
 * Mutant: takes a `terminated` notification with a 4xx or 5xx resultInfo for a failure the call
 * survives, and keeps the call.
 *
 * The real defect: a bot that learnt from the transfer page that "code 500" means "it failed, the call
 * goes on" (003: a failed transfer is `established` with resultInfo 500/7000) applies that to every
 * update: `if (resultInfo.code >= 400) return; // failed, retry later`. But the call-delete page lists
 * 4xx and 5xx codes among the reasons a call ends ("Call end reason codes": 408/8537 "Keep Alive
 * timeout, cleaned up inactive call.", 500/1005 "Server encountered connectivity error with Bot's
 * media."), and real terminations carry them (microsoft-graph-comms-samples#667: terminated,
 * 500/7106). This bot keeps the ended call as live: it keeps it alive and acts on it, and every
 * request gets 404.
 */
import { referenceBehaviour } from '../reference/behaviour.js';
import type { BotBehaviour } from '../reference/behaviour.js';
import { runMutant } from '../reference/run-mutant.js';

const ignoreErrorEnds: BotBehaviour['applyCallUpdate'] = (status, update) => {
  const ends = update.changeType === 'deleted' || update.state === 'terminated';
  if (ends && (update.resultInfo?.code ?? 0) >= 400) return status; // "a failure: the call goes on"
  return referenceBehaviour.applyCallUpdate(status, update);
};

await runMutant('keeps-call-ended-with-error', { applyCallUpdate: ignoreErrorEnds });
