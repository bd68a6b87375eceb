/**
 * In-process mode: a Node bot's own test suite starts the fake Graph and the interception of
 * Microsoft's production hosts in its own process, starts the bot there with its production
 * configuration, and runs confcall's scenarios against it with the same runner and oracle as
 * `confcall run`. Notifications still reach the bot over HTTP at its callbackUri.
 */
import { startFakeGraph, type FakeGraph } from '../graph/fake-graph.js';
import { generateRunKeys } from '../graph/signing-keys.js';
import { loadProject, type Project } from '../load/load-project.js';
import { packageRoot } from '../load/package-root.js';
import { formatProblem, type LoadProblem } from '../load/problem.js';
import { firstRunnableStart, type Scenario } from '../model/suite.js';
import { applicability } from '../model/applicability.js';
import type { TargetProfile } from '../model/target.js';
import type { Finding } from '../model/transcript.js';
import { createNotifier } from '../notify/deliver.js';
import { notificationSigners } from '../notify/notification-token.js';
import { withDeprecatedResource } from '../order/payload-variants.js';
import { UNREACHABLE_MESSAGE } from '../report/interrupted.js';
import type { LicenceLevel } from '../order/schedule.js';
import { EXPLORE_SETTLE_MS, exploreSchedules, replaySchedule, triageFailure } from '../run/explore-schedules.js';
import { levelTitle, parseReplayToken } from '../run/exploration-ids.js';
import { exploreVariants } from '../run/explore-variants.js';
import { judgingOf } from '../oracle/judging.js';
import { documentedSettleMs, runScenario, type RunContext, type ScenarioResult, type StepHooks } from '../run/scenario-run.js';
import { asRobustness, formatFinding, verdictOf } from '../oracle/verdict.js';
import { interceptProductionHosts, PRODUCTION_ORIGINS, type Interception } from './intercept-production-hosts.cjs';

/** What the harness needs to know about the bot; everything else is the bot's production configuration. */
export interface InProcessOptions {
  /** Where notifications go: the bot's callback endpoint, listening in this process. */
  callbackUri: string;
  /** The bot's app id (token client id, notification audience), tenant and, if checked, client secret. */
  auth: TargetProfile['auth'];
  /** The bot's control API (DESIGN.md), if it has one; scenarios that need it are skipped otherwise. */
  control?: string;
  /** Whether the bot answers `GET {control}/calls/{callId}` with its view of the call. */
  probe?: boolean;
  /** What the bot does (as a target profile's `capabilities`); default what the control API drives. Scenarios needing more are not applicable. */
  capabilities?: TargetProfile['capabilities'];
  /** Suite files or globs, relative to `root`; default every shipped suite. */
  suites?: string[];
  /** Folder holding `suites/`, `recordings/` and `requirements.yaml`; default confcall's own. */
  root?: string;
  /** host:port of the fake Graph; default a free loopback port. */
  graphListen?: string;
  /** Quiet milliseconds after which a scenario counts as settled. */
  settleMs?: number;
  /** The origins rerouted to the fake Graph; default Graph, the token authority and the notification-key hosts. */
  origins?: readonly string[];
}

/** The outcome of one scenario against the in-process bot. */
export interface Verdict {
  /** `suite/scenario`, as `confcall run --grep` and reports name it. */
  scenario: string;
  title: string;
  status: 'passed' | 'failed' | 'skipped';
  /** Why it failed or was skipped, formatted as `confcall run` prints it; empty when it passed. */
  message: string;
  /** Failures and warnings of the oracle. */
  findings: Finding[];
  /** Checks not made, and why (probe steps without a probe). */
  skippedChecks: string[];
  /** Of `explore` and `replay`: the schedule the bot failed under, shrunk, and the token that replays it. */
  schedule?: { description: string; replayToken: string; triage?: string };
}

/** How `explore` tries a scenario's schedules, as `confcall run --runs N --seed S` does. */
export interface ExploreOptions {
  /** Schedules to try (fewer when the licences allow fewer); default 100. */
  runs?: number;
  /** The same seed tries the same schedules; default 42. */
  seed?: number;
  /**
   * `documented` (default): every order the documents allow; a failure fails the verdict.
   * `robustness`: duplicates, any order inside a segment, delays; failures are warnings unless `strict`.
   */
  level?: LicenceLevel;
  /** Robustness failures fail the verdict (`confcall run --strict`). */
  strict?: boolean;
  /** Schedules run at the same time against the bot; default 1. */
  concurrency?: number;
  /** Stop exploring (not shrinking) after this many milliseconds. */
  timeLimitMs?: number;
}

