/**
 * Schedules end to end: mutants whose defects only show under another allowed order (or a
 * duplicate) are caught, shrunk close to the documented order, and replayed exactly; the same
 * seed gives the same schedules and verdicts; concurrent runs do not interfere.
 */
import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { confcall, portsFor, readResults, tempDir } from './support/cli.js';

test.describe.configure({ mode: 'parallel' });

interface Case {
  mutant: string;
  suite: string;
  /** The property test (Playwright title) that must catch it. */
  property: string;
  /** Labels in documented order, per segment, to count how far the shrunk schedule strays. */
  documented: string[][];
  strict?: boolean;
}

const CASES: Case[] = [
  { mutant: 'regresses-to-establishing', suite: 'incoming-call', property: 'incoming-call/answer · any documented order', documented: [['incoming-call'], ['establishing', 'established']] },
  { mutant: 'applies-stale-delta-roster', suite: 'roster', property: 'roster/delta-roster-sequence · any documented order', documented: [['establishing', 'established'], ['delta-roster#1', 'delta-roster#2']] },
  { mutant: 'answers-duplicate-incoming', suite: 'incoming-call', property: 'incoming-call/answer · duplicates, any order, delays', documented: [['incoming-call'], ['establishing', 'established']], strict: true },
];

/** Events of a shrunk schedule that are not where the documented order has them (duplicates and delays count). */
function eventsOutOfOrder(schedule: string, documented: string[][]): number {
  return schedule.split(' | ').reduce((sum, segment, k) => {
    const events = segment.split(' → ');
    return sum + events.filter((e, i) => e !== documented[k]?.[i]).length;
  }, 0);
}

for (const c of CASES) {
  test(`${c.mutant}: caught by ${c.property}, shrunk to at most 3 events out of order, replayed 5 of 5`, async ({}, testInfo) => {
    const env = { ...portsFor(testInfo.parallelIndex, 1), CONFCALL_BOT_ENTRY: `dist/bots/mutants/${c.mutant}.js` };
    const out = tempDir('confcall-explore-');
    const grep = c.property.split('/')[1]!.split(' · ')[0]!;
    const args = ['run', '--suite', `suites/${c.suite}.yaml`, '--grep', `${grep} · `, '--runs', '100', '--seed', '5', '--reporter', 'json', '--out', out, ...(c.strict ? ['--strict'] : [])];
    const first = await confcall(args, { env });
    expect(first.code, first.stdout + first.stderr).toBe(1);
    const outcome = readResults(out).get(c.property);
    expect(outcome?.status, `${c.property} in ${[...readResults(out).keys()].join(', ')}`).toBe('failed');
    const schedule = /under (.*) \(shrunk in/.exec(outcome!.message)?.[1];
    const token = /replay: npx confcall run --replay (\S+)/.exec(outcome!.message)?.[1];
    expect(schedule, outcome!.message).toBeTruthy();
    expect(token, outcome!.message).toBeTruthy();
    expect(eventsOutOfOrder(schedule!, c.documented), schedule).toBeGreaterThan(0);
    expect(eventsOutOfOrder(schedule!, c.documented), schedule).toBeLessThanOrEqual(3);
    // Ids are fresh in every run: compare findings with them masked.
    const masked = (text: string): string => text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>');
    const finding = masked(outcome!.message.split('\n').find((l) => l.includes('bot did:'))!);

    for (let i = 0; i < 5; i++) {
      const replayOut = tempDir('confcall-replay-');
      const replay = await confcall(['run', '--replay', token!, '--reporter', 'json', '--out', replayOut, ...(c.strict ? ['--strict'] : [])], { env });
      expect(replay.code, `replay ${i + 1}: ${replay.stdout}${replay.stderr}`).toBe(1);
      const replayed = readResults(replayOut).get(c.property)!;
      expect(replayed.message).toContain(`under ${schedule} (replayed)`);
      expect(masked(replayed.message)).toContain(finding);
    }
  });
}

test('the same seed gives the same schedules and the same verdicts', async ({}, testInfo) => {
  const env = { ...portsFor(testInfo.parallelIndex, 1), CONFCALL_BOT_ENTRY: 'dist/bots/mutants/regresses-to-establishing.js' };
  const runOnce = async () => {
    const out = tempDir('confcall-seed-');
    const result = await confcall(['run', '--suite', 'suites/incoming-call.yaml', '--runs', '40', '--seed', '1234', '--concurrency', '4', '--reporter', 'json', '--out', out], { env });
    const report = JSON.parse(readFileSync(`${out}/results.json`, 'utf8'));
    const schedules: string[] = [];
    const visit = (suite: any): void => {
      for (const spec of suite.specs ?? []) for (const t of spec.tests) for (const r of t.results) for (const a of r.attachments) if (a.name === 'schedules tried') schedules.push(`${spec.title}: ${readFileSync(a.path, 'utf8')}`);
      (suite.suites ?? []).forEach(visit);
    };
    report.suites.forEach(visit);
    const verdicts = [...readResults(out)].map(([id, o]) => `${id} ${o.status} ${o.message.split('\n').filter((l) => /bot did:|replay:|under /.test(l)).join(' / ')}`);
    return { code: result.code, schedules, verdicts };
  };
  const [a, b] = [await runOnce(), await runOnce()];
  expect(a.code).toBe(1);
  expect(a.schedules.length).toBeGreaterThan(0);
  expect(b.schedules).toEqual(a.schedules);
  expect(b.verdicts).toEqual(a.verdicts);
});

test('runs at concurrency 1 and 16 do not interfere: a correct bot gets the same verdicts', async ({}, testInfo) => {
  test.setTimeout(600_000);
  const env = { ...portsFor(testInfo.parallelIndex, 1), CONFCALL_BOT_ENTRY: 'dist/bots/reference/main.js' };
  const verdicts = async (concurrency: number) => {
    const out = tempDir('confcall-concurrency-');
    const result = await confcall(['run', '--suite', 'suites/incoming-call.yaml', '--suite', 'suites/roster.yaml', '--suite', 'suites/hold-music.yaml', '--runs', '40', '--seed', '77', '--concurrency', String(concurrency), '--reporter', 'json', '--out', out], { env });
    const report = JSON.parse(readFileSync(`${out}/results.json`, 'utf8'));
    const warnings: string[] = [];
    const visit = (suite: any): void => {
      for (const spec of suite.specs ?? []) for (const t of spec.tests) for (const a of t.annotations) if (a.type === 'warning') warnings.push(`${spec.title}: ${a.description.split('\n')[0].replace(/[0-9a-f-]{36}/g, '<id>')}`);
      (suite.suites ?? []).forEach(visit);
    };
    report.suites.forEach(visit);
    return { code: result.code, outcomes: [...readResults(out)].map(([id, o]) => `${id} ${o.status}`), warnings, log: result.stdout + result.stderr };
  };
  const one = await verdicts(1);
  const sixteen = await verdicts(16);
  expect(one.code, one.log).toBe(0);
  expect(one.outcomes.filter((o) => !o.endsWith('passed'))).toEqual([]);
  expect(one.outcomes.filter((o) => o.includes('duplicates, any order, delays')).length).toBeGreaterThanOrEqual(10);
  expect({ ...sixteen, log: '' }).toEqual({ ...one, log: '' });
});
