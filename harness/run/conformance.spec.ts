/**
 * The conformance run as a Playwright Test project: one `describe` per suite, one `test` per
 * scenario, one `test.step` per scenario step with its payloads attached. `confcall run` drives it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test as base, type TestInfo } from '@playwright/test';
import { startFakeGraph, type FakeGraph } from '../graph/fake-graph.js';
import { runKeysFromEnv } from '../graph/signing-keys.js';
import { issueLeaf, readRunCa, RUN_CA_DIR_ENV } from '../graph/run-ca.js';
import { interceptMode, type TargetProfile } from '../model/target.js';
import { createNotifier, type Notifier } from '../notify/deliver.js';
import { notificationSigners, type Forgery, type NotificationClaims } from '../notify/notification-token.js';
import { firstRunnableStart, type Scenario } from '../model/suite.js';
import { applicability } from '../model/applicability.js';
import { conformanceSettings, loadConformanceProject } from './conformance-settings.js';
import { runScenario, type RunContext, type ScenarioResult, type StepHooks } from './scenario-run.js';
import { EXPLORE_SETTLE_MS, exploreSchedules, levelTitle, parseReplayToken, replaySchedule, triageFailure, type SettleReport } from './explore-schedules.js';
import { exploreVariants } from './explore-variants.js';
import { withDeprecatedResource } from '../order/payload-variants.js';
import { sequenceDiagramHtml } from '../report/sequence-diagram.js';
import { UNREACHABLE_MESSAGE } from '../report/interrupted.js';
import type { Finding } from '../model/transcript.js';
import { PROXY_REFUSALS_FILE, UNREACHABLE_FILE } from './global-setup.js';
import { judgingOf } from '../oracle/judging.js';
import { asRobustness, brokenRules, findingRecord, formatFinding, verdictOf } from '../oracle/verdict.js';

const settings = conformanceSettings();
const project = loadConformanceProject(settings);
const unreachableFile = resolve(settings.root, settings.outDir, UNREACHABLE_FILE);
const judging = judgingOf(project.requirements, settings.strict);

interface Harness {
  graph: FakeGraph;
  notifier: Notifier;
  signNotification: (claims: NotificationClaims) => Promise<string>;
  forgeNotification: (claims: NotificationClaims, forgery: Forgery) => Promise<string | undefined>;
}

const test = base.extend<{}, { harness: Harness }>({
  harness: [
    async ({}, use) => {
      const keys = runKeysFromEnv();
      const target = project.target;
      const tls = await fakeGraphLeaf(target);
      const graph = await listenWithRetry(() =>
        startFakeGraph({ listen: target.graph.listen, keys, appId: target.auth.appId, tenantId: target.auth.tenantId, clientSecret: target.auth.clientSecret, tls }),
      );
      const notifier = createNotifier();
      await use({ graph, notifier, ...notificationSigners(keys) });
      await notifier.close();
      await graph.close();
    },
    { scope: 'worker' },
  ],
});

const replay = settings.replay ? parseReplayToken(settings.replay) : undefined;

/** `graph.tls`: a leaf of the run's CA (global setup made it) for the fake Graph's loopback name. */
async function fakeGraphLeaf(target: TargetProfile): Promise<{ cert: string; key: string } | undefined> {
  if (!target.graph.tls) return undefined;
  const dir = process.env[RUN_CA_DIR_ENV];
  if (!dir) throw new Error('graph.tls: the run has no CA (global setup makes it when the profile has start:)');
  return issueLeaf(readRunCa(dir), [target.graph.listen.slice(0, target.graph.listen.lastIndexOf(':'))]);
}

// A host the proxy refused fails the test during which it was refused, naming it: a proxied bot
// that tries to reach anything but Microsoft's hosts is told so, and nothing left the machine.
const proxyRefusals = resolve(settings.root, settings.outDir, PROXY_REFUSALS_FILE);
let refusalsSeen = 0;
test.afterEach(({}, testInfo) => {
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
  annotateJudging(testInfo, [finding], []);
  annotateBrokenRules(testInfo, [finding]);
  throw messageOnly(`PROXY-REFUSED: the bot asked confcall's proxy for a host outside the test:\n${formatFinding(finding)}`);
});

