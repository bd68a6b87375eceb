/**
 * The conformance run as a Playwright Test project: one `describe` per suite, one `test` per
 * scenario, one `test.step` per scenario step with its payloads attached. `confcall run` drives it.
 *
 * A test's work (harness/run/scenario-tests.ts) runs ahead of the test (harness/run/run-ahead.ts),
 * up to `--workers` at once against the one bot; the test reports the outcome its work left.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test as base, type TestDetails, type TestInfo } from '@playwright/test';
import type { FakeGraph } from '../graph/fake-graph.js';
import { interceptMode, type TargetProfile } from '../model/target.js';
import { firstRunnableStart, type Scenario } from '../model/suite.js';
import { applicability } from '../model/applicability.js';
import { conformanceSettings, loadConformanceProject } from './conformance-settings.js';
import { levelTitle, parseReplayToken } from './exploration-ids.js';
import { UNREACHABLE_MESSAGE } from '../report/interrupted.js';
import type { Finding } from '../model/transcript.js';
import type { SourcePosition } from '../model/position.js';
import { PROXY_REFUSALS_FILE, UNREACHABLE_FILE } from './run-files.js';
import { judgingOf } from '../oracle/judging.js';
import { runAhead, type RunAhead } from './run-ahead.js';
import { callSlots } from './call-slots.js';
import { documentedRuns } from './documented-runs.js';
import type { Harness, TestWork } from './scenario-tests.js';
import type { StepRecord, TestOutcome } from './test-outcome.js';

// Playwright's runner only declares the tests: what runs them (the fake Graph, delivery, the scenario runs, and
// with them ajv, jose, undici) is loaded in the worker alone, where Playwright sets TEST_WORKER_INDEX (confcall
// run gives its runner none). In the runner these names stay unset: only fixtures and test bodies use them.
const inWorker = process.env.TEST_WORKER_INDEX !== undefined;
const onlyInWorker = <T>(module: () => Promise<T>): Promise<T> => (inWorker ? module() : Promise.resolve({} as T));
const [{ startFakeGraph }, { runKeysFromEnv }, { issueLeaf, readRunCa, RUN_CA_DIR_ENV }, { createNotifier }, { botDispatcher }, { notificationSigners }, { documentedTest, explorationTest, variantsTest }, { newOutcome, noteBrokenRules, noteJudging }, { formatFinding }] = await Promise.all([
  onlyInWorker(() => import('../graph/fake-graph.js')),
  onlyInWorker(() => import('../graph/signing-keys.js')),
  onlyInWorker(() => import('../graph/run-ca.js')),
  onlyInWorker(() => import('../notify/deliver.js')),
  onlyInWorker(() => import('../notify/bot-dispatcher.js')),
  onlyInWorker(() => import('../notify/notification-token.js')),
  onlyInWorker(() => import('./scenario-tests.js')),
  // With the oracle's verdicts and every protocol rule behind them: used in the afterEach hook only.
  onlyInWorker(() => import('./test-outcome.js')),
  onlyInWorker(() => import('../oracle/verdict.js')),
]);

const settings = conformanceSettings();
const project = loadConformanceProject(settings);
const unreachableFile = resolve(settings.root, settings.outDir, UNREACHABLE_FILE);
const judging = judgingOf(project.requirements, settings.strict);

/** An override must keep the registration (`auto: 'all-hooks-included'`), which the public types do not name. */
const AS_PLAYWRIGHT_REGISTERS_THEM = { auto: 'all-hooks-included', box: true } as unknown as { auto: true; box: true };

const test = base.extend<{ _setupArtifacts: void; _setupContextOptions: void }, { harness: Harness; runAhead: RunAhead<TestOutcome> }>({
  // No browser here: Playwright's per-test browser fixtures (trace recording, context options) cost
  // ~15 ms of CPU a test on a 2-core machine (400 empty tests: 9.3 s -> 3.5 s). Overridden as no-ops (if a
  // Playwright release renames them, these are two unused fixtures and the run is only slower).
  _setupArtifacts: [async ({}, use) => use(), AS_PLAYWRIGHT_REGISTERS_THEM],
  _setupContextOptions: [async ({}, use) => use(), AS_PLAYWRIGHT_REGISTERS_THEM],
  harness: [
    async ({}, use) => {
      const keys = runKeysFromEnv();
      const target = project.target;
      const tls = await fakeGraphLeaf(target);
      const graph = await listenWithRetry(() =>
        startFakeGraph({ listen: target.graph.listen, keys, appId: target.auth.appId, tenantId: target.auth.tenantId, clientSecret: target.auth.clientSecret, tls }),
      );
      // Notifications, probe reads and control calls share one pool (harness/notify/bot-dispatcher.ts).
      const notifier = createNotifier(botDispatcher());
      await use({ graph, notifier, ...notificationSigners(keys), callSlots: callSlots(target.callsAtOnce) });
      await notifier.close();
      await graph.close();
    },
    { scope: 'worker' },
  ],
  runAhead: [
    async ({ harness }, use) => {
      const work: TestWork = { target: project.target, recordings: project.recordings, settings, judging, unreachableFile, harness, documentedRuns: documentedRuns() };
      const ahead = runAhead(declared.map((d) => ({ key: d.key, ahead: d.ahead, work: () => d.work(work) })), testsAtOnce());
      await use(ahead);
    },
    { scope: 'worker' },
  ],
});

