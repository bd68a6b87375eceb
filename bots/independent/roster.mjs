/**
 * Participant rosters, pure. A roster is a Map id → {participant, seq, removed}.
 */

const DELTA = '#microsoft.graph.deltaParticipants';

/**
 * The roster after one participants notification (`resourceData` is an array). Items without
 * deltaParticipants are the whole roster and replace it; a delta's participants apply one by one,
 * by rosterSequenceNumber (else the delta's sequenceNumber), only when newer than what we hold;
 * `removedState` removes (the tombstone keeps its number so a stale re-add stays stale).
 */
export function applyRoster(roster, items) {
  if (!Array.isArray(items)) return roster; // the documents show participants resourceData only as an array
  const deltas = items.filter((item) => item?.['@odata.type'] === DELTA);
  if (deltas.length === 0) {
    const full = new Map();
    for (const p of items) if (p && typeof p.id === 'string') full.set(p.id, { participant: p, seq: Number(p.rosterSequenceNumber ?? -Infinity), removed: false });
    return full;
  }
  const next = new Map(roster);
  for (const delta of deltas) {
    for (const p of delta.participants ?? []) {
      if (!p || typeof p.id !== 'string') continue;
      const seq = Number(p.rosterSequenceNumber ?? delta.sequenceNumber ?? -Infinity);
      const held = next.get(p.id);
      if (held && seq <= held.seq) continue; // stale: a later update already applied
      next.set(p.id, { participant: p, seq, removed: Boolean(p.removedState) });
    }
  }
  return next;
}

/** The bot's own participant id: myParticipantId, else the roster entry whose identity is our application. */
export function ownParticipantId(myParticipantId, roster, appId) {
  if (myParticipantId) return myParticipantId;
  for (const [id, entry] of roster) if (!entry.removed && entry.participant.info?.identity?.application?.id === appId) return id;
  return undefined;
}

/** Whether the bot waits in the lobby (its own participant has isInLobby true). */
export function isBotInLobby(myParticipantId, roster, appId) {
  const own = roster.get(ownParticipantId(myParticipantId, roster, appId) ?? '');
  return Boolean(own && !own.removed && own.participant.isInLobby === true);
}

/** The probe's participants: the present ones, with isInLobby and isMuted as booleans. */
export function probeParticipants(roster) {
  return [...roster].filter(([, e]) => !e.removed).map(([id, e]) => ({ id, isInLobby: e.participant.isInLobby === true, isMuted: e.participant.isMuted === true }));
}
