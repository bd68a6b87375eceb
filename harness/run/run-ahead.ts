/**
 * Runs a Playwright worker's tests ahead of Playwright asking for them.
 *
 * A conformance test is almost all waiting (for the bot's requests, for quiet), and Playwright runs
 * one test at a time in a worker. Scenario runs need no worker of their own: each has fresh ids and
 * the fake Graph routes by call id, so many go at once against the one bot. So when Playwright starts
 * test i, the work of the tests declared after it starts too, up to `limit` at once, and each test
 * only reports what its work found. A test's work is the same whether it ran ahead or not: verdicts
 * do not depend on the limit (tests/parallel-run.spec.ts compares a serial run with a parallel one).
 */

/** One test's work: what it computes, and whether it may start before its test does. */
export interface AheadJob<T> {
  key: string;
  /** Work that may run ahead; exploration (concurrent itself) runs only when its test starts. */
  ahead: boolean;
  work: () => Promise<T>;
}

/** The tests' work, in declaration order, started ahead of the test that takes it. */
export interface RunAhead<T> {
  /** The work of test `key`: started now if it is not running yet; and the following tests' work starts too. */
  take(key: string): Promise<T>;
}

/**
 * A run-ahead over `jobs` with at most `limit` pieces of work in flight (limit 1: each test does its
 * own work when it starts, as a plain serial run). Work is started in declaration order and never
 * for a test before the last one taken: tests Playwright skipped past (filtered out) get none. Work
 * no test took is abandoned with its worker: Playwright tears a worker down after a failed test or an
 * interruption (which must stop within about 2 s), and a new worker redoes what it did not report.
 */
export function runAhead<T>(jobs: readonly AheadJob<T>[], limit: number): RunAhead<T> {
  const index = new Map(jobs.map((job, i) => [job.key, i]));
  const started = new Map<string, Promise<T>>();
  let next = 0;
  let running = 0;

  const launch = (job: AheadJob<T>): Promise<T> => {
    running++;
    const work = job.work().finally(() => {
      running--;
      fill();
    });
    started.set(job.key, work);
    work.catch(() => undefined); // a test that never takes it (skipped, or the worker torn down) leaves it unobserved
    return work;
  };
  const fill = (): void => {
    if (limit <= 1) return; // serial: no work before its test, not even after the previous test's ended
    for (; running < limit && next < jobs.length; next++) {
      const job = jobs[next]!;
      if (job.ahead && !started.has(job.key)) launch(job);
    }
  };

  return {
    take(key) {
      const at = index.get(key);
      if (at === undefined) throw new Error(`run-ahead: no test "${key}" was declared`);
      next = Math.max(next, at + 1);
      const work = started.get(key) ?? launch(jobs[at]!);
      started.delete(key); // taken once: its result is the test's, not kept for the worker's life
      fill();
      return work;
    },
  };
}
