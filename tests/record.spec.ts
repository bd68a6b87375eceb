/**
 * `confcall record` end to end on loopback: the recorder stands between the reference bot and
 * confcall's own fake Graph (driven by a real conformance run of shipped scenarios), and what it
 * writes replays with `confcall run` to the same verdict, against the reference bot and against
 * mutants the original scenarios catch.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { parse as parseYaml } from 'yaml';
import { confcall, portsFor, readResults, ROOT, tempDir, type CliResult } from './support/cli.js';
import { startConfcall } from './support/background.js';

test.describe.configure({ mode: 'serial' });

/** Three shipped scenarios in the documented order: an answer, a duplicate incoming call, and two driven through the control API. */
const ORIGINAL_SCENARIOS = ['incoming-call/duplicate-incoming-call', 'incoming-call/bot-hangs-up', 'transfer/peer-to-peer-failed'];
const GREP = `^(?!.*payload variants).*(${ORIGINAL_SCENARIOS.map((id) => id.split('/')[1]).join('|')})`;
const ORIGINAL_SUITES = ['--suite', 'suites/incoming-call.yaml', '--suite', 'suites/transfer.yaml', '--grep', GREP];
const SECRET = 'reference-bot-secret';

interface Capture {
  dir: string;
  suiteFile: string;
  recordingsDir: string;
  graphUrl: string;
  original: CliResult & { outcomes: Map<string, { status: string; message: string }> };
  recorded: CliResult;
}
let capture: Capture;

test.beforeAll(async ({}, workerInfo) => {
  test.setTimeout(120_000);
  const { CONFCALL_BOT_PORT: botPort, CONFCALL_GRAPH_PORT: graphPort } = portsFor(workerInfo.parallelIndex, 0);
  const recorderPort = portsFor(workerInfo.parallelIndex, 1).CONFCALL_BOT_PORT;
  const dir = tempDir('confcall-record-');
  const recorder = `http://127.0.0.1:${recorderPort}`;
  const graphUrl = `http://127.0.0.1:${graphPort}`;
  // The reference bot, started by the run, with the recorder as its Graph and as Graph's callbackUri.
  const target = join(dir, 'behind-recorder.yaml');
  writeFileSync(
    target,
    [
      'name: reference-bot-behind-recorder',
      `callbackUri: ${recorder}/callback`,
      `graph: { listen: "127.0.0.1:${graphPort}" }`,
      `auth: { appId: 11111111-2222-3333-4444-555555555555, tenantId: aa67bd4c-8475-432d-bd41-39f255720e0a, clientSecret: ${SECRET} }`,
      `control: ${recorder}/control`,
      'probe: true',
      'start:',
      `  command: node ${join(ROOT, 'dist/bots/reference/main.js')}`,
      `  env: { PORT: "${botPort}", GRAPH_BASE_URL: "${recorder}", AUTHORITY_HOST: "${recorder}", BOT_CALLBACK_URI: "http://127.0.0.1:${botPort}/api/calls" }`,
      `  ready: http://127.0.0.1:${botPort}/health`,
      '',
    ].join('\n'),
  );
  const running = startConfcall(['record', '--upstream', graphUrl, '--bot', `http://127.0.0.1:${botPort}/api/calls`, '--control', `http://127.0.0.1:${botPort}/control`, '--listen', `127.0.0.1:${recorderPort}`, '--name', 'loopback', '--out', dir, '--secret', SECRET]);
  await running.waitFor('Ctrl-C stops');
  const out = join(dir, 'original');
  const original = await confcall(['run', '--target', target, ...ORIGINAL_SUITES, '--out', out, '--reporter', 'json']);
  const recorded = await running.stop('SIGINT');
  capture = { dir, suiteFile: join(dir, 'suites/captured/loopback.yaml'), recordingsDir: join(dir, 'recordings'), graphUrl, original: { ...original, outcomes: readResults(out) }, recorded };
});

