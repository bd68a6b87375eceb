/**
 * In-process mode: the shipped example (the reference bot started in the test's own process with its
 * production URLs) passes every shipped scenario, and the programmatic API judges a defective bot
 * as failing, skips what the bot cannot be asked, and removes its interception when stopped.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import nock from 'nock';
import { referenceBehaviour } from '../bots/reference/behaviour.js';
import { readConfig } from '../bots/reference/config.js';
import { startBot } from '../bots/reference/start-bot.js';
import type { CallStatus, CallUpdate } from '../bots/reference/model.js';
import { InProcessError, listScenarios, startInProcess } from '../harness/inprocess/in-process-harness.js';
import { PRODUCTION_ENVIRONMENT } from '../harness/inprocess/preload-environment.js';
import { portsFor, ROOT, tempDir } from './support/cli.js';

const auth = { appId: '11111111-2222-3333-4444-555555555555', tenantId: 'aa67bd4c-8475-432d-bd41-39f255720e0a', clientSecret: 'in-process-test-secret' };
const EXAMPLE = join(ROOT, 'examples/in-process/reference-bot.spec.ts');

/** Runs the example as a bot author would (`npx playwright test -c examples/in-process`), with a JSON report. */
function runExample(port: string): Promise<{ code: number; output: string; report: any }> {
  const reportFile = join(tempDir('confcall-inprocess-'), 'report.json');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules/@playwright/test/cli.js'), 'test', '-c', 'examples/in-process', '--reporter', 'json'], {
      cwd: ROOT,
      env: { ...process.env, BOT_PORT: port, PLAYWRIGHT_JSON_OUTPUT_NAME: reportFile, CI: '', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => {
      let report: any;
      try {
        report = JSON.parse(readFileSync(reportFile, 'utf8'));
      } catch {
        report = undefined;
      }
      resolve({ code: code ?? -1, output, report });
    });
  });
}

