/**
 * How an exploration is named outside its run: the test title of a licence level, and the replay
 * token a failing schedule prints. Its own module, with no imports to run: Playwright's runner
 * declares the tests and `confcall run` checks `--replay` with these alone, and neither should load
 * exploration itself (fast-check, the scenario run, undici) to do it.
 */
import type { LicenceLevel } from '../order/schedule.js';

/** The name of a level's test: `· any documented order`, `· duplicates, any order, delays`. */
export function levelTitle(level: LicenceLevel): string {
  return level === 'documented' ? 'any documented order' : 'duplicates, any order, delays';
}

/** `suite/scenario@level:seed:index:path`, the replay token of a shrunk failure. */
export function parseReplayToken(token: string): { scenario: string; level: LicenceLevel; seed: number; index: number; path: string } {
  const m = /^([a-z0-9-]+\/[a-z0-9-]+)@(documented|robustness):(-?\d+):(\d+):([\d:]+)$/.exec(token);
  if (!m) throw new Error(`"${token}" is not a replay token; it looks like suite/scenario@documented:SEED:INDEX:PATH (printed with each failure)`);
  return { scenario: m[1]!, level: m[2] as LicenceLevel, seed: Number(m[3]), index: Number(m[4]), path: m[5]! };
}
