/**
 * Bots as people have them (tests/fixtures/): an IVR with its own variable names and admin route
 * (ivr-bot/), and a bot with Microsoft's hosts hard-coded that only answers calls and reads only
 * `resource` (production-hosts-bot/). Neither has a control API. Each runs every scenario it can be
 * judged on, with no test skipped for want of a control API: the rest are `not applicable`, with
 * the reason. A copy of each with one defect is caught. (The join-by-URL bot: join-bot.spec.ts.)
 */
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { confcall, portsFor, tempDir } from './support/cli.js';
import { readSummary } from './support/summary-file.js';

test.describe.configure({ mode: 'parallel' });

const IVR = ['--target', 'tests/fixtures/ivr-bot/ivr-bot.yaml'];
const PRODUCTION_HOSTS = ['--target', 'tests/fixtures/production-hosts-bot/target.yaml'];

async function run(args: string[], parallelIndex: number, env: Record<string, string> = {}) {
  const out = tempDir('confcall-fixture-');
  const result = await confcall(['run', ...args, '--out', out], { env: { ...portsFor(parallelIndex), ...env }, timeoutMs: 300_000 });
  return { ...result, summary: readSummary(join(out, 'summary.json')), tail: result.stdout.slice(-3000) + result.stderr };
}

/** Every test ran and passed, or is not applicable with a reason: none failed, none skipped. */
function expectJudgedOnWhatItDoes(summary: ReturnType<typeof readSummary>, tail: string): void {
  expect(summary.tests.filter((t) => t.status === 'failed' || t.status === 'skipped').map((t) => `${t.id}: ${t.status}`), tail).toEqual([]);
  const notApplicable = summary.tests.filter((t) => t.status === 'not applicable');
  expect(notApplicable.length).toBeGreaterThan(0);
  for (const t of notApplicable) expect((t as { reason?: string }).reason, t.id).toMatch(/the bot does not declare/);
}

test('the IVR bot is judged on answering, greeting once and hanging up through its own route; the rest is not applicable', async ({}, testInfo) => {
  const { code, summary, tail } = await run(IVR, testInfo.parallelIndex);
  expect(code, tail).toBe(0);
  expectJudgedOnWhatItDoes(summary, tail);
  const status = (id: string) => summary.tests.find((t) => t.id === id)?.status;
  expect(status('ivr/greeting-prompt')).toBe('passed');
  expect(status('ivr/greeting-once-on-redelivery')).toBe('passed');
  // bot-hangs-up asks the bot to hang up: through actions.hangUp, its own admin route.
  expect(status('incoming-call/bot-hangs-up')).toBe('passed');
  expect(status('transfer/peer-to-peer-completed')).toBe('not applicable');
});

test('an IVR bot that greets again on a redelivered established: a warning, and with --strict a failure of IVR-PROMPT-ONCE', async ({}, testInfo) => {
  const defect = { IVR_BOT_DEFECT: 'greets-on-every-established' };
  const lenient = await run([...IVR, '--suite', 'suites/ivr.yaml'], testInfo.parallelIndex, defect);
  expect(lenient.code, lenient.tail).toBe(0);
  expect(lenient.summary.requirements.find((r) => r.id === 'IVR-PROMPT-ONCE')?.verdict).toBe('warning');
  const strict = await run([...IVR, '--suite', 'suites/ivr.yaml', '--strict'], testInfo.parallelIndex, defect);
  expect(strict.code, strict.tail).toBe(1);
  const failed = strict.summary.tests.filter((t) => t.status === 'failed');
  expect(failed.map((t) => t.id)).toEqual(['ivr/greeting-once-on-redelivery']);
  expect(failed[0]!.findings.filter((f) => f.severity === 'failure').map((f) => f.requirements)).toEqual([['IVR-PROMPT-ONCE']]);
});

test('the production-hosts bot is judged on answering and on the notifications of its calls; the rest is not applicable', async ({}, testInfo) => {
  const { code, summary, tail } = await run(PRODUCTION_HOSTS, testInfo.parallelIndex);
  expect(code, tail).toBe(0);
  expectJudgedOnWhatItDoes(summary, tail);
  expect(summary.tests.find((t) => t.id === 'roster/full-roster')?.status).toBe('passed');
  expect(summary.tests.find((t) => t.id === 'ivr/greeting-prompt')?.status).toBe('not applicable');
});