/** A scenario id the harness does not have, or suites it cannot load; `problems` holds each at its file:line:col. */
export class InProcessError extends Error {
  constructor(
    message: string,
    readonly problems: LoadProblem[] = [],
  ) {
    super(message);
    this.name = 'InProcessError';
  }
}

/** A running in-process harness: the fake Graph, interception, and the scenarios it can run. */
export interface InProcessHarness {
  /** The fake Graph's loopback URL (production hosts are rerouted here). */
  readonly graphUrl: string;
  /** Ids (`suite/scenario`) of every loaded scenario, in suite order. */
  readonly scenarios: readonly string[];
  /** Runs one scenario in the documented order and judges it. */
  run(scenario: string, hooks?: StepHooks): Promise<Verdict>;
  /**
   * Runs one scenario once per documented payload variant and judges each against its documented
   * run, as `confcall run`'s "· documented payload variants" test does.
   */
  runVariants(scenario: string): Promise<Verdict>;
  /**
   * Runs one scenario under many schedules the documents allow (or, at `robustness`, with duplicates
   * and delays) and judges each against the documented order; a failure is shrunk, triaged, and
   * comes with the token that `replay` takes.
   */
  explore(scenario: string, options?: ExploreOptions): Promise<Verdict>;
  /** Runs again exactly the failing schedule `token` names (from a verdict of `explore`, or `confcall run`); `strict` as for `explore`. */
  replay(token: string, options?: Pick<ExploreOptions, 'strict'>): Promise<Verdict>;
  /** Runs every scenario (or those `filter` keeps), one after another. */
  runAll(filter?: (scenario: string) => boolean): Promise<Verdict[]>;
  /** Stops the fake Graph and the notifier, removes the interception and restores nock. */
  stop(): Promise<void>;
}

/** Ids (`suite/scenario`) of the scenarios `startInProcess` would load: synchronous, to declare one test per scenario. */
export function listScenarios(options: Pick<InProcessOptions, 'suites' | 'root'> = {}): string[] {
  return loadInputs(options).suites.flatMap((suite) => suite.scenarios.map((scenario) => `${suite.id}/${scenario.id}`));
}

/** Starts the fake Graph and reroutes production hosts to it in this process; start the bot after (or before) this. */
export async function startInProcess(options: InProcessOptions): Promise<InProcessHarness> {
  const project = loadInputs(options);

  const keys = generateRunKeys();
  const graph: FakeGraph = await startFakeGraph({ listen: options.graphListen ?? '127.0.0.1:0', keys, appId: options.auth.appId, tenantId: options.auth.tenantId, clientSecret: options.auth.clientSecret });
  let interception: Interception;
  try {
    interception = interceptProductionHosts(graph.url, options.origins ?? PRODUCTION_ORIGINS);
  } catch (error) {
    await graph.close();
    throw error;
  }
  // Each call delivers over fresh connections: a bot restarted between calls (as a bot's own tests may do)
  // would otherwise get its first notification on a pooled connection that its old server had closed.
  let notifier = createNotifier();
  const closing = new Set<Promise<void>>();
  const contextOfCall = (): RunContext => {
    const old = notifier;
    const closed = old.close().finally(() => closing.delete(closed)); // graceful: another call may still use it
    closing.add(closed);
    notifier = createNotifier();
    return { ...context, notifier };
  };
  const target: TargetProfile = {
    name: 'in-process',
    callbackUri: options.callbackUri,
    graph: { listen: new URL(graph.url).host },
    auth: options.auth,
    control: options.control,
    probe: options.probe,
    ...(options.capabilities && { capabilities: options.capabilities }),
    settleMs: options.settleMs,
  };
  const context: RunContext = {
    target,
    recordings: project.recordings,
    graph,
    notifier,
    ...notificationSigners(keys),
    // The bot runs its production code: it gets `resource` beside `resourceUrl`, as production Graph sends.
    shapeNotification: withDeprecatedResource,
    judging: judgingOf(project.requirements, false),
  };
  // A scenario that offers a choice of starts runs with the first one this bot can do.
  const startFor = (scenario: Scenario): Scenario => firstRunnableStart(scenario, (start) => cannotRun(context, start) === undefined) ?? scenario;
  const byId = new Map<string, Scenario>(project.suites.flatMap((suite) => suite.scenarios.map((scenario) => [`${suite.id}/${scenario.id}`, startFor(scenario)] as const)));

  const scenarioOf = (id: string): Scenario => {
    const scenario = byId.get(id);
    if (!scenario) throw new InProcessError(`confcall in-process: no scenario ${id}; known: ${[...byId.keys()].join(', ')}`);
    return scenario;
  };
  const run = async (id: string, hooks?: StepHooks): Promise<Verdict> => judge(contextOfCall(), id, scenarioOf(id), hooks);
  let stopped = false;
  return {
    graphUrl: graph.url,
    scenarios: [...byId.keys()],
    run,
    runVariants: async (id) => judgeVariants(contextOfCall(), id, scenarioOf(id)),
    explore: async (id, exploreOptions = {}) => judgeSchedules(contextOfCall(), id, scenarioOf(id), exploreOptions),
    async replay(token, replayOptions = {}) {
      let parsed: ReturnType<typeof parseReplayToken>;
      try {
        parsed = parseReplayToken(token);
      } catch (error) {
        throw new InProcessError(`confcall in-process: ${(error as Error).message}`);
      }
      return judgeReplay(contextOfCall(), parsed.scenario, scenarioOf(parsed.scenario), token, parsed.level, replayOptions.strict);
    },
    async runAll(filter = () => true) {
      const verdicts: Verdict[] = [];
      for (const id of byId.keys()) if (filter(id)) verdicts.push(await run(id));
      return verdicts;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await interception.stop();
      await Promise.all([notifier.close(), ...closing]);
      await graph.close();
    },
  };
}