const replay = settings.replay ? parseReplayToken(settings.replay) : undefined;

/**
 * How many tests' work runs at once (`confcall run --workers`). One at a time when the tests Playwright
 * will run are a selection (--grep, --shard: work ahead would go to tests it skips), and under the
 * intercepting proxy, whose refusals are told to the test during which they came.
 */
function testsAtOnce(): number {
  if (settings.selective || interceptMode(project.target) === 'proxy') return 1;
  return settings.workers;
}

/** `graph.tls`: a leaf of the run's CA (global setup made it) for the fake Graph's loopback name. */
async function fakeGraphLeaf(target: TargetProfile): Promise<{ cert: string; key: string } | undefined> {
  if (!target.graph.tls) return undefined;
  const dir = process.env[RUN_CA_DIR_ENV];
  if (!dir) throw new Error('graph.tls: the run has no CA (global setup makes it when the profile has start:)');
  return issueLeaf(readRunCa(dir), [target.graph.listen.slice(0, target.graph.listen.lastIndexOf(':'))]);
}

// A host the proxy refused fails the test during which it was refused, naming it: a proxied bot
// that tries to reach anything but Microsoft's hosts is told so, and nothing left the machine.
// Only the proxy writes refusals, so only its runs have the hook (a hook is a step of every test in Playwright's reports and IPC).
const proxyRefusals = resolve(settings.root, settings.outDir, PROXY_REFUSALS_FILE);
let refusalsSeen = 0;
if (interceptMode(project.target) === 'proxy') test.afterEach(({}, testInfo) => {
  if (!existsSync(proxyRefusals)) return;
  const lines = readFileSync(proxyRefusals, 'utf8').split('\n').filter(Boolean);
  const fresh = [...new Set(lines.slice(refusalsSeen).map((line) => (JSON.parse(line) as { host: string; port: number }) ).map((r) => `${r.host}:${r.port}`))];
  refusalsSeen = lines.length;
  if (!fresh.length) return;
  // A failure of the test setup, as BOT-REACHABLE is: no requirement owns it, and it is never a pass.
  const finding: Finding = {
    rule: 'PROXY-REFUSED', requirements: [], basis: 'inferred', level: 'MUST', severity: 'failure',
    actual: `asked confcall's proxy for ${fresh.join(', ')}`,
    expected: `only Microsoft's hosts confcall plays (graph.microsoft.com, login.microsoftonline.com, api.aps.skype.com, login.botframework.com) and loopback`,
    because: 'a test run never leaves this machine: the proxy refused the host with a 403 and sent nothing there',
  };
  const outcome = newOutcome();
  noteJudging(outcome, [finding], []);
  noteBrokenRules(outcome, [finding]);
  testInfo.annotations.push(...outcome.annotations);
  throw messageOnly(`PROXY-REFUSED: the bot asked confcall's proxy for a host outside the test:\n${formatFinding(finding)}`);
});

/** Every test's work, in declaration order: the run-ahead starts it before Playwright starts the test. */
const declared: Array<{ key: string; ahead: boolean; work: (work: TestWork) => Promise<TestOutcome> }> = [];

/** When each test's work began and ended (ms since the epoch), for the test that reports it. */
const workSpans = new Map<string, { began: number; ended?: number }>();

/** Declares a test whose work (a TestOutcome) may run ahead of it, and which reports that outcome. */
function conformanceTest(title: string, details: TestDetails, scenarioAt: SourcePosition, key: string, ahead: boolean, work: (w: TestWork) => Promise<TestOutcome>): void {
  declared.push({ key, ahead, work: (w) => timedWork(key, () => work(w)) });
  test(title, details, async ({ runAhead }, testInfo) => {
    test.skip(existsSync(unreachableFile), 'the bot could not be reached earlier in this run');
    const testBegan = Date.now();
    const outcome = await runAhead.take(key);
    await report(withWorkTime(outcome, workSpans.get(key), testBegan), testInfo, scenarioAt);
  });
}

/** Runs a test's work, noting when it began and ended. */
async function timedWork(key: string, work: () => Promise<TestOutcome>): Promise<TestOutcome> {
  const span: { began: number; ended?: number } = { began: Date.now() };
  workSpans.set(key, span);
  try {
    return await work();
  } finally {
    span.ended = Date.now();
  }
}

/**
 * The outcome with how long its scenario runs took, where they began before the test: such a test only reports
 * what its runs found, in a few ms, so its own duration (in every report) says nothing of how long the bot took.
 */