async function replay(entry: string, parallelIndex: number) {
  const out = tempDir('confcall-replay-');
  const result = await confcall(['run', '--suite', capture.suiteFile, '--recordings', capture.recordingsDir, '--out', out, '--reporter', 'json', '--strict'], { env: { ...portsFor(parallelIndex, 0), CONFCALL_BOT_ENTRY: entry } });
  return { ...result, outcomes: readResults(out) };
}

/** --strict: answers-duplicate-incoming breaks INCOMING-ANSWER-ONCE, an inferred requirement (a warning otherwise). */
async function runOriginal(entry: string, parallelIndex: number) {
  const out = tempDir('confcall-run-');
  const result = await confcall(['run', '--target', 'targets/reference-bot.yaml', ...ORIGINAL_SUITES, '--out', out, '--reporter', 'json', '--strict'], { env: { ...portsFor(parallelIndex, 0), CONFCALL_BOT_ENTRY: entry } });
  return { ...result, outcomes: readResults(out) };
}

/** The captured suite's scenarios, as written. */
function capturedScenarios(): Array<{ id: string; steps: Array<Record<string, any>> }> {
  return parseYaml(readFileSync(capture.suiteFile, 'utf8')).scenarios;
}

function filesBelow(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesBelow(join(dir, name)) : [join(dir, name)]));
}

test('the original run passes through the recorder, and the recorder writes one scenario per call', async () => {
  const { original, recorded } = capture;
  expect(original.code, original.stdout + original.stderr).toBe(0);
  expect([...original.outcomes.keys()].sort()).toEqual([...ORIGINAL_SCENARIOS].sort());
  expect(recorded.code, recorded.stdout + recorded.stderr).toBe(0);
  expect(recorded.stdout).toContain('a suite of 3 scenario(s) written');
  expect(recorded.stdout).toContain(`replay: npx confcall run --suite `);
  const scenarios = capturedScenarios();
  const kinds = scenarios.map((s) => s.steps.map((step) => Object.keys(step).find((k) => ['notify', 'expect', 'control', 'probe', 'expectNo'].includes(k))));
  // The duplicate incoming call: two notifications before one answer, counted exactly once.
  expect(scenarios.map(actions).some((steps) => steps[0]?.notify && steps[1]?.notify && steps[2]?.expect?.path.endsWith('/answer') && steps[2]?.times === 1)).toBe(true);
  // What the bot did not do stays undone: no hang-up where it did not hang up, no transfer where it did not transfer.
  const hangUp = scenarios.find((s) => s.steps.some((step) => step.control?.method === 'DELETE'))!;
  expect(hangUp.steps.filter((step) => step.expectNo).map((step) => `${step.expectNo.method ?? 'any'} ${step.expectNo.path.replace(/^\/communications\/calls\/[^/]+/, '')}`)).toEqual(['POST /reject', 'POST /redirect', 'POST /transfer', 'any /communications/**']);
  // The control API calls the run made (hang up, transfer) became control steps before the requests they caused.
  expect(scenarios.some((s) => s.steps.some((step) => step.control?.method === 'DELETE'))).toBe(true);
  expect(scenarios.some((s) => s.steps.some((step) => step.control?.path?.endsWith('/transfer')))).toBe(true);
  for (const steps of kinds) expect(steps).toContain('probe');
});

/** A captured scenario's steps without its expectNo checks: what it sends, drives and expects. */
function actions(scenario: { steps: Array<Record<string, any>> }): Array<Record<string, any>> {
  return scenario.steps.filter((step) => !step.expectNo);
}

test('a record → replay round trip on loopback reproduces the same verdict', async ({}, testInfo) => {
  const replayed = await replay('dist/bots/reference/main.js', testInfo.parallelIndex);
  expect(replayed.code, replayed.stdout + replayed.stderr).toBe(0);
  const documentedOrder = [...replayed.outcomes.keys()].filter((id) => !id.includes(' · '));
  expect(documentedOrder.sort()).toEqual(['captured-loopback/call-1', 'captured-loopback/call-2', 'captured-loopback/call-3']);
  // Every test passes, the documented payload variants of the captured notifications included.
  expect([...replayed.outcomes].filter(([, o]) => o.status !== 'passed')).toEqual([]);
});

