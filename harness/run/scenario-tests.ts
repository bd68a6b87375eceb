/**
 * The work of the conformance run's tests, one function per kind of test: the documented run of a
 * scenario, its documented payload variants, and its schedule exploration at one licence level.
 * Each returns a TestOutcome (harness/run/test-outcome.ts) rather than touching Playwright, so it can
 * run ahead of its test (harness/run/run-ahead.ts) and be reported the same either way.
 */
import { existsSync } from 'node:fs';
import type { FakeGraph } from '../graph/fake-graph.js';
import { applicability } from '../model/applicability.js';
import type { Recording } from '../model/recording.js';
import type { Scenario } from '../model/suite.js';
import { interceptMode, type TargetProfile } from '../model/target.js';
import type { Finding } from '../model/transcript.js';
import type { Notifier } from '../notify/deliver.js';
import type { Forgery, NotificationClaims } from '../notify/notification-token.js';
import type { Judging } from '../oracle/judging.js';
import { asRobustness, findingRecord, formatFinding, verdictOf } from '../oracle/verdict.js';
import { withDeprecatedResource } from '../order/payload-variants.js';
import { sequenceDiagramHtml } from '../report/sequence-diagram.js';
import type { ConformanceSettings } from './conformance-settings.js';
import type { DocumentedRuns } from './documented-runs.js';
import { EXPLORE_SETTLE_MS, exploreSchedules, replaySchedule, triageFailure, type SettleReport } from './explore-schedules.js';
import { exploreVariants } from './explore-variants.js';
import type { CallSlots } from './call-slots.js';
import { documentedSettleMs, runScenario, type RunContext, type ScenarioResult, type StepHooks } from './scenario-run.js';
import { attachFile, newOutcome, noteBrokenRules, noteJudging, recordingSteps, type TestOutcome } from './test-outcome.js';

/** The one fake Graph and notifier of a Playwright worker, shared by every scenario run in it. */
export interface Harness {
  graph: FakeGraph;
  notifier: Notifier;
  signNotification: (claims: NotificationClaims) => Promise<string>;
  forgeNotification: (claims: NotificationClaims, forgery: Forgery) => Promise<string | undefined>;
  /** Turns at the bot when its profile says how many calls it holds at once. */
  callSlots?: CallSlots;
}

/** What every test's work needs: the target, the recordings, the run's settings and judging, the harness. */
export interface TestWork {
  target: TargetProfile;
  recordings: Map<string, Recording>;
  settings: ConformanceSettings;
  judging: Judging;
  /** Written by the first test that could not reach the bot; later tests skip. */
  unreachableFile: string;
  harness: Harness;
  /** The worker's documented runs, which a scenario's later tests judge against (documented-runs.ts). */
  documentedRuns: DocumentedRuns;
}

/**
 * The documented run of a scenario: each step a `test.step`, judged by the documents. The run is
 * offered to the `takers` tests of the scenario declared after this one (its variants, its exploration).
 */
export async function documentedTest(scenario: Scenario, work: TestWork, takers = 0): Promise<TestOutcome> {
  const { outcome, context } = prepare(scenario, work);
  if (!context) return outcome;
  const run = documentedRun(context, scenario, recordingSteps(outcome));
  work.documentedRuns.offer(idOf(scenario), run, takers);
  const result = await run;
  for (const check of result.skippedChecks) outcome.annotations.push({ type: 'skipped-check', description: check });
  noteJudging(outcome, result.findings, result.judged);
  return endWith(outcome, result, `${idOf(scenario)}: ${scenario.title}`);
}