function withWorkTime(outcome: TestOutcome, span: { began: number; ended?: number } | undefined, testBegan: number): TestOutcome {
  const lead = span ? testBegan - span.began : 0;
  if (!span || lead <= 0) return outcome;
  const description = `${(span.ended ?? Date.now()) - span.began} ms, begun ${lead} ms before this test, beside other tests' runs (the test's own duration is only what was left to wait)`;
  return { ...outcome, annotations: [...outcome.annotations, { type: 'scenario time', description }] };
}

for (const suite of project.suites) {
  test.describe(suite.id, () => {
    for (const written of suite.scenarios) {
      // A scenario that offers a choice of starts runs with the first one this target can do.
      const scenario = firstRunnableStart(written, (start) => applicability(start, project.target, project.recordings).applies) ?? written;
      const id = `${suite.id}/${scenario.id}`;
      if (replay && replay.scenario !== id) continue;
      const details = { annotation: annotationsOf(scenario), tag: scenario.requirements.map((r) => `@${r}`) };
      const variants = !replay && scenario.steps.some((s) => s.kind === 'notify');
      const levels = (['documented', 'robustness'] as const).filter((level) => (replay ? replay.level === level : settings.runs !== 0));
      // The documented test's run is the baseline of the scenario's other tests (harness/run/documented-runs.ts).
      const at = scenario.position;
      conformanceTest(scenario.id, details, at, id, true, (w) => documentedTest(scenario, w, Number(variants) + levels.length));
      if (variants) conformanceTest(`${scenario.id} · documented payload variants`, details, at, `${id} · variants`, true, (w) => variantsTest(scenario, w));
      // Exploration is concurrent itself: it starts when its test does.
      for (const level of levels) conformanceTest(`${scenario.id} · ${levelTitle(level)}`, details, at, `${id} · ${level}`, false, (w) => explorationTest(scenario, level, w));
    }
  });
}

/** Reports a test's outcome through Playwright: its steps, annotations and attachments, then how it ends. */
async function report(outcome: TestOutcome, testInfo: TestInfo, scenarioAt: SourcePosition): Promise<void> {
  for (const record of outcome.steps) await replayStep(record, scenarioAt);
  testInfo.annotations.push(...outcome.annotations);
  for (const attachment of outcome.attachments) {
    if (attachment.file === undefined) {
      await testInfo.attach(attachment.name, { body: attachment.body, contentType: attachment.contentType });
      continue;
    }
    const path = testInfo.outputPath(attachment.file);
    writeFileSync(path, attachment.body);
    await testInfo.attach(attachment.name, { path, contentType: attachment.contentType });
  }
  if (outcome.unreachable) {
    mkdirSync(dirname(unreachableFile), { recursive: true });
    writeFileSync(unreachableFile, JSON.stringify({ message: outcome.unreachable }, null, 2));
    throw messageOnly(`${UNREACHABLE_MESSAGE}: ${outcome.unreachable}`);
  }
  test.skip(outcome.skip !== undefined, outcome.skip);
  if (outcome.failure) throw messageOnly(outcome.failure);
}

/**
 * One scenario step as a `test.step`, located at its YAML line, with its payloads attached; failed as it failed.
 * A step of the whole run (settle and judge) is located at the scenario: given no location, Playwright would take
 * this function's own from a stack trace, at a cost (about 1 ms of the worker's CPU each, source maps applied).
 */
async function replayStep(record: StepRecord, scenarioAt: SourcePosition): Promise<void> {
  const at = record.location ?? scenarioAt;
  const location = { location: { file: resolve(settings.root, at.file), line: at.line, column: at.col } };
  try {
    await test.step(record.title, async (step) => {
      for (const { name, value } of record.payloads) await step.attach(name, { body: JSON.stringify(value, null, 2), contentType: 'application/json' });
      if (record.error) throw record.error;
    }, location);
  } catch (error) {
    // The run caught the step's failure and went on (or stopped): the test's outcome says how it ends.
    if (!record.error) throw error;
  }
}

function annotationsOf(scenario: Scenario): Array<{ type: string; description: string }> {
  const start = scenario.startedBy ? [{ type: 'start', description: `${scenario.startedBy}, the first of this scenario's starts the target can do` }] : [];
  return [{ type: 'scenario', description: `${scenario.title} (${scenario.position.file}:${scenario.position.line})` }, ...start];
}

/** An error whose report shows its message, not harness internals: the YAML step is the place to look. */
function messageOnly(message: string): Error {
  const error = new Error(message);
  error.stack = message;
  return error;
}

/** A worker that replaces a failed one may start while the old one still holds the port. */
async function listenWithRetry(start: () => Promise<FakeGraph>): Promise<FakeGraph> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if ((error as { code?: string }).code !== 'EADDRINUSE' || attempt >= 50) {
        throw new Error(`the fake Graph cannot listen on ${project.target.graph.listen}: ${(error as Error).message}. Is another confcall run or program using that port? Change graph.listen in ${settings.targetFile}.`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
