/**
 * Mutant: builds the transfer body from transferTarget alone.
 *
 * The real defect: transfer code written for peer-to-peer calls (003 examples 1-4). From a group
 * call, "Transfer from a group call requires the transferee parameter" (003 example 5); this bot
 * neither refuses a group-call transfer without one nor forwards the transferee it was given.
 */
import { isRecord, type JsonObject } from '../reference/json.js';
import type { CallRecord, TransferDecision } from '../reference/model.js';
import { runMutant } from '../reference/run-mutant.js';

function transferTargetOnly(_call: CallRecord, request: JsonObject): TransferDecision {
  if (!isRecord(request.transferTarget)) return { ok: false, reason: 'transferTarget is required' };
  return { ok: true, body: { transferTarget: request.transferTarget } };
}

await runMutant('drops-transferee', { transferRequest: transferTargetOnly });