/** The scenario once per documented (and robustness) payload variant, each judged against the documented payloads. */
export async function variantsTest(scenario: Scenario, work: TestWork): Promise<TestOutcome> {
  const { outcome, context } = prepare(scenario, work);
  if (!context) return outcome;
  // The documented test's run when this worker made it (the baseline and the confirmations' both: it is judged under the full quiet).
  const documented = await takeDocumentedRun(context, scenario, work);
  if (!verdictOf(documented).passed) return { ...outcome, skip: 'the scenario already fails with the documented payloads' };
  // A run the bot stopped (it did not act: a warning under an inferred rule) cannot get past that step under any
  // variant either; replaying it per variant would only wait out the same window each time.
  if (documented.stoppedAt !== undefined) return { ...outcome, skip: `the documented run stopped at step ${documented.stoppedAt + 1}: the bot did not act, so no variant gets further` };
  noteJudging(outcome, [], documented.judged);
  const exploration = await exploreVariants(context, scenario, documented, EXPLORE_SETTLE_MS, work.settings.concurrency);
  outcome.annotations.push({ type: 'variants', description: exploration.description });
  // Robustness variants the bot failed (without --strict): warnings, as robustness schedules are.
  noteJudging(outcome, exploration.warnings.flatMap((w) => w.findings), []);
  const { failures } = exploration;
  if (!failures.length) return outcome;
  const first = failures[0]!;
  noteBrokenRules(outcome, failures.flatMap((f) => f.findings));
  noteJudging(outcome, failures.flatMap((f) => f.findings), []);
  attachFile(outcome, 'transcript', 'transcript.json', JSON.stringify(first.result.transcript, null, 2));
  attachFile(outcome, 'sequence diagram', 'sequence-diagram.html', sequenceDiagramHtml({ title: `${idOf(scenario)} with ${first.variant.id}`, transcript: first.result.transcript, findings: first.findings }));
  outcome.failure = failures.map((f) => `${idOf(scenario)} with payload variant ${f.variant.id} (${f.variant.because})\n${f.findings.map(formatFinding).join('\n')}`).join('\n\n');
  return outcome;
}

/** Schedule exploration at one licence level (`--runs`), or the replay of one schedule (`--replay`). */
export async function explorationTest(scenario: Scenario, level: 'documented' | 'robustness', work: TestWork): Promise<TestOutcome> {
  const { settings } = work;
  const { outcome, context } = prepare(scenario, work);
  if (!context) return outcome;
  // The baseline, confirmations, late runs and shrinking use the documented run's full quiet (runs start with a short,
  // learnt window): a request later than a short window is then in the baseline and in every confirmation alike.
  const fullMs = documentedSettleMs(work.target);
  const documented = await takeDocumentedRun(context, scenario, work);
  if (!verdictOf(documented).passed) return { ...outcome, skip: 'the scenario already fails in the documented order' };
  noteJudging(outcome, [], documented.judged);
  if (settings.replay) {
    const replayed = await replaySchedule(context, scenario, documented, settings.replay, fullMs);
    outcome.annotations.push({ type: 'schedule', description: replayed.schedule });
    if (replayed.findings.length) scheduleFailure(outcome, { scenario, schedule: replayed.schedule, findings: replayed.findings, result: replayed.result, token: settings.replay, level, how: 'replayed', strict: settings.strict });
    return outcome;
  }
  const exploration = await exploreSchedules(context, scenario, documented, { level, runs: settings.runs, seed: settings.seed, concurrency: settings.concurrency, settleMs: fullMs, timeLimitMs: settings.timeLimitMs });
  outcome.annotations.push({ type: 'schedules', description: exploration.runs ? `${exploration.runs} schedule(s) run, seed ${exploration.seed}${exploration.distinct > 0 ? `, of ${exploration.distinct} distinct` : ''}; ${describeSettle(exploration.settle, fullMs)}` : 'the licences allow no other schedule than the documented one' });
  if (exploration.settle.stillLate) {
    outcome.annotations.push({ type: 'warning', description: `${exploration.settle.stillLate} schedule run(s) still got Graph requests after they were judged a fourth time, with ${exploration.settle.finalMs} ms of quiet: those requests were not judged (the bot sends something long after its last notification)` });
  }
  attachFile(outcome, 'schedules tried', 'schedules.txt', exploration.tried.join('\n'));
  const failure = exploration.failure;
  if (!failure) return outcome;
  const triage = await triageFailure(context, scenario, documented, failure, fullMs);
  outcome.annotations.push({ type: 'triage', description: `${triage.kind}: ${triage.evidence}` });
  scheduleFailure(outcome, { scenario, schedule: failure.description, findings: failure.findings, result: failure.result, token: failure.replayToken, level, how: `shrunk in ${failure.shrinks} step(s), ${triage.kind}`, strict: settings.strict });
  return outcome;
}

/**
 * A scenario's run in the documented order, judged after the documented quiet: the documented test's
 * run, and the baseline its other tests judge against. Reporting hooks only record what the run does.
 */
function documentedRun(context: RunContext, scenario: Scenario, hooks?: StepHooks): Promise<ScenarioResult> {
  return runScenario(context, scenario, hooks, { settleMs: documentedSettleMs(context.target) });
}