for (const suite of project.suites) {
  test.describe(suite.id, () => {
    for (const written of suite.scenarios) {
      // A scenario that offers a choice of starts runs with the first one this target can do.
      const scenario = firstRunnableStart(written, (start) => applicability(start, project.target, project.recordings).applies) ?? written;
      const id = `${suite.id}/${scenario.id}`;
      if (replay && replay.scenario !== id) continue;
      const details = { annotation: annotationsOf(scenario), tag: scenario.requirements.map((r) => `@${r}`) };

      test(scenario.id, details, async ({ harness }, testInfo) => {
        const context = prepare(scenario, harness);
        const result = await runScenario(context, scenario, playwrightSteps);
        for (const check of result.skippedChecks) testInfo.annotations.push({ type: 'skipped-check', description: check });
        annotateJudging(testInfo, result.findings, result.judged);
        await failOn(result, `${id}: ${scenario.title}`, testInfo);
      });

      if (!replay && scenario.steps.some((s) => s.kind === 'notify')) {
        test(`${scenario.id} · documented payload variants`, details, async ({ harness }, testInfo) => {
          const context = prepare(scenario, harness);
          const documented = await runScenario(context, scenario, undefined, { settleMs: EXPLORE_SETTLE_MS });
          test.skip(!verdictOf(documented).passed, 'the scenario already fails with the documented payloads');
          // A run the bot stopped (it did not act: a warning under an inferred rule) cannot get past that step under any
          // variant either; replaying it per variant would only wait out the same window each time.
          test.skip(documented.stoppedAt !== undefined, `the documented run stopped at step ${(documented.stoppedAt ?? 0) + 1}: the bot did not act, so no variant gets further`);
          annotateJudging(testInfo, [], documented.judged);
          const exploration = await exploreVariants(context, scenario, documented, EXPLORE_SETTLE_MS);
          const { failures } = exploration;
          testInfo.annotations.push({ type: 'variants', description: exploration.description });
          // Robustness variants the bot failed (without --strict): warnings, as robustness schedules are.
          annotateJudging(testInfo, exploration.warnings.flatMap((w) => w.findings), []);
          if (!failures.length) return;
          const first = failures[0]!;
          annotateBrokenRules(testInfo, failures.flatMap((f) => f.findings));
          annotateJudging(testInfo, failures.flatMap((f) => f.findings), []);
          await attachFile(testInfo, 'transcript', 'transcript.json', JSON.stringify(first.result.transcript, null, 2));
          await attachFile(testInfo, 'sequence diagram', 'sequence-diagram.html', sequenceDiagramHtml({ title: `${id} with ${first.variant.id}`, transcript: first.result.transcript, findings: first.findings }));
          throw messageOnly(
            failures.map((f) => `${id} with payload variant ${f.variant.id} (${f.variant.because})\n${f.findings.map(formatFinding).join('\n')}`).join('\n\n'),
          );
        });
      }

      for (const level of ['documented', 'robustness'] as const) {
        if (replay ? replay.level !== level : settings.runs === 0) continue;
        const title = `${scenario.id} · ${levelTitle(level)}`;
        test(title, details, async ({ harness }, testInfo) => {
          const context = prepare(scenario, harness);
          const documented = await runScenario(context, scenario, undefined, { settleMs: EXPLORE_SETTLE_MS });
          test.skip(!verdictOf(documented).passed, 'the scenario already fails in the documented order');
          annotateJudging(testInfo, [], documented.judged);
          if (replay) {
            const replayed = await replaySchedule(context, scenario, documented, settings.replay!, EXPLORE_SETTLE_MS);
            testInfo.annotations.push({ type: 'schedule', description: replayed.schedule });
            if (replayed.findings.length) await reportScheduleFailure(testInfo, scenario, replayed.schedule, replayed.findings, replayed.result, settings.replay!, level, 'replayed');
            return;
          }
          const exploration = await exploreSchedules(context, scenario, documented, { level, runs: settings.runs, seed: settings.seed, concurrency: settings.concurrency, settleMs: EXPLORE_SETTLE_MS, timeLimitMs: settings.timeLimitMs });
          testInfo.annotations.push({ type: 'schedules', description: exploration.runs ? `${exploration.runs} schedule(s) run, seed ${exploration.seed}${exploration.distinct > 0 ? `, of ${exploration.distinct} distinct` : ''}; ${describeSettle(exploration.settle)}` : 'the licences allow no other schedule than the documented one' });
          if (exploration.settle.stillLate) {
            testInfo.annotations.push({ type: 'warning', description: `${exploration.settle.stillLate} schedule run(s) still got Graph requests after they were judged a fourth time, with ${exploration.settle.finalMs} ms of quiet: those requests were not judged (the bot sends something long after its last notification)` });
          }
          await attachFile(testInfo, 'schedules tried', 'schedules.txt', exploration.tried.join('\n'));
          const failure = exploration.failure;
          if (!failure) return;
          const triage = await triageFailure(context, scenario, documented, failure, EXPLORE_SETTLE_MS);
          testInfo.annotations.push({ type: 'triage', description: `${triage.kind}: ${triage.evidence}` });
          await reportScheduleFailure(testInfo, scenario, failure.description, failure.findings, failure.result, failure.replayToken, level, `shrunk in ${failure.shrinks} step(s), ${triage.kind}`);
        });
      }
    }
  });
}

