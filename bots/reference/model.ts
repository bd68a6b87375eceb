/**
 * The bot's own view of its calls: the normalised shapes the reducers and decisions work on.
 * Raw Graph JSON never gets this far; parseNotifications.ts and the readers turn it into these.
 */
import type {
  CallState as GraphCallState,
  ChangeType,
  InvitationParticipantInfo,
  ParticipantInfo,
} from '@microsoft/microsoft-graph-types-beta';

export type { ChangeType };

/** A call state the bot understands. `unknownFutureValue` and unknown strings are read as "no state". */
export type CallState = Exclude<GraphCallState, 'unknownFutureValue'>;

/** `resultInfo` with numbers, whatever form arrived (`"200"`, `subCode`, ...). */
export interface ResultInfo {
  code: number;
  subcode: number;
  message?: string;
}

/** What the call-state reducer keeps. */
export interface CallStatus {
  state: CallState;
  /** The last resultInfo seen on an applied update. */
  resultInfo?: ResultInfo;
  /** A member outside the schema, seen on consultative transfer completion: "AppTransferred". */
  terminationReason?: string;
  /**
   * The last transfer failed. A late copy of that attempt's transferring/transferAccepted is then
   * stale; a new transfer request clears it (see startTransferAttempt).
   */
  transferFailed?: boolean;
}

/**
 * One DTMF event. toneinfo.md: sequenceId, "An incremental identifier used for ordering DTMF
 * events."; tone, one of tone0..tone9, star, pound, a, b, c, d, flash (lower-cased here).
 */
export interface ToneEvent {
  sequenceId: number;
  tone: string;
}

/** One call notification item, reduced to what the call-state reducer needs. */
export interface CallUpdate {
  changeType: ChangeType;
  state?: CallState;
  resultInfo?: ResultInfo;
  terminationReason?: string;
  /** A DTMF tone the update carries (call-subscribetotone.md: a call update with toneInfo). */
  tone?: ToneEvent;
}

/** One roster entry, as the probe shows it (plus the identity needed to recognise the bot itself). */
export interface ParticipantView {
  id: string;
  isInLobby: boolean;
  isMuted: boolean;
  /** `info.identity.application.id`, when the participant is an application. */
  applicationId?: string;
  /** The participant is an application (a bot): its identity is `application` or `applicationInstance`. */
  isApplication?: boolean;
}

export interface Roster {
  participants: ReadonlyMap<string, ParticipantView>;
  /**
   * Newest delta sequence number applied per participant id. Kept after a removal, so that a
   * stale delta cannot bring a removed participant back.
   */
  sequenceNumbers: ReadonlyMap<string, number>;
}

/** A participants notification: the complete roster (the default) or delta-roster changes. */
export type RosterUpdate =
  | { kind: 'complete'; participants: ParticipantView[] }
  | { kind: 'delta'; changes: ParticipantChange[] };

export interface ParticipantChange {
  participant: ParticipantView;
  /** `rosterSequenceNumber`, else the carrying `deltaParticipants.sequenceNumber`; absent if neither. */
  sequenceNumber?: number;
  /** The participant carried `removedState`: it left the roster. */
  removed: boolean;
}

/** Everything the bot knows about one call. Immutable: reducers return a new record. */
export interface CallRecord {
  /** The id as Graph spells it in the 201 or the incoming-call notification. */
  id: string;
  direction: 'incoming' | 'outgoing';
  status: CallStatus;
  roster: Roster;
  myParticipantId?: string;
  /** Created with meetingInfo/chatInfo or more than one target. */
  isGroupCall: boolean;
  /** The bot has sent (or is sending) the answer for this call. */
  answerRequested: boolean;
  /** The bot has sent (or is sending) the greeting prompt for this call. */
  greetingRequested: boolean;
  /** The call is a policy-based recording invitation: the bot is its recorder. */
  isRecordingInvitation: boolean;
  /** The bot has reported (or is reporting) `recording` for this call. */
  recordingReported: boolean;
  /** The bot has left (or is leaving) the call on its own, the last human gone. */
  leaveRequested: boolean;
  /** The bot has subscribed (or is subscribing) to this call's DTMF tones. */
  toneSubscriptionRequested: boolean;
  /** The sequenceId of the newest tone heard in this call: an older or equal one is no new key press. */
  lastToneSequenceId?: number;
  /** The participant the bot last put on hold and has not taken off hold. */
  participantOnHold?: string;
}

/** A request the bot decides to make on its own, in reaction to a notification. */
export type CallAction =
  | { kind: 'answer' }
  | { kind: 'hangUp' }
  | { kind: 'playGreeting' }
  | { kind: 'reportRecording' }
  | { kind: 'subscribeToTones' }
  | { kind: 'transferToOperator' };

/** One Graph request of a hold-music control action. */
export type HoldMusicStep =
  | { kind: 'stopHoldMusic'; participantId: string }
  | { kind: 'startHoldMusic'; participantId: string };

/** Body of `POST /communications/calls/{id}/transfer` (003 transfer: transferTarget, transferee). */
export interface TransferRequestBody {
  transferTarget: InvitationParticipantInfo;
  transferee?: ParticipantInfo;
  [member: string]: unknown;
}

export type TransferDecision =
  | { ok: true; body: TransferRequestBody }
  | { ok: false; reason: string };
