/**
 * End to end, as a user runs it: `confcall run` against the reference bot passes every shipped
 * scenario, and against each mutant fails exactly where the mutant's defect shows.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { confcall, portsFor, readResults, tempDir } from './support/cli.js';

test.describe.configure({ mode: 'parallel' });

/** Each mutant, and the scenarios of the shipped suites that must catch it. */
const MUTANTS: Record<string, string[]> = {
  'regresses-to-establishing': ['incoming-call/established-before-establishing', 'create-call/established-before-establishing'],
  'hangs-up-after-failed-transfer': ['transfer/peer-to-peer-failed', 'transfer/consultative-failed', 'transfer/pstn-failed', 'transfer/consultative-pstn-failed', 'transfer/group-call-failed'],
  'reads-only-subcode': [
    'transfer/peer-to-peer-failed', 'transfer/consultative-failed', 'transfer/pstn-failed', 'transfer/consultative-pstn-failed', 'transfer/group-call-failed',
    // The documented "subCode" ⇄ "subcode" variant also loses it 7015 and 5001:
    ...['transfer/peer-to-peer-completed', 'transfer/pstn-completed', 'transfer/group-call-completed', 'incoming-call/bot-hangs-up', 'incoming-call/remote-hang-up'].map((id) => `${id} · documented payload variants`),
  ],
  'answers-duplicate-incoming': ['incoming-call/duplicate-incoming-call'],
  'applies-stale-delta-roster': ['roster/delta-roster-out-of-order'],
  'holds-two-at-once': ['hold-music/one-participant-on-hold'],
  'drops-transferee': ['transfer/group-call-completed', 'transfer/group-call-failed', 'transfer/group-call-without-transferee-refused'],
  'acts-in-lobby': ['lobby/no-action-in-lobby'],
  'accepts-forged-notifications': [
    ...['none', 'bad-signature', 'unknown-kid', 'wrong-audience', 'wrong-issuer', 'expired', 'not-yet-valid', 'no-tid', 'alg-none'].map((f) => `inbound-auth/forged-${f}`),
    'inbound-auth/valid-after-forged',
  ],
};

async function run(entry: string, parallelIndex: number, extra: string[] = []) {
  const out = tempDir('confcall-run-');
  const result = await confcall(['run', '--target', 'targets/reference-bot.yaml', '--out', out, ...extra], {
    env: { ...portsFor(parallelIndex), CONFCALL_BOT_ENTRY: entry },
  });
  return { ...result, out, outcomes: readResults(out) };
}

test('the reference bot passes every shipped scenario, none skipped, with all reports written', async ({}, testInfo) => {
  const { code, stdout, out, outcomes } = await run('dist/bots/reference/main.js', testInfo.parallelIndex);
  expect(code, stdout).toBe(0);
  expect(outcomes.size).toBeGreaterThanOrEqual(100); // 51 scenarios, 49 of them also under the payload variants
  expect([...outcomes].filter(([, o]) => o.status !== 'passed')).toEqual([]);
  for (const report of ['junit.xml', 'results.json', 'html/index.html']) expect(existsSync(join(out, report)), report).toBe(true);
  const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
  expect(junit).toMatch(new RegExp(`tests="${outcomes.size}"`));
  expect(junit).toMatch(/failures="0"/);
});

for (const [mutant, caughtBy] of Object.entries(MUTANTS)) {
  test(`mutant ${mutant} is caught by ${caughtBy.join(', ')}`, async ({}, testInfo) => {
    const { code, stdout, outcomes } = await run(`dist/bots/mutants/${mutant}.js`, testInfo.parallelIndex);
    expect(code, stdout).toBe(1);
    const failed = [...outcomes].filter(([, o]) => o.status === 'failed').map(([id]) => id);
    expect(failed.sort()).toEqual([...caughtBy].sort());
    for (const id of caughtBy) {
      const { message } = outcomes.get(id)!;
      // The message names the scenario, the step (with its YAML place), what the bot did and what is required.
      expect(message).toContain(id.split(' · ')[0]);
      expect(message).toMatch(/(step \d+ \(suites\/[a-z-]+\.yaml:\d+:\d+\)|[A-Z]+(-[A-Z0-9]+)+)/);
      if (id.includes('payload variants')) expect(message).toContain('with payload variant subcode-casing');
      expect(message).toContain('bot did:');
      expect(message).toContain('required:');
    }
  });
}

test('a bot that cannot start makes the run exit 3 with the reason', async ({}, testInfo) => {
  const { code, stderr, stdout } = await run('dist/bots/reference/no-such-entry.js', testInfo.parallelIndex);
  expect(code, stdout + stderr).toBe(3);
  expect(stderr).toMatch(/the bot could not be reached: the bot command .* ended \(exit code 1\)/);
});

test('a callback URI where nothing listens makes the run exit 3', async ({}, testInfo) => {
  const out = tempDir('confcall-run-');
  const port = Number(portsFor(testInfo.parallelIndex).CONFCALL_BOT_PORT);
  const { code, stderr } = await confcall(['run', '--callback-uri', `http://127.0.0.1:${port}/api/calls`, '--out', out, '--suite', 'suites/incoming-call.yaml'], {
    env: { CONFCALL_GRAPH_LISTEN: `127.0.0.1:${port + 1}` },
  });
  expect(code).toBe(3);
  expect(stderr).toMatch(/could not be reached: .*ECONNREFUSED/);
});

test('scenarios that need the control API are skipped with the reason when the target has none', async ({}, testInfo) => {
  const out = tempDir('confcall-run-');
  const port = Number(portsFor(testInfo.parallelIndex).CONFCALL_BOT_PORT);
  const { code, stdout } = await confcall(['run', '--callback-uri', `http://127.0.0.1:${port}/api/calls`, '--out', out, '--suite', 'suites/transfer.yaml', '--reporter', 'json'], {
    env: { CONFCALL_GRAPH_LISTEN: `127.0.0.1:${port + 1}` },
  });
  expect(code).toBe(0);
  expect(stdout).toMatch(/0 passed, 0 failed, 22 skipped/); // 11 scenarios and their payload-variant tests
  const report = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  const annotation = report.suites[0].suites[0].specs[0].tests[0].annotations.find((a: { type: string }) => a.type === 'skip');
  expect(annotation.description).toMatch(/the target has no control/);
});
