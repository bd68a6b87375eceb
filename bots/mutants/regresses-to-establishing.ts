/**
 * Mutant: applies every call-state update blindly, last write wins.
 *
 * The real defect: `call.state = notification.state`. Graph documents that "Call
 * establishing/established notifications may arrive out of order", so a late `establishing`
 * overwrites `established` and the bot believes a live call is still being set up (and never
 * starts whatever it does on an established call). It also lets late notifications revive a
 * terminated call.
 */
import type { CallStatus, CallUpdate } from '../reference/model.js';
import { referenceBehaviour } from '../reference/behaviour.js';
import { runMutant } from '../reference/run-mutant.js';

// Only the state is written blindly: the rest of the call's status is the reference bot's.
function applyCallUpdateBlindly(status: CallStatus, update: CallUpdate): CallStatus {
  const state = update.changeType === 'deleted' ? 'terminated' : (update.state ?? status.state);
  return { ...referenceBehaviour.applyCallUpdate(status, update), state };
}

await runMutant('regresses-to-establishing', { applyCallUpdate: applyCallUpdateBlindly });
