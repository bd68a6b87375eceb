/**
 * The IVR's tone menu: once its greeting has played, the bot subscribes to DTMF tones; the caller
 * presses 1 to be transferred to the operator, 0 to end the call. Pure functions only; the
 * requests are made by call-actions.ts.
 */
import { isRecord, readInteger, readString } from './json.js';
import type { CallAction, CallRecord, ToneEvent } from './model.js';

export type { ToneEvent };

/** The menu: which key does what. Any other key is not a choice, and does nothing. */
const MENU: Readonly<Record<string, CallAction>> = {
  tone1: { kind: 'transferToOperator' },
  tone0: { kind: 'hangUp' },
};

/** The operator callers are transferred to: the bot's own configuration, as its greeting is. */
const OPERATOR_USER_ID = '7b1b2f5e-9d1c-4c5e-a3c0-3f7c1e0d9a11';

/** A call update's `toneInfo` as a ToneEvent; undefined when there is none or it is unreadable. */
export function readToneInfo(raw: unknown): ToneEvent | undefined {
  if (!isRecord(raw)) return undefined;
  const sequenceId = readInteger(raw.sequenceId);
  const tone = readString(raw.tone);
  return sequenceId === undefined || tone === undefined ? undefined : { sequenceId, tone: tone.toLowerCase() };
}

/**
 * Subscribe to tones after this operation notification? Once, when the greeting (the only prompt
 * this bot plays) has completed: call-playprompt.md's "Notification - operation completed" is a
 * playPromptOperation with status "completed". The menu listens only after the caller heard it.
 */
export function shouldSubscribeToTones(call: CallRecord, operation: unknown): boolean {
  if (!isRecord(operation) || !call.greetingRequested || call.toneSubscriptionRequested) return false;
  const type = readString(operation['@odata.type'])?.toLowerCase();
  return type === '#microsoft.graph.playpromptoperation' && readString(operation.status)?.toLowerCase() === 'completed';
}

/**
 * What one tone makes the bot do, if anything. A tone counts only in a call the bot subscribed to
 * tones in (call-subscribetotone.md: tones are notified after subscribeToTone), and only when it
 * is a new DTMF event: its sequenceId is above the last one heard. Notifications are delivered at
 * least once, so the same key press may come twice; it is still one key press.
 */
export function toneAction(call: CallRecord, tone: ToneEvent): CallAction | undefined {
  if (!call.toneSubscriptionRequested) return undefined;
  if (call.lastToneSequenceId !== undefined && tone.sequenceId <= call.lastToneSequenceId) return undefined;
  return MENU[tone.tone];
}

/** Body of `POST /communications/calls/{id}/subscribeToTone` (call-subscribetotone.md: clientContext only). */
export function subscribeToTonesBody(callId: string): object {
  return { clientContext: `tones:${callId}` };
}

/** Body of `POST /communications/calls/{id}/transfer` to the operator (003 example 1: a transferTarget, no transferee in a peer-to-peer call). */
export function operatorTransferBody(): object {
  return {
    transferTarget: {
      '@odata.type': '#microsoft.graph.invitationParticipantInfo',
      endpointType: 'default',
      identity: {
        '@odata.type': '#microsoft.graph.identitySet',
        user: { '@odata.type': '#microsoft.graph.identity', id: OPERATOR_USER_ID, displayName: 'Operator' },
      },
    },
  };
}
