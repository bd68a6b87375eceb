/**
 * Schedule runs go in a sliding window (a slow run does not hold up the others); the first failure
 * and the count of schedules run must still not depend on the concurrency or on timing.
 */
import { test, expect } from '@playwright/test';
import fc from 'fast-check';
import { firstFailingIndex } from '../harness/run/explore-schedules.js';

const NEVER = Number.POSITIVE_INFINITY;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('the lowest failing index and the count are the same at any concurrency, whatever each run takes', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ fails: fc.integer({ min: 0, max: 9 }).map((n) => n === 0), ms: fc.integer({ min: 0, max: 4 }) }), { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 1, max: 16 }),
      async (runs, concurrency) => {
        const started: number[] = [];
        const events: string[] = [];
        const result = await firstFailingIndex(runs.length, concurrency, NEVER, async (i) => {
          started.push(i);
          events.push(`start ${i}`);
          await sleep(runs[i]!.ms);
          events.push(`end ${i}`);
          return runs[i]!.fails;
        });
        const expected = runs.findIndex((r) => r.fails);
        expect(result.failing).toBe(expected === -1 ? undefined : expected);
        expect(result.completed).toBe(expected === -1 ? runs.length : expected + 1);
        // Runs start in index order, and none past a failure's index once that failure is known.
        expect(started).toEqual([...started].sort((a, b) => a - b));
        if (expected >= 0) {
          const known = events.indexOf(`end ${expected}`);
          expect(events.slice(known).filter((e) => e.startsWith('start ') && Number(e.slice(6)) > expected)).toEqual([]);
        }
      },
    ),
    { numRuns: 60 },
  );
});

test('at most `concurrency` runs are in flight, and all of them when there are enough', async () => {
  let inFlight = 0;
  let most = 0;
  await firstFailingIndex(50, 7, NEVER, async () => {
    most = Math.max(most, ++inFlight);
    await sleep(2);
    inFlight--;
    return false;
  });
  expect(most).toBe(7);
});

test('a deadline stops starting runs; the count is of the runs that were started, all in index order', async () => {
  const seen: number[] = [];
  const result = await firstFailingIndex(1000, 4, Date.now() + 30, async (i) => {
    seen.push(i);
    await sleep(5);
    return false;
  });
  expect(result.failing).toBeUndefined();
  expect(result.completed).toBe(seen.length);
  expect(result.completed).toBeLessThan(1000);
  expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: seen.length }, (_, i) => i));
});
