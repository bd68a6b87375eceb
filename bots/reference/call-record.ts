/** New call records: for an incoming-call notification, and for a call the bot created. */
import { readCallState } from './call-state.js';
import { isRecordingInvitation } from './compliance-recording.js';
import { isRecord, readString, type JsonObject } from './json.js';
import type { CallRecord, ResultInfo } from './model.js';
import { emptyRoster } from './roster.js';
import { isGroupCall } from './transfer.js';

/** A call announced by an incoming-call notification (`created`, state `incoming`). */
export function incomingCall(callId: string, resourceData: unknown[]): CallRecord {
  const call = resourceData.find(isRecord) ?? {};
  const myParticipantId = readString(call.myParticipantId);
  return {
    id: callId,
    direction: 'incoming',
    status: { state: 'incoming' },
    roster: emptyRoster,
    ...(myParticipantId !== undefined && { myParticipantId }),
    isGroupCall: isGroupCall(call),
    answerRequested: false,
    greetingRequested: false,
    isRecordingInvitation: isRecordingInvitation(call),
    recordingReported: false,
    toneSubscriptionRequested: false,
    leaveRequested: false,
  };
}

/**
 * The create-call body the bot POSTs for a control request: the caller's Graph call, with the
 * bot's own callbackUri, since notifications about this call must come to this bot.
 */
export function callRequestBody(request: JsonObject, callbackUri: string): JsonObject {
  return { ...request, callbackUri };
}

/** A call the bot created: `request` is what it POSTed, `created` the 201 body. */
export function outgoingCall(
  request: JsonObject,
  created: JsonObject & { id: string },
  readResultInfo: (raw: unknown) => ResultInfo | undefined,
): CallRecord {
  const resultInfo = readResultInfo(created.resultInfo);
  const myParticipantId = readString(created.myParticipantId);
  return {
    id: created.id,
    direction: 'outgoing',
    // 001: the 201 answers with "state": "establishing"
    status: { state: readCallState(created.state) ?? 'establishing', ...(resultInfo && { resultInfo }) },
    roster: emptyRoster,
    ...(myParticipantId !== undefined && { myParticipantId }),
    isGroupCall: isGroupCall(request) || isGroupCall(created),
    answerRequested: false,
    greetingRequested: false,
    isRecordingInvitation: false,
    recordingReported: false,
    toneSubscriptionRequested: false,
    leaveRequested: false,
  };
}