test('the example runs the reference bot in-process with its production URLs and passes every shipped scenario', async ({}, testInfo) => {
  // The example's bot configuration names Microsoft's hosts, never confcall's loopback Graph.
  const example = readFileSync(EXAMPLE, 'utf8');
  for (const [name, url] of Object.entries(PRODUCTION_ENVIRONMENT)) expect(example).toContain(`${name}: '${url}'`);
  expect(example).not.toMatch(/(GRAPH_BASE_URL|AUTHORITY_HOST|NOTIFICATION_OPENID_CONFIG): [`'"]http:/);

  const { code, output, report } = await runExample(portsFor(testInfo.parallelIndex, 0).CONFCALL_BOT_PORT);
  expect(report, output.slice(-4000)).toBeDefined();
  expect(code, output.slice(-4000)).toBe(0);
  const scenarios = listScenarios();
  expect(scenarios.length).toBeGreaterThanOrEqual(51);
  // Per scenario: the documented order, its payload variants, and every documented order (explored; a scenario
  // without notifications has neither variants nor orders, and those without another order pass at once).
  expect(report.stats).toMatchObject({ unexpected: 0, flaky: 0 });
  expect(report.stats.expected + report.stats.skipped).toBe(3 * scenarios.length);
  expect(report.stats.skipped).toBeLessThanOrEqual(3);
  expect(report.stats.expected).toBeGreaterThanOrEqual(150);
});

test('a defect shows as a failed verdict naming the step; a correct behaviour passes; stop removes the interception', async ({}, testInfo) => {
  const port = Number(portsFor(testInfo.parallelIndex, 1).CONFCALL_BOT_PORT);
  const harness = await startInProcess({ callbackUri: `http://127.0.0.1:${port}/api/calls`, control: `http://127.0.0.1:${port}/control`, probe: true, auth, suites: ['suites/inbound-auth.yaml', 'suites/incoming-call.yaml'] });
  // The defect of mutant accepts-forged-notifications: every notification is trusted.
  const trusting = { ...referenceBehaviour, verifyNotificationToken: async () => ({ ok: true as const, tenantId: 'unverified' }) };
  const bot = await startBot(readConfig({ ...PRODUCTION_ENVIRONMENT, BOT_APP_ID: auth.appId, BOT_TENANT_ID: auth.tenantId, BOT_CLIENT_SECRET: auth.clientSecret, PORT: String(port) }), trusting, { name: 'trusting' });
  try {
    expect(harness.scenarios).toEqual(listScenarios({ suites: ['suites/inbound-auth.yaml', 'suites/incoming-call.yaml'] }));
    // A payload variant that the bot handles like the documented payload passes.
    expect((await harness.runVariants('incoming-call/answer')).status).toBe('passed');
    const forged = await harness.run('inbound-auth/forged-none');
    expect(forged.status).toBe('failed');
    expect(forged.message).toContain('inbound-auth/forged-none');
    expect(forged.message).toMatch(/step \d+ \(suites\/inbound-auth\.yaml:\d+:\d+\)/);
    // What the forgery changed (the call answered) fails the run; its 2xx to the forgery alone is NOTIFY-AUTH-STATUS's SHOULD, a warning.
    expect(forged.message).toMatch(/bot did: +sent POST \S*\/answer/);
    expect(forged.findings.find((f) => f.severity === 'failure')?.requirements).toEqual(['NOTIFY-AUTH-FORGED']);
    expect(forged.findings.find((f) => f.severity === 'warning' && f.requirements?.includes('NOTIFY-AUTH-STATUS'))?.actual).toMatch(/^accepted a notification with a forged token \(none\) with HTTP 2\d\d/);
    // The same bot answers a genuine incoming call correctly: its Graph requests reached the fake Graph.
    const answered = await harness.run('incoming-call/answer');
    expect(answered.status, answered.message).toBe('passed');
    expect(answered.findings.filter((f) => f.severity === 'failure')).toEqual([]);
    await expect(harness.run('no-such/scenario')).rejects.toThrow(/no scenario no-such\/scenario; known: inbound-auth\/forged-none/);
  } finally {
    await bot.close();
    await harness.stop();
  }
  expect(nock.isActive()).toBe(false);
  expect(nock.activeMocks()).toEqual([]);
});

test('a defect only a payload variant shows fails runVariants, naming the variant', async ({}, testInfo) => {
  const port = Number(portsFor(testInfo.parallelIndex, 3).CONFCALL_BOT_PORT);
  const harness = await startInProcess({ callbackUri: `http://127.0.0.1:${port}/api/calls`, control: `http://127.0.0.1:${port}/control`, probe: true, auth, suites: ['suites/incoming-call.yaml'] });
  // The defect of mutant reads-only-subcode: resultInfo.subCode (the other documented casing) is dropped.
  const readSubcodeOnly = (raw: unknown) => {
    const info = raw as { code?: unknown; subcode?: unknown } | undefined;
    return info && (info.code !== undefined || info.subcode !== undefined) ? { code: Number(info.code ?? 0), subcode: Number(info.subcode ?? 0) } : undefined;
  };
  const bot = await startBot(readConfig({ ...PRODUCTION_ENVIRONMENT, BOT_APP_ID: auth.appId, BOT_TENANT_ID: auth.tenantId, BOT_CLIENT_SECRET: auth.clientSecret, PORT: String(port) }), { ...referenceBehaviour, readResultInfo: readSubcodeOnly }, { name: 'subcode-only' });
  try {
    expect((await harness.run('incoming-call/remote-hang-up')).status).toBe('passed');
    const variants = await harness.runVariants('incoming-call/remote-hang-up');
    expect(variants.scenario).toBe('incoming-call/remote-hang-up · documented payload variants');
    expect(variants.status).toBe('failed');
    expect(variants.message).toContain('with payload variant subcode-casing');
  } finally {
    await bot.close();
    await harness.stop();
  }
});

test('explore finds an order the documents allow that breaks the bot, shrunk, with a token that replays it; the reference behaviour passes', async ({}, testInfo) => {
  const port = Number(portsFor(testInfo.parallelIndex, 4).CONFCALL_BOT_PORT);
  const config = readConfig({ ...PRODUCTION_ENVIRONMENT, BOT_APP_ID: auth.appId, BOT_TENANT_ID: auth.tenantId, BOT_CLIENT_SECRET: auth.clientSecret, PORT: String(port) });
  const harness = await startInProcess({ callbackUri: `http://127.0.0.1:${port}/api/calls`, control: `http://127.0.0.1:${port}/control`, probe: true, auth, suites: ['suites/incoming-call.yaml'] });
  // The defect of mutant regresses-to-establishing: the last call state written wins, so a late `establishing` undoes `established`.
  const lastWriteWins = (status: CallStatus, update: CallUpdate): CallStatus => ({ ...status, state: update.changeType === 'deleted' ? 'terminated' : (update.state ?? status.state) });
  let bot = await startBot(config, { ...referenceBehaviour, applyCallUpdate: lastWriteWins }, { name: 'last-write-wins' });
  try {
    expect((await harness.run('incoming-call/answer')).status).toBe('passed'); // the documented order hides the defect
    const explored = await harness.explore('incoming-call/answer', { runs: 50, seed: 7, concurrency: 4 });
    expect(explored.scenario).toBe('incoming-call/answer · any documented order');
    expect(explored.status, explored.message).toBe('failed');
    expect(explored.schedule?.description).toMatch(/established → establishing/);
    expect(explored.schedule?.replayToken).toMatch(/^incoming-call\/answer@documented:7:\d+:[\d:]+$/);
    expect(explored.schedule?.triage).toMatch(/^order-sensitive: /);
    expect(explored.message).toContain(`replay: harness.replay('${explored.schedule!.replayToken}')`);
    expect(explored.findings.some((f) => f.severity === 'failure')).toBe(true);

    const replayed = await harness.replay(explored.schedule!.replayToken);
    expect(replayed.status, replayed.message).toBe('failed');
    expect(replayed.schedule?.description).toBe(explored.schedule?.description);
    await expect(harness.replay('incoming-call/answer:7:1')).rejects.toThrow(InProcessError);

    // The bot restarted with the reference behaviour, the same harness (each call delivers over fresh connections):
    // the replay, every allowed order, and duplicates and delays (strict) pass.
    await bot.close();
    bot = await startBot(config, referenceBehaviour, { name: 'reference' });
    const fixed = await harness.replay(explored.schedule!.replayToken);
    expect(fixed.status, fixed.message).toBe('passed');
    const documented = await harness.explore('incoming-call/answer', { runs: 50, seed: 7, concurrency: 4 });
    expect(documented.status, documented.message).toBe('passed');
    const robust = await harness.explore('incoming-call/answer', { runs: 50, seed: 7, concurrency: 4, level: 'robustness', strict: true });
    expect(robust.scenario).toBe('incoming-call/answer · duplicates, any order, delays');
    expect(robust.status, robust.message).toBe('passed');
  } finally {
    await bot.close();
    await harness.stop();
  }
});

test('without a control API, scenarios that need one are skipped with the reason; without a probe, its checks are named', async ({}, testInfo) => {
  const port = Number(portsFor(testInfo.parallelIndex, 2).CONFCALL_BOT_PORT);
  const harness = await startInProcess({ callbackUri: `http://127.0.0.1:${port}/api/calls`, auth, suites: ['suites/incoming-call.yaml'] });
  const bot = await startBot(readConfig({ ...PRODUCTION_ENVIRONMENT, BOT_APP_ID: auth.appId, BOT_TENANT_ID: auth.tenantId, BOT_CLIENT_SECRET: auth.clientSecret, PORT: String(port) }), referenceBehaviour, { name: 'no-control' });
  try {
    const verdicts = await harness.runAll();
    const byId = new Map(verdicts.map((v) => [v.scenario, v]));
    expect(byId.get('incoming-call/bot-hangs-up')).toMatchObject({ status: 'skipped', message: expect.stringMatching(/no control API/) });
    const answer = byId.get('incoming-call/answer')!;
    expect(answer.status, answer.message).toBe('passed');
    expect(answer.skippedChecks.join('\n')).toMatch(/probe \{"state":"established"\} not checked, the target has no probe/);
    expect(verdicts.filter((v) => v.status === 'failed')).toEqual([]);
  } finally {
    await bot.close();
    await harness.stop();
  }
});
