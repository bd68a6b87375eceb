/**
 * `confcall run --workers 1` (one test after another) and the default run (tests' work at once
 * against the one bot) give the same verdicts: the same summary.json, times and fresh ids aside, for the
 * reference bot and for mutants whose defects show in different ways.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { confcall, portsFor, tempDir } from './support/cli.js';

test.describe.configure({ mode: 'parallel' });

/** The summary of a run, with the seed fixed, and the milliseconds and fresh ids a finding may quote left out. */
async function summaryOf(entry: string, workers: string[], suites: string[], parallelIndex: number): Promise<{ code: number; summary: string; scenarioTimes: string[] }> {
  const out = tempDir('confcall-parallel-');
  const { code, stdout } = await confcall(['run', '--out', out, '--seed', '7', '--reporter', 'json', ...workers, ...suites.flatMap((s) => ['--suite', `suites/${s}.yaml`])], {
    env: { ...portsFor(parallelIndex), CONFCALL_BOT_ENTRY: entry },
  });
  expect([0, 1], stdout).toContain(code);
  const summary = readFileSync(join(out, 'summary.json'), 'utf8').replace(/\d+(\.\d+)? ms\b/g, 'N ms').replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'ID');
  return { code, summary, scenarioTimes: scenarioTimesOf(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'))) };
}

/** The `scenario time` annotations of a Playwright JSON report: a test whose runs began before it says how long they took. */
function scenarioTimesOf(report: { suites?: unknown[] }): string[] {
  const times: string[] = [];
  const visit = (suite: any): void => {
    for (const spec of suite.specs ?? []) for (const t of spec.tests ?? []) for (const a of t.annotations ?? []) if (a.type === 'scenario time') times.push(a.description);
    for (const child of suite.suites ?? []) visit(child);
  };
  for (const suite of report.suites ?? []) visit(suite);
  return times;
}

const BOTS: Array<{ bot: string; entry: string; suites: string[]; exit: number }> = [
  { bot: 'the reference bot', entry: 'dist/bots/reference/main.js', suites: [], exit: 0 },
  // Its hang-up comes 150 ms after the failed transfer: a run that judged too early would pass it.
  { bot: 'mutant hangs-up-late-after-failed-transfer', entry: 'dist/bots/mutants/hangs-up-late-after-failed-transfer.js', suites: ['transfer'], exit: 0 },
  // Fails documented steps and payload variants.
  { bot: 'mutant reads-only-subcode', entry: 'dist/bots/mutants/reads-only-subcode.js', suites: ['transfer', 'incoming-call'], exit: 1 },
  { bot: 'mutant ignores-removed-state', entry: 'dist/bots/mutants/ignores-removed-state.js', suites: ['roster'], exit: 1 },
];

for (const { bot, entry, suites, exit } of BOTS) {
  test(`${bot}: --workers 1 and the default parallel run write the same summary.json`, async ({}, testInfo) => {
    const serial = await summaryOf(entry, ['--workers', '1'], suites, testInfo.parallelIndex);
    const parallel = await summaryOf(entry, [], suites, testInfo.parallelIndex);
    expect(serial.code).toBe(exit);
    expect(parallel.code).toBe(exit);
    expect(JSON.parse(parallel.summary)).toEqual(JSON.parse(serial.summary));
    // Run ahead, a test reports in a few ms what its runs found: it says how long they took. Serial, its duration does.
    expect(serial.scenarioTimes).toEqual([]);
    expect(parallel.scenarioTimes.length).toBeGreaterThan(0);
    for (const time of parallel.scenarioTimes) expect(time).toMatch(/^\d+ ms, begun \d+ ms before this test, beside other tests' runs/);
  });
}
