/**
 * Mutant: applies every delta roster in arrival order, ignoring sequence numbers.
 *
 * The real defect: treating deltaParticipants as an ordered stream. Deltas can arrive late; a late
 * delta with an older sequenceNumber / rosterSequenceNumber then overwrites newer state, e.g. puts
 * an admitted participant back in the lobby or brings back one who left (removedState).
 */
import { referenceBehaviour } from '../reference/behaviour.js';
import type { Roster, RosterUpdate } from '../reference/model.js';
import { applyParticipantChange } from '../reference/roster.js';
import { runMutant } from '../reference/run-mutant.js';

function applyRosterInArrivalOrder(roster: Roster, update: RosterUpdate): Roster {
  if (update.kind === 'complete') return referenceBehaviour.applyRoster(roster, update);
  return update.changes.reduce(applyParticipantChange, roster);
}

await runMutant('applies-stale-delta-roster', { applyRoster: applyRosterInArrivalOrder });
