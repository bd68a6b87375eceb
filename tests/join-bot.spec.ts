/**
 * End to end: a join-by-URL meeting bot (tests/fixtures/join-bot/) with no control API, driven
 * through its own API as its profile maps it. Every scenario runs or is `not applicable` (none is
 * skipped for want of a control API), the roster and lobby scenarios run, none fails, and it is
 * judged on joining, the roster and leaving once the last human has left (it declares
 * leavesWhenAlone); and broken copies of it (one that ignores removedState, one that stays alone)
 * are caught.
 */
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { confcall, portsFor, tempDir } from './support/cli.js';
import { readSummary } from './support/summary-file.js';

test.describe.configure({ mode: 'parallel' });

const TARGET = ['--target', 'tests/fixtures/join-bot/join-bot.yaml'];

/** The join bot's ports for this worker, under the names its profile reads. */
function ports(parallelIndex: number, slot: number): Record<string, string> {
  const { CONFCALL_BOT_PORT, CONFCALL_GRAPH_PORT } = portsFor(parallelIndex, slot);
  return { JOIN_BOT_PORT: CONFCALL_BOT_PORT, CONFCALL_GRAPH_PORT, JOIN_BOT_API_KEY: `key-${parallelIndex}-${slot}` };
}

test('a join-by-URL bot driven through its own API: every scenario runs or is not applicable, none fails', async ({}, testInfo) => {
  test.setTimeout(240_000);
  const out = tempDir('confcall-join-bot-');
  const { code, stdout, stderr } = await confcall(['run', ...TARGET, '--out', out], { env: ports(testInfo.parallelIndex, 0), timeoutMs: 220_000 });
  const tail = stdout.slice(-4000) + stderr;
  const summary = readSummary(join(out, 'summary.json'));
  expect(code, tail).toBe(0);
  expect(summary.tests.filter((t) => t.status !== 'passed' && t.status !== 'not applicable').map((t) => `${t.id} ${t.status}`), tail).toEqual([]);
  expect(summary.totals.skipped).toBe(0);
  expect(summary.totals.failed).toBe(0);
  const status = new Map(summary.tests.map((t) => [t.id, t.status]));
  for (const id of ['roster/full-roster', 'roster/delta-roster', 'roster/delta-after-full-roster', 'roster/delta-roster-sequence', 'roster/delta-roster-out-of-order', 'meetings/leaves-when-last-human-leaves', 'meetings/stays-while-a-human-remains', 'lobby/guest-waits-in-lobby', 'create-call/join-meeting-service-hosted-media', 'create-call/join-channel-meeting', 'inbound-auth/forged-bad-signature']) {
    expect(status.get(id), id).toBe('passed');
  }
  // Not applicable, each with its reason: a capability the bot does not declare, a meeting its trigger cannot carry.
  const reason = (id: string) => summary.tests.find((t) => t.id === id) as { status: string; reason?: string } | undefined;
  expect(reason('incoming-call/answer')).toMatchObject({ status: 'not applicable', reason: expect.stringContaining('answersIncomingCalls') });
  expect(reason('lobby/admitted-from-lobby')).toMatchObject({ status: 'not applicable', reason: expect.stringContaining('holdMusic') });
  expect(reason('create-call/join-meeting-id')).toMatchObject({ status: 'not applicable', reason: expect.stringContaining('no Teams join URL') });
  expect(summary.totals.notApplicable).toBe(summary.tests.filter((t) => t.status === 'not applicable').length);
  // The run's header says what runs and why the rest do not.
  expect(stdout).toContain('  roster: all 5 run');
  expect(stdout).toContain('  meetings: all 2 run');
  expect(stdout).toMatch(/- incoming-call\/answer: the bot does not declare answersIncomingCalls \(step 1 notifies an incoming call\)/);
  expect(stdout).toMatch(/\d+ passed, 0 failed, 0 skipped, \d+ not applicable/);
  // Requirements no applicable scenario checks are not judged, with the reason, never failed.
  expect(summary.requirements.find((r) => r.id === 'INCOMING-ANSWER-IN-TIME')).toMatchObject({ verdict: 'not judged', reason: expect.stringContaining('not applicable') });
  expect(summary.requirements.find((r) => r.id === 'ROSTER-DELTA-SEQUENCE')?.verdict).toBe('pass');
  expect(summary.requirements.find((r) => r.id === 'LEAVES-WHEN-ALONE')?.verdict).toBe('pass');
});