test('the capture validates, names its upstream, and holds no bearer token, JWT, client secret or recorded person', async () => {
  const validated = await confcall(['validate', '--recordings', capture.recordingsDir, capture.suiteFile]);
  expect(validated.code, validated.stderr).toBe(0);
  expect(validated.stdout).toMatch(/no problems/);

  const files = filesBelow(capture.dir).filter((f) => f.startsWith(capture.recordingsDir) || f === capture.suiteFile);
  const recordings = files.filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(f, 'utf8')));
  expect(recordings.filter((r) => r.kind === 'notification').length).toBeGreaterThanOrEqual(10);
  for (const r of recordings) {
    expect(r.captured.upstream).toBe(capture.graphUrl);
    expect(r.sources).toBeUndefined();
  }
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    expect(text, file).not.toMatch(/Bearer\s+[A-Za-z0-9]/);
    expect(text, file).not.toMatch(/eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\./);
    expect(text, file).not.toContain(SECRET);
    // The transfer target of the shipped recording is a person: her name and user id are replaced, consistently.
    expect(text, file).not.toContain('Heidi Steen');
    expect(text, file).not.toContain('550fae72-d251-43ec-868c-373732c2704f');
  }
  const transfer = recordings.find((r) => r.kind === 'request' && r.id.endsWith('-transfer'));
  expect(transfer.body.transferTarget.identity.user).toMatchObject({ displayName: expect.stringMatching(/^Person \d+$/), id: expect.stringMatching(/^00000000-0000-4000-8000-\d{12}$/) });
  const control = capturedScenarios().flatMap((s) => s.steps).find((step) => step.control?.path?.endsWith('/transfer'));
  expect(control!.control.body.transferTarget.identity.user).toEqual(transfer.body.transferTarget.identity.user);
});

const MUTANTS: Array<[mutant: string, caughtBy: string]> = [
  ['answers-duplicate-incoming', 'incoming-call/duplicate-incoming-call'],
  ['hangs-up-after-failed-transfer', 'transfer/peer-to-peer-failed'],
];

for (const [mutant, caughtBy] of MUTANTS) {
  test(`mutant ${mutant}: caught by ${caughtBy}, and by its replayed capture`, async ({}, testInfo) => {
    const original = await runOriginal(`dist/bots/mutants/${mutant}.js`, testInfo.parallelIndex);
    expect(original.code, original.stdout).toBe(1);
    expect([...original.outcomes].filter(([, o]) => o.status === 'failed').map(([id]) => id)).toEqual([caughtBy]);

    const replayed = await replay(`dist/bots/mutants/${mutant}.js`, testInfo.parallelIndex);
    expect(replayed.code, replayed.stdout).toBe(1);
    const failed = [...replayed.outcomes].filter(([, o]) => o.status === 'failed');
    expect(failed).toHaveLength(1);
    // The failing replayed call is the capture of the scenario that caught the mutant.
    const scenario = capturedScenarios().find((s) => `captured-loopback/${s.id}` === failed[0]![0])!;
    const isTransfer = scenario.steps.some((step) => step.control?.path?.endsWith('/transfer'));
    const isDuplicate = actions(scenario)[0]?.notify !== undefined && actions(scenario)[1]?.notify !== undefined;
    expect(caughtBy.startsWith('transfer/') ? isTransfer : isDuplicate).toBe(true);
    expect(failed[0]![1].message).toContain('bot did:');
    // What gives the mutant away: its second answer, or its hang-up after the failed transfer.
    expect(failed[0]![1].message).toMatch(caughtBy.startsWith('transfer/') ? /DELETE \/communications\/calls\// : /POST \/communications\/calls\/\S+\/answer 2 time\(s\)/);
  });
}
