/**
 * Schedule exploration judges each run after a short quiet and learns a longer one only on
 * evidence; no verdict may rest on the short window alone. A bot that hangs up 150 ms after a
 * failed transfer (longer than the fixed 60 ms window exploration once used) is still caught, and
 * the reference bot still passes with the window it started with.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import fc from 'fast-check';
import { EXPLORE_SETTLE_MS, exploreSchedules } from '../harness/run/explore-schedules.js';
import { runScenario } from '../harness/run/scenario-run.js';
import { INITIAL_SETTLE_WINDOW_MS, MAX_SETTLE_WINDOW_MS, widenedForLateRequest, widenedForUnconfirmedFailure } from '../harness/run/settle-window.js';
import { loadBenchProject, scenarioById, startHarness } from '../bench/harness-under-bench.js';
import { portsFor } from './support/cli.js';
import { expectDeviated } from './support/mutant-deviation.js';

test.describe.configure({ mode: 'parallel' });

test('a window widened for a late request would have seen it, and never shrinks', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: MAX_SETTLE_WINDOW_MS }), fc.integer({ min: 1, max: 500 }), fc.double({ min: 0, max: 5000, noNaN: true }), (windowMs, waitedMs, latenessMs) => {
      const widened = widenedForLateRequest(windowMs, waitedMs, latenessMs);
      expect(widened).toBeGreaterThanOrEqual(windowMs);
      expect(widened).toBeGreaterThanOrEqual(Math.min(MAX_SETTLE_WINDOW_MS, waitedMs + latenessMs));
      expect(widened).toBeLessThanOrEqual(Math.max(windowMs, MAX_SETTLE_WINDOW_MS));
    }),
  );
  expect(widenedForUnconfirmedFailure(10, 60)).toBe(20);
  expect(widenedForUnconfirmedFailure(40, 60)).toBe(60);
  expect(widenedForUnconfirmedFailure(200, 60)).toBe(200);
});

const SCENARIO = 'transfer/peer-to-peer-failed';

/** Explores the transfer scenario against a bot whose whole output goes to `out`/bot-output.log. */
async function explore(entry: string, parallelIndex: number, out: string) {
  const env = { ...process.env, ...portsFor(parallelIndex, 2), CONFCALL_BOT_ENTRY: entry };
  const project = loadBenchProject('targets/reference-bot.yaml', env);
  mkdirSync(out, { recursive: true });
  const harness = await startHarness(project, project.target, { startBot: true, botOutputFile: join(out, 'bot-output.log') });
  try {
    const scenario = scenarioById(project, SCENARIO);
    const documented = await runScenario(harness.context, scenario, undefined, { settleMs: EXPLORE_SETTLE_MS });
    const exploration = await exploreSchedules(harness.context, scenario, documented, { level: 'documented', runs: 24, seed: 3, concurrency: 8, settleMs: EXPLORE_SETTLE_MS });
    return { documented, exploration };
  } finally {
    await harness.stop();
  }
}

test('a hang-up 150 ms after the failed transfer is caught although runs are judged after 10 ms of quiet', async ({}, testInfo) => {
  const out = testInfo.outputPath('run');
  const { documented, exploration } = await explore('dist/bots/mutants/hangs-up-late-after-failed-transfer.js', testInfo.parallelIndex, out);
  expectDeviated(out, 'hangs-up-late-after-failed-transfer');
  // The documented run waits 60 ms of quiet: too short for this bot, which is the point.
  expect(documented.findings.filter((f) => f.severity === 'failure')).toEqual([]);
  expect(exploration.failure, JSON.stringify(exploration.settle)).toBeDefined();
  expect(exploration.failure!.findings.map((f) => f.actual).join('\n')).toMatch(/DELETE \/v1\.0\/communications\/calls\//);
  // Caught because its request came after its run was judged: that run was judged again, longer.
  expect(exploration.settle.lateRuns).toBeGreaterThanOrEqual(1);
  expect(exploration.settle.finalMs).toBeGreaterThan(150);
});

test('the reference bot passes the same exploration with the window it started with', async ({}, testInfo) => {
  const { exploration } = await explore('dist/bots/reference/main.js', testInfo.parallelIndex, testInfo.outputPath('run'));
  expect(exploration.failure?.description).toBeUndefined();
  expect(exploration.runs).toBe(24);
  expect(exploration.settle).toEqual({ initialMs: INITIAL_SETTLE_WINDOW_MS, finalMs: INITIAL_SETTLE_WINDOW_MS, lateRuns: 0, unconfirmedFailures: 0, stillLate: 0 });
});
