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
import { runMutant } from '../reference/run-mutant.js';

function applyCallUpdateBlindly(status: CallStatus, update: CallUpdate): CallStatus {
  const state = update.changeType === 'deleted' ? 'terminated' : (update.state ?? status.state);
  return {
    ...status,
    state,
    resultInfo: update.resultInfo ?? status.resultInfo,
    terminationReason: update.terminationReason ?? status.terminationReason,
  };
}

await runMutant('regresses-to-establishing', { applyCallUpdate: applyCallUpdateBlindly });
