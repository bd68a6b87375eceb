/**
 * harness/run/run-ahead.ts: the work of the tests after the one Playwright starts runs ahead, up to
 * the limit, in declaration order, and never for tests Playwright skipped past.
 */
import { test, expect } from '@playwright/test';
import { runAhead, type AheadJob } from '../harness/run/run-ahead.js';

/** Jobs whose work waits until released, recording when each starts. */
function gatedJobs(keys: string[], notAhead: string[] = []) {
  const startedOrder: string[] = [];
  const release = new Map<string, () => void>();
  let inFlight = 0;
  let mostInFlight = 0;
  const jobs: AheadJob<string>[] = keys.map((key) => ({
    key,
    ahead: !notAhead.includes(key),
    work: () => {
      startedOrder.push(key);
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      return new Promise<string>((resolve) => release.set(key, () => {
        inFlight--;
        resolve(`done ${key}`);
      }));
    },
  }));
  return { jobs, startedOrder, release: (key: string) => release.get(key)!(), mostInFlight: () => mostInFlight };
}

const tick = () => new Promise((r) => setImmediate(r));

test('taking a test starts its work and the following tests\' work, up to the limit, in declaration order', async () => {
  const gate = gatedJobs(['a', 'b', 'c', 'd', 'e']);
  const ahead = runAhead(gate.jobs, 3);
  const a = ahead.take('a');
  expect(gate.startedOrder).toEqual(['a', 'b', 'c']);
  gate.release('a');
  expect(await a).toBe('done a');
  await tick();
  expect(gate.startedOrder).toEqual(['a', 'b', 'c', 'd']); // a slot freed: the next one starts
  for (const key of ['b', 'c', 'd', 'e']) {
    const work = ahead.take(key);
    gate.release(key);
    expect(await work).toBe(`done ${key}`);
    await tick();
  }
  expect(gate.startedOrder).toEqual(['a', 'b', 'c', 'd', 'e']);
  expect(gate.mostInFlight()).toBe(3);
});

test('limit 1 is a serial run: each test\'s work starts when its test does', async () => {
  const gate = gatedJobs(['a', 'b', 'c']);
  const ahead = runAhead(gate.jobs, 1);
  const a = ahead.take('a');
  expect(gate.startedOrder).toEqual(['a']);
  gate.release('a');
  await a;
  await tick();
  expect(gate.startedOrder).toEqual(['a']);
  const b = ahead.take('b');
  expect(gate.startedOrder).toEqual(['a', 'b']);
  gate.release('b');
  await b;
});

test('tests Playwright skipped past (filtered out) never get work; work not allowed ahead starts only with its test', async () => {
  const gate = gatedJobs(['a', 'b', 'c', 'd', 'e'], ['d']);
  const ahead = runAhead(gate.jobs, 2);
  const c = ahead.take('c'); // a and b were filtered out
  expect(gate.startedOrder).toEqual(['c', 'e']); // d (an exploration) waits for its test
  gate.release('c');
  await c;
  const d = ahead.take('d');
  expect(gate.startedOrder).toEqual(['c', 'e', 'd']);
  gate.release('d');
  gate.release('e');
  await d;
  expect(await ahead.take('e')).toBe('done e');
  expect(gate.startedOrder).not.toContain('a');
  expect(() => ahead.take('z')).toThrow(/no test "z"/);
});
