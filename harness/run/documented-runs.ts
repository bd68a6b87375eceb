/**
 * The documented runs of a Playwright worker's scenarios, shared between the tests that judge
 * against them. A scenario's documented test runs it in the documented order under the documented
 * quiet (scenario-run.ts `documentedSettleMs`); its payload-variants and exploration tests need that
 * very run as their baseline, and ran it again each (62 of a cold run's ~600 scenario runs). A test
 * whose scenario's documented run is not here (its documented test was filtered out by --grep or
 * --shard, skipped, or ran in a worker Playwright has since replaced) runs its own.
 */
import type { ScenarioResult } from './scenario-run.js';

/** A documented run, while it goes or once done, for the tests that take it after the one that ran it. */
export interface DocumentedRuns {
  /** Keeps `run` for `takers` later tests of scenario `key` (none: nothing is kept). */
  offer(key: string, run: Promise<ScenarioResult>, takers: number): void;
  /** The documented run of scenario `key` if one was offered and not yet taken by all its takers. */
  take(key: string): Promise<ScenarioResult> | undefined;
}

/** An empty store: one per worker, as the fake Graph and the notifier are. */
export function documentedRuns(): DocumentedRuns {
  const kept = new Map<string, { run: Promise<ScenarioResult>; left: number }>();
  return {
    offer(key, run, takers) {
      if (takers <= 0) return;
      run.catch(() => undefined); // its own test reports a failure; a taker that never comes must not make it unhandled
      kept.set(key, { run, left: takers });
    },
    take(key) {
      const entry = kept.get(key);
      if (!entry) return undefined;
      // The last taker frees it: a run's transcript is not kept for the worker's life.
      if (--entry.left <= 0) kept.delete(key);
      return entry.run;
    },
  };
}
