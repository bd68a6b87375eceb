/**
 * The roster reducer: folds participants notifications into a Roster. Pure functions only.
 *
 * 001 shows each roster notification twice, «禁用增量名单 (默认)» "delta roster disabled
 * (default)" and «已启用增量名单» "delta roster enabled". Disabled, resourceData is the complete
 * roster: an array of participants. Enabled, it is an array of `deltaParticipants`, each
 * `{participants: [...], sequenceNumber}`, whose participants may carry `rosterSequenceNumber`
 * ("the roster sequence number in which the participant was last updated") and `removedState`
 * (the participant left the roster).
 */
import { isRecord, readInteger, readString, type JsonObject } from './json.js';
import type { ParticipantChange, ParticipantView, Roster, RosterUpdate } from './model.js';

export const emptyRoster: Roster = { participants: new Map(), sequenceNumbers: new Map() };

/** Reads a participants notification's resourceData (always a list, see parseNotifications.ts). */
export function readRosterUpdate(resourceData: unknown[]): RosterUpdate {
  const deltas = resourceData.filter(isDeltaParticipants);
  if (deltas.length === 0) {
    return { kind: 'complete', participants: resourceData.flatMap((p) => readParticipant(p) ?? []) };
  }
  const changes = deltas.flatMap(({ participants, sequenceNumber }) => {
    const deltaSequenceNumber = readInteger(sequenceNumber);
    const list = Array.isArray(participants) ? participants : [];
    return list.flatMap((raw) => readParticipantChange(raw, deltaSequenceNumber) ?? []);
  });
  return { kind: 'delta', changes };
}

function isDeltaParticipants(item: unknown): item is JsonObject {
  if (!isRecord(item)) return false;
  const type = item['@odata.type'];
  return Array.isArray(item.participants) || (typeof type === 'string' && /deltaParticipants$/i.test(type));
}

function readParticipantChange(
  raw: unknown,
  deltaSequenceNumber: number | undefined,
): ParticipantChange | undefined {
  const participant = readParticipant(raw);
  if (!participant) return undefined;
  const { rosterSequenceNumber, removedState } = raw as JsonObject;
  const sequenceNumber = readInteger(rosterSequenceNumber) ?? deltaSequenceNumber;
  return {
    participant,
    ...(sequenceNumber !== undefined && { sequenceNumber }),
    removed: removedState !== undefined && removedState !== null,
  };
}

/**
 * One participant as the bot tracks it. `isMuted` is "client or server muted" (participant
 * resource); 001's rosters also show `serverMuted` per media stream, so a server-muted audio
 * stream counts as muted too.
 */
export function readParticipant(raw: unknown): ParticipantView | undefined {
  if (!isRecord(raw)) return undefined;
  const id = readString(raw.id);
  if (id === undefined) return undefined;
  const streams = Array.isArray(raw.mediaStreams) ? raw.mediaStreams.filter(isRecord) : [];
  const serverMuted = streams.some((s) => s.mediaType === 'audio' && s.serverMuted === true);
  const identity = isRecord(raw.info) && isRecord(raw.info.identity) ? raw.info.identity : undefined;
  const application = identity && isRecord(identity.application) ? identity.application : undefined;
  const applicationId = application && readString(application.id);
  const isApplication = application !== undefined || (identity !== undefined && isRecord(identity.applicationInstance));
  return {
    id,
    isInLobby: raw.isInLobby === true,
    isMuted: raw.isMuted === true || serverMuted,
    ...(applicationId !== undefined && { applicationId }),
    ...(isApplication && { isApplication }),
  };
}

export function applyRoster(roster: Roster, update: RosterUpdate): Roster {
  if (update.kind === 'complete') {
    const participants = new Map(update.participants.map((p) => [p.id, p]));
    return { participants, sequenceNumbers: new Map() };
  }
  return update.changes.reduce(
    (current, change) => (isNewer(current, change) ? applyParticipantChange(current, change) : current),
    roster,
  );
}

/**
 * A delta is applied only if it is newer than the last one applied for that participant: deltas
 * may arrive late, and a late delta that is still newer must be applied, a stale one ignored.
 * A delta without any sequence number can only be taken in arrival order.
 */
function isNewer(roster: Roster, change: ParticipantChange): boolean {
  const applied = roster.sequenceNumbers.get(change.participant.id);
  return change.sequenceNumber === undefined || applied === undefined || change.sequenceNumber > applied;
}

/** Applies one participant's change unconditionally. */
export function applyParticipantChange(roster: Roster, change: ParticipantChange): Roster {
  const { participant, sequenceNumber, removed } = change;
  const participants = new Map(roster.participants);
  if (removed) participants.delete(participant.id);
  else participants.set(participant.id, participant);
  const sequenceNumbers = new Map(roster.sequenceNumbers);
  if (sequenceNumber !== undefined) sequenceNumbers.set(participant.id, sequenceNumber);
  return { participants, sequenceNumbers };
}