/** The documented test's run of the scenario when this worker made it, else a documented run of this test's own. */
function takeDocumentedRun(context: RunContext, scenario: Scenario, work: TestWork): Promise<ScenarioResult> {
  return work.documentedRuns.take(idOf(scenario)) ?? documentedRun(context, scenario);
}

/** `suite/scenario`: the scenario's id in reports. */
function idOf(scenario: Scenario): string {
  return `${scenario.suiteId}/${scenario.id}`;
}

/** The scenario's run context, or an outcome that skips: the bot is unreachable, or the scenario does not apply to it. */
function prepare(scenario: Scenario, work: TestWork): { outcome: TestOutcome; context?: RunContext } {
  const outcome = newOutcome();
  if (existsSync(work.unreachableFile)) return { outcome: { ...outcome, skip: 'the bot could not be reached earlier in this run' } };
  // A scenario the bot cannot be judged on (a capability it does not declare, an action the profile
  // cannot trigger) is not applicable: a skip with a `not-applicable` annotation, its own status in summary.json.
  const applies = applicability(scenario, work.target, work.recordings);
  if (!applies.applies) {
    outcome.annotations.push({ type: 'not-applicable', description: applies.reason });
    return { outcome: { ...outcome, skip: `not applicable: ${applies.reason}` } };
  }
  // Intercept targets run unmodified production bots: they get `resource` beside `resourceUrl`, as from
  // production Graph. Other targets get the documents' payloads verbatim.
  const shapeNotification = interceptMode(work.target) ? withDeprecatedResource : undefined;
  return { outcome, context: { target: work.target, recordings: work.recordings, ...work.harness, shapeNotification, judging: work.judging } };
}

/** Ends the test with the run's findings (and a sequence diagram), or marks the bot unreachable. */
function endWith(outcome: TestOutcome, result: ScenarioResult, title: string): TestOutcome {
  if (result.unreachable) return { ...outcome, unreachable: result.unreachable };
  const { failures } = verdictOf(result);
  if (!failures.length) return outcome;
  noteBrokenRules(outcome, failures);
  attachFile(outcome, 'sequence diagram', 'sequence-diagram.html', sequenceDiagramHtml({ title, transcript: result.transcript, findings: failures }));
  return { ...outcome, failure: `${title}\n${failures.map(formatFinding).join('\n')}` };
}

/** A failing schedule's evidence; the test fails, or only warns for robustness without --strict. */
function scheduleFailure(
  outcome: TestOutcome,
  failure: { scenario: Scenario; schedule: string; findings: Finding[]; result: ScenarioResult; token: string; level: 'documented' | 'robustness'; how: string; strict: boolean },
): void {
  const { scenario, schedule, findings, result, token, level, how, strict } = failure;
  const title = `${idOf(scenario)} under ${schedule}`;
  outcome.attachments.push({ name: 'schedule', body: `${schedule}\n\nreplay: npx confcall run --replay ${token}\n`, contentType: 'text/plain' });
  attachFile(outcome, 'transcript', 'transcript.json', JSON.stringify(result.transcript, null, 2));
  attachFile(outcome, 'sequence diagram', 'sequence-diagram.html', sequenceDiagramHtml({ title, transcript: result.transcript, schedule: [schedule], findings }));
  const message = `${title} (${how})\n${findings.map(formatFinding).join('\n')}\nreplay: npx confcall run --replay ${token}`;
  if (level === 'robustness' && !strict) {
    // One warning with the schedule and its replay token; the findings as data, weighed as warnings.
    for (const f of asRobustness(findings, false)) outcome.annotations.push({ type: 'finding', description: JSON.stringify(findingRecord(f)) });
    outcome.annotations.push({ type: 'warning', description: message });
    return;
  }
  const weighed = level === 'robustness' ? asRobustness(findings, true) : findings;
  noteBrokenRules(outcome, weighed);
  noteJudging(outcome, weighed, []);
  outcome.failure = message;
}

/** `quiet window 10→15 ms, 2 late run(s) judged again`: how the learnt settle window went. */
function describeSettle(settle: SettleReport, fullMs: number): string {
  const window = settle.initialMs === settle.finalMs ? `${settle.initialMs} ms` : `${settle.initialMs}→${settle.finalMs} ms`;
  const late = settle.lateRuns ? `, ${settle.lateRuns} late run(s) judged again` : '';
  const unconfirmed = settle.unconfirmedFailures ? `, ${settle.unconfirmedFailures} failure(s) under it not confirmed by ${fullMs} ms` : '';
  return `quiet window ${window}${late}${unconfirmed}`;
}