/** Suites and recordings; bad ones stop here with every problem at its file:line:col. */
function loadInputs(options: Pick<InProcessOptions, 'suites' | 'root'>): Project {
  const { project, problems } = loadProject({ root: options.root ?? packageRoot(), recordingsDir: 'recordings', suitePatterns: options.suites ?? ['suites/*.yaml'] });
  if (problems.length) throw new InProcessError(`confcall in-process: the suites or recordings have problems (run \`confcall validate\`):\n${problems.map(formatProblem).join('\n')}`, problems);
  return project;
}

/** Why a scenario cannot run against this bot at all, if it cannot. */
function cannotRun(context: RunContext, scenario: Scenario): string | undefined {
  const applies = applicability(scenario, context.target, context.recordings);
  return applies.applies ? undefined : `not applicable: ${applies.reason}`;
}

/** One scenario's verdict, by the rules of the conformance project (skips, unreachable bot, failures). */
async function judge(context: RunContext, id: string, scenario: Scenario, hooks?: StepHooks): Promise<Verdict> {
  const base = { scenario: id, title: scenario.title, findings: [] as Finding[], skippedChecks: [] as string[] };
  const skip = cannotRun(context, scenario);
  if (skip) return { ...base, status: 'skipped', message: skip };
  const result = await runScenario(context, scenario, hooks);
  const verdict = { ...base, findings: result.findings, skippedChecks: result.skippedChecks };
  if (result.unreachable) return { ...verdict, status: 'failed', message: `${UNREACHABLE_MESSAGE}: ${result.unreachable}` };
  const { failures } = verdictOf(result);
  if (!failures.length) return { ...verdict, status: 'passed', message: '' };
  return { ...verdict, status: 'failed', message: `${id}: ${scenario.title}\n${failures.map(formatFinding).join('\n')}` };
}

/** A verdict's fields before it is judged: its test name, and nothing found yet. */
function verdictBase(name: string, scenario: Scenario): Omit<Verdict, 'status' | 'message'> {
  return { scenario: name, title: scenario.title, findings: [], skippedChecks: [] };
}

/**
 * The documented run that variants and schedules are judged against, or the verdict that ends the
 * judging first: skipped (the bot cannot be asked, the documented run already fails), or failed (unreachable).
 */
async function documentedRun(context: RunContext, scenario: Scenario, base: Omit<Verdict, 'status' | 'message'>, settleMs: number, skip = cannotRun(context, scenario)): Promise<ScenarioResult | Verdict> {
  if (skip) return { ...base, status: 'skipped', message: skip };
  const documented = await runScenario(context, scenario, undefined, { settleMs });
  if (documented.unreachable) return { ...base, status: 'failed', message: `${UNREACHABLE_MESSAGE}: ${documented.unreachable}` };
  const { failures } = verdictOf(documented);
  if (failures.length) return { ...base, status: 'skipped', message: `the scenario already fails in the documented order, with the documented payloads:\n${failures.map(formatFinding).join('\n')}` };
  return documented;
}