/** `quiet window 10→15 ms, 2 late run(s) judged again`: how the learnt settle window went. */
function describeSettle(settle: SettleReport): string {
  const window = settle.initialMs === settle.finalMs ? `${settle.initialMs} ms` : `${settle.initialMs}→${settle.finalMs} ms`;
  const late = settle.lateRuns ? `, ${settle.lateRuns} late run(s) judged again` : '';
  const unconfirmed = settle.unconfirmedFailures ? `, ${settle.unconfirmedFailures} failure(s) under it not confirmed by ${EXPLORE_SETTLE_MS} ms` : '';
  return `quiet window ${window}${late}${unconfirmed}`;
}

/** Skips what cannot run here, and gives the scenario its run context. */
function prepare(scenario: Scenario, harness: Harness): RunContext {
  // Without a probe only the probe checks are left out, each named in the report.
  test.skip(existsSync(unreachableFile), 'the bot could not be reached earlier in this run');
  // A scenario the bot cannot be judged on (a capability it does not declare, an action the profile
  // cannot trigger) is not applicable: a skip with a `not-applicable` annotation, its own status in summary.json.
  const applies = applicability(scenario, project.target, project.recordings);
  if (!applies.applies) test.info().annotations.push({ type: 'not-applicable', description: applies.reason });
  test.skip(!applies.applies, applies.applies ? '' : `not applicable: ${applies.reason}`);
  // Intercept targets run unmodified production bots: they get `resource` beside `resourceUrl`, as from
  // production Graph. Other targets get the documents' payloads verbatim.
  const shapeNotification = interceptMode(project.target) ? withDeprecatedResource : undefined;
  return { target: project.target, recordings: project.recordings, ...harness, shapeNotification, judging };
}

/** Fails the test with the run's findings (and a sequence diagram), or marks the bot unreachable. */
async function failOn(result: ScenarioResult, title: string, testInfo: TestInfo): Promise<void> {
  if (result.unreachable) {
    mkdirSync(dirname(unreachableFile), { recursive: true });
    writeFileSync(unreachableFile, JSON.stringify({ message: result.unreachable }, null, 2));
    throw messageOnly(`${UNREACHABLE_MESSAGE}: ${result.unreachable}`);
  }
  const { failures } = verdictOf(result);
  if (!failures.length) return;
  annotateBrokenRules(testInfo, failures);
  await attachFile(testInfo, 'sequence diagram', 'sequence-diagram.html', sequenceDiagramHtml({ title, transcript: result.transcript, findings: failures }));
  throw messageOnly(`${title}\n${failures.map(formatFinding).join('\n')}`);
}

