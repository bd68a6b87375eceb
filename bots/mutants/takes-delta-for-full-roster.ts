/**
 * Mutant: takes each delta roster for the whole roster.
 *
 * The real defect: not telling a delta roster (`deltaParticipants`, 001 "已启用增量名单", delta
 * roster enabled) from a full one. The delta names only who changed, so everyone it does not
 * mention vanishes from the bot's roster.
 */
import { referenceBehaviour } from '../reference/behaviour.js';
import type { Roster, RosterUpdate } from '../reference/model.js';
import { runMutant } from '../reference/run-mutant.js';

function applyDeltaAsFullRoster(roster: Roster, update: RosterUpdate): Roster {
  if (update.kind === 'complete') return referenceBehaviour.applyRoster(roster, update);
  const present = update.changes.filter((change) => !change.removed).map((change) => change.participant);
  return referenceBehaviour.applyRoster(roster, { kind: 'complete', participants: present });
}

await runMutant('takes-delta-for-full-roster', { applyRoster: applyDeltaAsFullRoster });