test('a production-hosts bot that accepts any token fails NOTIFY-AUTH-FORGED on every forgery the documents name, and is warned for the claims they do not', async ({}, testInfo) => {
  const { code, summary, tail } = await run([...PRODUCTION_HOSTS, '--suite', 'suites/inbound-auth.yaml'], testInfo.parallelIndex, { PRODUCTION_HOSTS_BOT_DEFECT: 'accepts-any-token' });
  expect(code, tail).toBe(1);
  const failed = summary.tests.filter((t) => t.status === 'failed');
  const documented = ['none', 'bad-signature', 'unknown-kid', 'wrong-audience', 'expired', 'not-yet-valid', 'alg-none'].map((f) => `inbound-auth/forged-${f}`);
  for (const id of documented) expect(failed.map((t) => t.id), id).toContain(id);
  for (const t of failed) expect(t.findings.some((f) => f.severity === 'failure' && f.requirements.includes('NOTIFY-AUTH-FORGED')), t.id).toBe(true);
  expect(summary.requirements.find((r) => r.id === 'NOTIFY-AUTH-FORGED')?.verdict).toBe('fail');
  // The issuer and the tenant claim: inferred from Microsoft's samples, so a warning (a failure with --strict).
  for (const id of ['inbound-auth/forged-wrong-issuer', 'inbound-auth/forged-no-tid']) {
    const t = summary.tests.find((x) => x.id === id)!;
    expect(t.status, id).toBe('passed');
    expect(t.findings.some((f) => f.severity === 'warning' && f.requirements.includes('NOTIFY-AUTH-CLAIMS')), id).toBe(true);
  }
  expect(summary.requirements.find((r) => r.id === 'NOTIFY-AUTH-CLAIMS')?.verdict).toBe('warning');
});

test('a bot that keeps one call at a time passes when its profile says callsAtOnce: 1, and is failed for the overlapping calls it gets without it', async ({}, testInfo) => {
  // The same bot (IVR_BOT_CALLS=one: a new incoming call replaces the one it had), two profiles.
  const inTurn = await run(['--target', 'tests/fixtures/ivr-bot/one-call-ivr-bot.yaml', '--suite', 'suites/ivr.yaml', '--runs', '5'], testInfo.parallelIndex);
  expect(inTurn.code, inTurn.tail).toBe(0);
  const judged = inTurn.summary.tests.filter((t) => t.status !== 'not applicable');
  expect(judged.length).toBeGreaterThanOrEqual(6); // documented, variants and exploration tests of both IVR scenarios
  expect(judged.filter((t) => t.status !== 'passed').map((t) => `${t.id}: ${t.status}`), inTurn.tail).toEqual([]);
  const together = await run([...IVR, '--suite', 'suites/ivr.yaml'], testInfo.parallelIndex, { IVR_BOT_CALLS: 'one' });
  expect(together.code, together.tail).toBe(1);
  expect(together.summary.tests.some((t) => t.status === 'failed')).toBe(true);
});

test('a bot whose start command leaves it a grandchild (a script, npm start) is stopped with the run: its port is free for the next run', async ({}, testInfo) => {
  // `;` keeps the shell as the bot's parent, as `npm start` or a script does: stopping the shell alone left the bot running.
  const env = { IVR_BOT_COMMAND: 'node bot.mjs; echo the bot stopped' };
  const first = await run([...IVR, '--suite', 'suites/ivr.yaml', '--grep', 'greeting-prompt'], testInfo.parallelIndex, env);
  expect(first.code, first.tail).toBe(0);
  const port = Number(portsFor(testInfo.parallelIndex).CONFCALL_BOT_PORT);
  const listening = await new Promise<boolean>((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
  expect(listening, `the bot still listens on ${port} after its run`).toBe(false);
  const second = await run([...IVR, '--suite', 'suites/ivr.yaml', '--grep', 'greeting-prompt'], testInfo.parallelIndex, env);
  expect(second.code, second.tail).toBe(0);
});