test('a join bot that declares it leaves when alone and stays: a warning of LEAVES-WHEN-ALONE (its own rule, inferred), a failure with --strict', async ({}, testInfo) => {
  test.setTimeout(120_000);
  const run = async (slot: number, extra: string[]) => {
    const out = tempDir('confcall-join-bot-stays-');
    const args = ['run', ...TARGET, '--suite', 'suites/meetings.yaml', '--grep', 'leaves-when-last-human-leaves @', '--out', out, ...extra];
    const result = await confcall(args, { env: { ...ports(testInfo.parallelIndex, slot), JOIN_BOT_STAY_WHEN_ALONE: '1' }, timeoutMs: 100_000 });
    return { ...result, summary: readSummary(join(out, 'summary.json')) };
  };
  const lenient = await run(3, []);
  expect(lenient.code, lenient.stdout.slice(-3000) + lenient.stderr).toBe(0);
  expect(lenient.summary.requirements.find((r) => r.id === 'LEAVES-WHEN-ALONE')?.verdict).toBe('warning');
  const strict = await run(4, ['--strict']);
  expect(strict.code, strict.stdout.slice(-3000) + strict.stderr).toBe(1);
  const leaves = strict.summary.tests.find((t) => t.id === 'meetings/leaves-when-last-human-leaves')!;
  expect(leaves.status).toBe('failed');
  expect(leaves.findings.filter((f) => f.severity === 'failure')).toEqual([
    expect.objectContaining({ requirements: ['LEAVES-WHEN-ALONE'], basis: 'inferred', actual: expect.stringMatching(/sent no such request/) }),
  ]);
  expect(leaves.message).not.toMatch(/control API/);
});

test('a join bot that ignores removedState is caught by the delta-roster scenarios, named in its own terms', async ({}, testInfo) => {
  test.setTimeout(120_000);
  const out = tempDir('confcall-join-bot-mutant-');
  const { code, stdout, stderr } = await confcall(['run', ...TARGET, '--suite', 'suites/roster.yaml', '--out', out], { env: { ...ports(testInfo.parallelIndex, 1), JOIN_BOT_IGNORE_REMOVED_STATE: '1' }, timeoutMs: 100_000 });
  const summary = readSummary(join(out, 'summary.json'));
  expect(code, stdout.slice(-3000) + stderr).toBe(1);
  const failed = summary.tests.filter((t) => t.status === 'failed');
  expect(failed.map((t) => t.id)).toContain('roster/delta-roster');
  expect(summary.tests.find((t) => t.id === 'roster/full-roster')?.status).toBe('passed');
  expect(summary.requirements.find((r) => r.id === 'ROSTER-DELTA-SEQUENCE')?.verdict).toBe('fail');
  expect(failed.find((t) => t.id === 'roster/delta-roster')?.message).not.toMatch(/control API/);
});

test('a refused join names the bot\'s own endpoint and its answer, not the control API', async ({}, testInfo) => {
  test.setTimeout(120_000);
  const out = tempDir('confcall-join-bot-key-');
  // The profile sends one API key, the bot expects another: the bot refuses every join with 401.
  const env = { ...ports(testInfo.parallelIndex, 2), JOIN_BOT_API_KEY: 'the-key-confcall-sends' };
  const profile = join(out, 'wrong-key.yaml');
  const { readFileSync, writeFileSync } = await import('node:fs');
  const text = readFileSync('tests/fixtures/join-bot/join-bot.yaml', 'utf8').replace(/API_KEY: "\$\{env:JOIN_BOT_API_KEY:-join-bot-test-key\}"/, 'API_KEY: the-key-the-bot-wants').replace('cwd: .', `cwd: ${join(process.cwd(), 'tests/fixtures/join-bot')}`);
  writeFileSync(profile, text);
  const { code, stdout, stderr } = await confcall(['run', '--target', profile, '--suite', 'suites/roster.yaml', '--grep', 'full-roster @', '--out', join(out, 'run')], { env, timeoutMs: 100_000 });
  const summary = readSummary(join(out, 'run', 'summary.json'));
  expect(code, stdout.slice(-3000) + stderr).toBe(1);
  const message = summary.tests.find((t) => t.id === 'roster/full-roster')?.message ?? '';
  expect(message).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/api\/meetings\/join answered HTTP 401/);
  expect(message).toMatch(/x-api-key/);
  expect(message).not.toMatch(/control API/);
});
