/**
 * What Graph holds about the run's call: the resource it created (the 201 body or the incoming
 * call's resourceData) updated by each call notification, and the roster the participants
 * notifications describe. The fake Graph answers `GET /communications/calls/{id}` with the
 * resource and GET of its participants with the roster (`truth-replies.ts`); the convergence
 * check compares a bot's final view with the whole truth.
 */
export interface CallTruth {
  resource?: Record<string, unknown>;
  /** Participant id → what the roster says of it; absent until a roster arrives. */
  roster?: Map<string, RosterEntry>;
}

export interface RosterEntry {
  isInLobby: boolean;
  isMuted: boolean;
  /** Sequence number of the delta that last changed it (full rosters: 0). */
  sequence: number;
  removed: boolean;
  /** The participant as the notification that last changed it showed it: GET of participants answers with it. */
  participant: Record<string, unknown>;
}

/** The truth after Graph answered a create request with `body`. */
export function truthFromCreated(truth: CallTruth, body: unknown): CallTruth {
  return isObject(body) ? { ...truth, resource: { ...body } } : truth;
}

/** The truth after one notification batch about the call: call items merge, rosters replace or apply deltas. */
export function applyNotificationToTruth(truth: CallTruth, notification: unknown, callId: string): CallTruth {
  const items = isObject(notification) && Array.isArray(notification.value) ? notification.value : [];
  let next = truth;
  for (const item of items) {
    if (!isObject(item)) continue;
    const url = String(item.resourceUrl ?? item.resource ?? '').replace(/^\//, '').toLowerCase();
    const call = `calls/${callId.toLowerCase()}`;
    if (url === `communications/${call}` || url === `app/${call}`) next = applyCallItem(next, item, callId);
    else if (url === `communications/${call}/participants` || url === `app/${call}/participants`) next = applyRosterItem(next, item);
  }
  return next;
}

/**
 * How far along its life a call is. Graph's truth never moves back: a late establishing does not
 * undo established ("may arrive out of order"), nothing revives a terminated call. States of one
 * rank replace each other (established ⇄ transferring: a failed transfer is established again).
 */
const LIFECYCLE: Record<string, number> = { incoming: 0, establishing: 1, ringing: 1, established: 2, hold: 2, transferring: 2, transferAccepted: 2, redirecting: 2, terminating: 3, terminated: 4 };

function applyCallItem(truth: CallTruth, item: Record<string, unknown>, callId: string): CallTruth {
  if (!isObject(item.resourceData)) return truth;
  const { '@odata.type': _type, '@odata.id': _id, '@odata.etag': _etag, ...changes } = item.resourceData;
  const before = truth.resource?.state as string | undefined;
  const state = item.changeType === 'deleted' ? 'terminated' : (changes.state as string | undefined);
  if (before === 'terminated') return truth;
  if (before !== undefined && state !== undefined && (LIFECYCLE[state] ?? -1) < (LIFECYCLE[before] ?? -1)) return truth;
  const resource: Record<string, unknown> = { '@odata.type': '#microsoft.graph.call', ...truth.resource, ...changes, id: callId };
  if (state !== undefined) resource.state = state;
  return { ...truth, resource };
}

function applyRosterItem(truth: CallTruth, item: Record<string, unknown>): CallTruth {
  const data = Array.isArray(item.resourceData) ? item.resourceData.filter(isObject) : [];
  const deltas = data.filter((d) => d['@odata.type'] === '#microsoft.graph.deltaParticipants');
  if (!deltas.length) {
    // Delta roster off (the documents' default): each notification is the whole roster.
    return { ...truth, roster: new Map(data.filter((p) => typeof p.id === 'string').map((p) => [p.id as string, entryOf(p, 0)])) };
  }
  const roster = new Map(truth.roster ?? []);
  for (const delta of deltas) {
    for (const p of Array.isArray(delta.participants) ? delta.participants.filter(isObject) : []) {
      if (typeof p.id !== 'string') continue;
      const sequence = Number(p.rosterSequenceNumber ?? delta.sequenceNumber ?? 0);
      const known = roster.get(p.id);
      // Per participant a sequence number only moves forward: a late, older delta changes nothing.
      if (known && known.sequence >= sequence) continue;
      roster.set(p.id, entryOf(p, sequence));
    }
  }
  return { ...truth, roster };
}

function entryOf(participant: Record<string, unknown>, sequence: number): RosterEntry {
  const removed = participant.removedState !== undefined && participant.removedState !== null;
  return { isInLobby: participant.isInLobby === true, isMuted: participant.isMuted === true, sequence, removed, participant };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
