/**
 * The bot's decisions, gathered in one record so that each can be swapped for a broken version:
 * the mutants in bots/mutants/ each replace exactly one of these.
 */
import { answerBody, shouldAnswer } from './answer.js';
import { callRequestBody } from './call-record.js';
import { applyCallUpdate, isTerminal } from './call-state.js';
import { recordingStatusBody, shouldReportRecording } from './compliance-recording.js';
import { greetingBody, shouldPlayGreeting } from './greeting.js';
import { clientContextProblem, holdMusicPlan } from './hold-music.js';
import { verifyNotificationToken, type TokenCheck, type TokenExpectations } from './inbound-auth.js';
import { isWaitingInLobby } from './lobby.js';
import type {
  CallAction,
  CallRecord,
  CallStatus,
  CallUpdate,
  HoldMusicStep,
  ResultInfo,
  Roster,
  RosterUpdate,
  TransferDecision,
} from './model.js';
import type { JsonObject } from './json.js';
import { parseNotifications, type ParsedBody } from './parse-notifications.js';
import { readResultInfo } from './result-info.js';
import { applyRoster } from './roster.js';
import { onTransferFailed, transferRequest } from './transfer.js';
import { callAfterKeepAlive } from './keep-alive.js';
import { shouldLeaveWhenAlone } from './leave-when-alone.js';
import { operatorTransferBody, shouldSubscribeToTones, subscribeToTonesBody, toneAction, type ToneEvent } from './tones.js';

export interface BotBehaviour {
  /** Is this notification really from Graph? (`Authorization` header → verdict) */
  readonly verifyNotificationToken: (
    authorization: string | undefined,
    expected: TokenExpectations,
  ) => Promise<TokenCheck>;
  /** A notification POST body as a list of notifications (every item of `value[]`). */
  readonly parseNotifications: (body: unknown) => ParsedBody;
  /** A raw `resultInfo` as numbers. */
  readonly readResultInfo: (raw: unknown) => ResultInfo | undefined;
  /** The call-state reducer. */
  readonly applyCallUpdate: (status: CallStatus, update: CallUpdate) => CallStatus;
  /** Is the call over, so that the bot must not act on it any more? */
  readonly isCallOver: (status: CallStatus) => boolean;
  /** The roster reducer. */
  readonly applyRoster: (roster: Roster, update: RosterUpdate) => Roster;
  /** Answer the call an incoming-call notification announces? */
  readonly shouldAnswer: (call: CallRecord) => boolean;
  /** The Graph answer body. */
  readonly answerBody: (callbackUri: string) => object;
  /** The Graph create-call body for a control request. */
  readonly callRequestBody: (request: JsonObject, callbackUri: string) => JsonObject;
  /** What to do once a transfer has failed. */
  readonly onTransferFailed: (call: CallRecord) => CallAction[];
  /** The Graph requests that put a participant on hold. */
  readonly holdMusicPlan: (participantOnHold: string | undefined, participantId: string) => HoldMusicStep[];
  /** Why a hold-music clientContext is refused, or undefined when it is fine. */
  readonly clientContextProblem: (clientContext: unknown) => string | undefined;
  /** The Graph transfer body for a control request, or why the bot refuses it. */
  readonly transferRequest: (call: CallRecord, request: JsonObject) => TransferDecision;
  /** Is the bot itself waiting in the call's lobby (and so must not act)? */
  readonly isWaitingInLobby: (call: CallRecord, botAppId: string) => boolean;
  /** Play the greeting prompt after this update of the call (the call as updated)? */
  readonly shouldPlayGreeting: (call: CallRecord, update: CallUpdate) => boolean;
  /** The Graph playPrompt body of the greeting. */
  readonly greetingBody: (callbackUri: string, callId: string) => object;
  /** Report `recording` (updateRecordingStatus) after this update of a recording call? */
  readonly shouldReportRecording: (call: CallRecord, update: CallUpdate) => boolean;
  /** The Graph updateRecordingStatus body that reports `recording`. */
  readonly recordingStatusBody: (callId: string) => object;
  /** Subscribe to the call's tones after this operation notification (its resourceData item)? */
  readonly shouldSubscribeToTones: (call: CallRecord, operation: unknown) => boolean;
  /** The Graph subscribeToTone body. */
  readonly subscribeToTonesBody: (callId: string) => object;
  /** What a tone makes the bot do (the call as it was before the tone), if anything. */
  readonly toneAction: (call: CallRecord, tone: ToneEvent) => CallAction | undefined;
  /** The Graph transfer body that sends the caller to the operator. */
  readonly operatorTransferBody: () => object;
  /** Leave the call after this roster update (the call before and after it)? */
  readonly shouldLeaveWhenAlone: (before: CallRecord, after: CallRecord) => boolean;
  /** The call after Graph answered its keepAlive with this status (404: it has ended). */
  readonly callAfterKeepAlive: (call: CallRecord, graphStatus: number) => CallRecord;
}

export const referenceBehaviour: BotBehaviour = {
  verifyNotificationToken,
  parseNotifications,
  readResultInfo,
  applyCallUpdate,
  isCallOver: isTerminal,
  applyRoster,
  shouldAnswer,
  answerBody,
  callRequestBody,
  onTransferFailed,
  holdMusicPlan,
  clientContextProblem,
  transferRequest,
  isWaitingInLobby,
  shouldPlayGreeting,
  greetingBody,
  shouldReportRecording,
  recordingStatusBody,
  shouldSubscribeToTones,
  subscribeToTonesBody,
  toneAction,
  operatorTransferBody,
  callAfterKeepAlive,
  shouldLeaveWhenAlone,
};
