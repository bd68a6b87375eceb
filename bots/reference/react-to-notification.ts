/**
 * What one notification changes in a call, and which requests the bot makes in reaction.
 * Pure: the effects (Graph requests) are carried out by process-notification.ts.
 */
import type { BotBehaviour } from './behaviour.js';
import { isFailedTransfer, readCallState } from './call-state.js';
import { isRecord, readString } from './json.js';
import type { CallAction, CallRecord, CallUpdate, ChangeType } from './model.js';
import type { Notification } from './parse-notifications.js';
import { readRosterUpdate } from './roster.js';
import { readToneInfo, type ToneEvent } from './tones.js';

export interface Reaction {
  call: CallRecord;
  actions: CallAction[];
}

export function reactToNotification(
  call: CallRecord,
  notification: Notification,
  behaviour: BotBehaviour,
  botAppId: string,
): Reaction {
  switch (notification.resource.kind) {
    case 'call':
      return reactToCallUpdates(call, notification, behaviour, botAppId);
    case 'participants': {
      const update = readRosterUpdate(notification.resourceData);
      const next = { ...call, roster: behaviour.applyRoster(call.roster, update) };
      if (!behaviour.shouldLeaveWhenAlone(call, next)) return { call: next, actions: [] };
      return { call: { ...next, leaveRequested: true }, actions: [{ kind: 'hangUp' }] };
    }
    case 'operation': {
      // The greeting finished playing: the menu starts listening.
      if (!notification.resourceData.some((operation) => behaviour.shouldSubscribeToTones(call, operation))) return { call, actions: [] };
      return { call: { ...call, toneSubscriptionRequested: true }, actions: [{ kind: 'subscribeToTones' }] };
    }
    default:
      // An operation finishing (000: `deleted` on .../operations/{id}, status completed) or a
      // content-sharing session: nothing in the call changes, and `deleted` here is not the call.
      return { call, actions: [] };
  }
}

function reactToCallUpdates(
  call: CallRecord,
  notification: Notification,
  behaviour: BotBehaviour,
  botAppId: string,
): Reaction {
  const { changeType, resourceData } = notification;
  const actions: CallAction[] = [];
  let next = call;
  // A `deleted` notification may carry no resourceData at all (a rejected call).
  for (const data of resourceData.length > 0 ? resourceData : [{}]) {
    const update = readCallUpdate(changeType, data, behaviour);
    const before = next.status;
    next = { ...next, status: behaviour.applyCallUpdate(before, update) };
    const myParticipantId = isRecord(data) ? readString(data.myParticipantId) : undefined;
    if (next.myParticipantId === undefined && myParticipantId !== undefined) next = { ...next, myParticipantId };

    if (changeType === 'created' && update.state === 'incoming' && behaviour.shouldAnswer(next)) {
      next = { ...next, answerRequested: true };
      actions.push({ kind: 'answer' });
    }
    if (isFailedTransfer(before, update)) actions.push(...behaviour.onTransferFailed(next));
    if (behaviour.shouldPlayGreeting(next, update)) {
      next = { ...next, greetingRequested: true };
      actions.push({ kind: 'playGreeting' });
    }
    if (behaviour.shouldReportRecording(next, update)) {
      next = { ...next, recordingReported: true };
      actions.push({ kind: 'reportRecording' });
    }
    if (update.tone !== undefined) {
      const action = behaviour.toneAction(next, update.tone);
      if (action !== undefined) actions.push(action);
      next = heardTone(next, update.tone);
    }
  }
  // No request about a call that is over, and none while the bot waits in the lobby.
  if (behaviour.isCallOver(next.status) || behaviour.isWaitingInLobby(next, botAppId)) return { call: next, actions: [] };
  return { call: next, actions };
}

function readCallUpdate(changeType: ChangeType, data: unknown, behaviour: BotBehaviour): CallUpdate {
  if (!isRecord(data)) return { changeType };
  const state = readCallState(data.state);
  const resultInfo = behaviour.readResultInfo(data.resultInfo);
  const terminationReason = readString(data.terminationReason);
  const tone = readToneInfo(data.toneInfo);
  return {
    ...(tone !== undefined && { tone }),
    changeType,
    ...(state !== undefined && { state }),
    ...(resultInfo !== undefined && { resultInfo }),
    ...(terminationReason !== undefined && { terminationReason }),
  };
}

/** Remembers the newest tone of a call the bot listens to, so that a redelivered one is known as such. */
function heardTone(call: CallRecord, tone: ToneEvent): CallRecord {
  if (!call.toneSubscriptionRequested || (call.lastToneSequenceId ?? -Infinity) >= tone.sequenceId) return call;
  return { ...call, lastToneSequenceId: tone.sequenceId };
}
