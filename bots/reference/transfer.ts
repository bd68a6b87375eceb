/** Transfer: whether the bot may transfer a call, and the body it sends. Pure functions only. */
import { isRecord, type JsonObject } from './json.js';
import type { CallAction, CallRecord, TransferDecision } from './model.js';

/**
 * A group call: a meeting (the call JSON has `meetingInfo` or `chatInfo`) or a call to more than
 * one target.
 */
export function isGroupCall(call: JsonObject): boolean {
  const { meetingInfo, chatInfo, targets } = call;
  return isRecord(meetingInfo) || isRecord(chatInfo) || (Array.isArray(targets) && targets.length > 1);
}

/**
 * The body of `POST .../transfer` for a control request `{transferTarget, transferee?}`.
 * 003 example 5: «Для передачи из группового вызова требуется параметр transferee.»
 * "Transfer from a group call requires the transferee parameter." Without it Graph cannot know
 * whom to transfer, so the bot refuses rather than send a request bound to fail.
 */
export function transferRequest(call: CallRecord, request: JsonObject): TransferDecision {
  if (!isRecord(request.transferTarget)) return { ok: false, reason: 'transferTarget is required' };
  if (call.isGroupCall && !isRecord(request.transferee)) {
    return { ok: false, reason: 'a transfer from a group call needs a transferee' };
  }
  return { ok: true, body: { ...request, transferTarget: request.transferTarget } };
}

/**
 * What to do when a transfer failed. The call is established again (003: «Если передача вызова
 * завершается сбоем, состояние вызова будет иметь значение established.» "If the call transfer
 * fails, the call state will be established."), so it is still a live call with a caller on it:
 * the bot keeps it and makes no request. It must not hang up.
 */
export function onTransferFailed(_call: CallRecord): CallAction[] {
  return [];
}