const isVerdict = (value: ScenarioResult | Verdict): value is Verdict => 'status' in value;

/** The payload-variant verdict of a scenario: each variant must leave the bot doing what it did with the documented payloads. */
async function judgeVariants(context: RunContext, id: string, scenario: Scenario): Promise<Verdict> {
  const base = verdictBase(`${id} · documented payload variants`, scenario);
  // The variants' baseline and their confirmations' both: judged under the documented run's full quiet.
  const documented = await documentedRun(context, scenario, base, documentedSettleMs(context.target), cannotRun(context, scenario) ?? (scenario.steps.some((s) => s.kind === 'notify') ? undefined : 'the scenario sends no notification to vary'));
  if (isVerdict(documented)) return documented;
  const { failures } = await exploreVariants(context, scenario, documented, EXPLORE_SETTLE_MS);
  if (!failures.length) return { ...base, status: 'passed', message: '' };
  return {
    ...base,
    status: 'failed',
    findings: failures.flatMap((f) => f.findings),
    message: failures.map((f) => `${id} with payload variant ${f.variant.id} (${f.variant.because})\n${f.findings.map(formatFinding).join('\n')}`).join('\n\n'),
  };
}

/** A scenario explored under many schedules, as `confcall run --runs` does: passes when every schedule behaves as the documented order. */
async function judgeSchedules(context: RunContext, id: string, scenario: Scenario, options: ExploreOptions): Promise<Verdict> {
  const level = options.level ?? 'documented';
  const base = verdictBase(`${id} · ${levelTitle(level)}`, scenario);
  // The baseline, confirmations and shrinking use the documented run's full quiet; runs start with a short learnt window.
  const fullMs = documentedSettleMs(context.target);
  const documented = await documentedRun(context, scenario, base, fullMs);
  if (isVerdict(documented)) return documented;
  const exploration = await exploreSchedules(context, scenario, documented, {
    level,
    runs: options.runs ?? 100,
    seed: options.seed ?? 42,
    concurrency: options.concurrency ?? 1,
    settleMs: fullMs,
    timeLimitMs: options.timeLimitMs,
  });
  const failure = exploration.failure;
  if (!failure) return { ...base, status: 'passed', message: '' };
  const triage = await triageFailure(context, scenario, documented, failure, fullMs);
  const schedule = { description: failure.description, replayToken: failure.replayToken, triage: `${triage.kind}: ${triage.evidence}` };
  return scheduleVerdict(base, id, level, options.strict, schedule, failure.findings, `shrunk in ${failure.shrinks} step(s), ${schedule.triage}`);
}

/** The failing schedule a replay token names, run and judged again. */
async function judgeReplay(context: RunContext, id: string, scenario: Scenario, token: string, level: LicenceLevel, strict: boolean | undefined): Promise<Verdict> {
  const base = verdictBase(`${id} · ${levelTitle(level)}`, scenario);
  const fullMs = documentedSettleMs(context.target);
  const documented = await documentedRun(context, scenario, base, fullMs);
  if (isVerdict(documented)) return documented;
  const replayed = await replaySchedule(context, scenario, documented, token, fullMs);
  const schedule = { description: replayed.schedule, replayToken: token };
  if (!replayed.findings.length) return { ...base, status: 'passed', message: '', schedule };
  return scheduleVerdict(base, id, level, strict, schedule, replayed.findings, 'replayed');
}

/** A failing schedule's verdict; at the robustness level, without `strict`, its failures are warnings and the verdict passes. */
function scheduleVerdict(base: Omit<Verdict, 'status' | 'message'>, id: string, level: LicenceLevel, strict: boolean | undefined, schedule: NonNullable<Verdict['schedule']>, findings: Finding[], how: string): Verdict {
  const message = `${id} under ${schedule.description} (${how})\n${findings.map(formatFinding).join('\n')}\nreplay: harness.replay('${schedule.replayToken}'), or npx confcall run --replay ${schedule.replayToken}`;
  if (level === 'robustness' && !strict) return { ...base, status: 'passed', message, findings: asRobustness(findings, false), schedule };
  return { ...base, status: 'failed', message, findings, schedule };
}
