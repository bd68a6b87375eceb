/**
 * Mutant: ignores `removedState` in delta rosters.
 *
 * The real defect: reading `deltaParticipants` as "participants to add or update". 001 marks a
 * participant who left the roster with `removedState`; this bot keeps everyone who ever joined,
 * and goes on treating people who hung up as present.
 */
import { referenceBehaviour } from '../reference/behaviour.js';
import type { Roster, RosterUpdate } from '../reference/model.js';
import { runMutant } from '../reference/run-mutant.js';

function applyRosterKeepingRemoved(roster: Roster, update: RosterUpdate): Roster {
  if (update.kind === 'complete') return referenceBehaviour.applyRoster(roster, update);
  return referenceBehaviour.applyRoster(roster, { kind: 'delta', changes: update.changes.map((change) => ({ ...change, removed: false })) });
}

await runMutant('ignores-removed-state', { applyRoster: applyRosterKeepingRemoved });