/** Attaches a failing schedule's evidence; fails the test, or only warns for robustness without --strict. */
async function reportScheduleFailure(testInfo: TestInfo, scenario: Scenario, schedule: string, findings: Finding[], result: ScenarioResult, token: string, level: 'documented' | 'robustness', how: string): Promise<void> {
  const title = `${scenario.suiteId}/${scenario.id} under ${schedule}`;
  await testInfo.attach('schedule', { body: `${schedule}\n\nreplay: npx confcall run --replay ${token}\n`, contentType: 'text/plain' });
  await attachFile(testInfo, 'transcript', 'transcript.json', JSON.stringify(result.transcript, null, 2));
  await attachFile(testInfo, 'sequence diagram', 'sequence-diagram.html', sequenceDiagramHtml({ title, transcript: result.transcript, schedule: [schedule], findings }));
  const message = `${title} (${how})\n${findings.map(formatFinding).join('\n')}\nreplay: npx confcall run --replay ${token}`;
  if (level === 'robustness' && !settings.strict) {
    // One warning with the schedule and its replay token; the findings as data, weighed as warnings.
    for (const f of asRobustness(findings, false)) testInfo.annotations.push({ type: 'finding', description: JSON.stringify(findingRecord(f)) });
    testInfo.annotations.push({ type: 'warning', description: message });
    return;
  }
  const weighed = level === 'robustness' ? asRobustness(findings, true) : findings;
  annotateBrokenRules(testInfo, weighed);
  annotateJudging(testInfo, weighed, []);
  throw messageOnly(message);
}

/**
 * Records what the run judged and every finding as data (`judged`, `finding` annotations, read by
 * report/ into requirement verdicts), and shows warnings and test-hook deviations as text.
 */
function annotateJudging(testInfo: TestInfo, findings: Finding[], judged: string[]): void {
  for (const requirement of judged) testInfo.annotations.push({ type: 'judged', description: requirement });
  for (const f of findings) {
    testInfo.annotations.push({ type: 'finding', description: JSON.stringify(findingRecord(f)) });
    if (f.severity === 'warning') testInfo.annotations.push({ type: 'warning', description: formatFinding(f) });
    if (f.severity === 'deviation') testInfo.annotations.push({ type: 'test-hook deviation', description: formatFinding(f) });
  }
}

/**
 * Names each broken rule (a requirement id, `STEP` or `CONVERGENCE`) in an annotation, so that
 * summaries and CI gates read them from the JSON report instead of parsing messages.
 */
function annotateBrokenRules(testInfo: TestInfo, findings: Finding[]): void {
  for (const rule of brokenRules(findings)) testInfo.annotations.push({ type: 'broken-rule', description: rule });
}

/** Wraps each scenario step in `test.step`, located at its YAML line, with payloads attached. */
const playwrightSteps: StepHooks = {
  step: (title, position, body) =>
    test.step(
      title,
      async (step) => body((name, value) => step.attach(name, { body: JSON.stringify(value, null, 2), contentType: 'application/json' })),
      position ? { location: { file: resolve(settings.root, position.file), line: position.line, column: position.col } } : {},
    ),
};

function annotationsOf(scenario: Scenario): Array<{ type: string; description: string }> {
  const start = scenario.startedBy ? [{ type: 'start', description: `${scenario.startedBy}, the first of this scenario's starts the target can do` }] : [];
  return [{ type: 'scenario', description: `${scenario.title} (${scenario.position.file}:${scenario.position.line})` }, ...start];
}

/** Attaches text as a file, so reporters link it instead of printing it. */
async function attachFile(testInfo: TestInfo, name: string, file: string, text: string): Promise<void> {
  const path = testInfo.outputPath(file);
  writeFileSync(path, text);
  await testInfo.attach(name, { path, contentType: file.endsWith('.html') ? 'text/html' : file.endsWith('.json') ? 'application/json' : 'text/plain' });
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
