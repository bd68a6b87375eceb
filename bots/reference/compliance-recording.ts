/**
 * Compliance (policy-based) recording: the bot is invited into a call to record it, and tells Teams
 * that it records before it persists any media. Pure functions only; the request is made by
 * call-actions.ts.
 */
import { isRecord } from './json.js';
import type { CallRecord, CallUpdate } from './model.js';

/**
 * Is an incoming call a policy-based recording invitation? call-answer.md Example 3 ("policy-based
 * recording") marks it in the call's applicationMetadata: botData.inviteReasons ["PolicyBasedRecording"].
 */
export function isRecordingInvitation(call: unknown): boolean {
  if (!isRecord(call) || !isRecord(call.applicationMetadata)) return false;
  const botData = call.applicationMetadata.botData;
  const reasons = isRecord(botData) ? botData.inviteReasons : undefined;
  return Array.isArray(reasons) && reasons.some((r) => typeof r === 'string' && r.toLowerCase() === 'policybasedrecording');
}

/**
 * Report `recording` after this update? Once, when the recording call the bot answered is
 * established. call-updaterecordingstatus.md: "You may NOT use the Media Access API to record or
 * otherwise persist media content ... without first calling the updateRecordingStatus API to
 * indicate that recording has begun, and receiving a success reply from that API."
 */
export function shouldReportRecording(call: CallRecord, update: CallUpdate): boolean {
  return (
    call.isRecordingInvitation &&
    call.answerRequested &&
    !call.recordingReported &&
    update.state === 'established' &&
    call.status.state === 'established'
  );
}

/** Body of `POST /communications/calls/{id}/updateRecordingStatus` (status: notRecording | recording | failed). */
export function recordingStatusBody(callId: string): object {
  return { clientContext: `recording:${callId}`, status: 'recording' };
}
