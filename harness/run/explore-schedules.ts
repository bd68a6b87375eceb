import fc from 'fast-check';
import type { Scenario } from '../model/suite.js';
import type { Finding } from '../model/transcript.js';
import { decodeSchedule, rawScheduleArbitrary, type RawSchedule } from '../order/schedule-arbitrary.js';
import { countDocumentedSchedules, describeSchedule, segmentsOf, type LicenceLevel, type Schedule } from '../order/schedule.js';
import { explorationBaseline, explorationFailures, type ExplorationBaseline } from '../oracle/verdict.js';
import { runScenario, type RunContext, type ScenarioResult } from './scenario-run.js';
import type { PayloadVariant } from '../order/payload-variants.js';
import { INITIAL_SETTLE_WINDOW_MS, widenedForLateRequest, widenedForUnconfirmedFailure } from './settle-window.js';
import { parseReplayToken } from './exploration-ids.js';


/**
 * Quiet time after which a payload-variant run counts as settled (a failure under it is judged
 * again under the documented run's full quiet: explore-variants.ts). Schedule exploration starts
 * shorter and learns (settle-window.ts); its baseline, confirmations, replays and shrinking wait
 * the documented run's full quiet (run/scenario-run.ts documentedSettleMs).
 */
export const EXPLORE_SETTLE_MS = 60;

/** A converging bot shows its final view within milliseconds; waiting longer only slows shrinking. */
const EXPLORE_PROBE_WITHIN_MS = 500;

/** How to explore a scenario's schedules. */
export interface ExploreOptions {
  level: LicenceLevel;
  /** Schedules to try at most (fewer when the licences allow fewer distinct ones). */
  runs: number;
  seed: number;
  /** Schedules run at the same time against the bot (fresh ids keep them apart). */
  concurrency: number;
  /** The full quiet window: failures are confirmed, and late runs judged again, with at least this. */
  settleMs: number;
  /** Stop exploring (not shrinking) after this many milliseconds. */
  timeLimitMs?: number;
}

/** A schedule under which the bot failed, shrunk, with everything needed to see and replay it. */
export interface ScheduleFailure {
  schedule: Schedule;
  /** `established → establishing(dup)`. */
  description: string;
  findings: Finding[];
  result: ScenarioResult;
  /** `confcall run --replay <token>` reproduces it: `level:seed:index:path`. */
  replayToken: string;
  shrinks: number;
}

export interface Exploration {
  level: LicenceLevel;
  seed: number;
  /** Schedules run (the documented one not counted). */
  runs: number;
  /** Distinct schedules the licences allow (capped), for the report. */
  distinct: number;
  /** Every schedule tried, described, in order: the same seed lists the same ones. */
  tried: string[];
  failure?: ScheduleFailure;
  settle: SettleReport;
}

/** How the learnt quiet window went, for the report. */
export interface SettleReport {
  initialMs: number;
  finalMs: number;
  /** Runs whose call got a request after they were judged (each was judged again). */
  lateRuns: number;
  /** Failures under the short window that the full window did not confirm. */
  unconfirmedFailures: number;
  /** Runs still getting requests after they were judged again, three times: those requests were not judged. */
  stillLate: number;
}

/** Runs a scenario under many allowed schedules and judges each against the documented order; shrinks a failure. */
export async function exploreSchedules(context: RunContext, scenario: Scenario, documented: ScenarioResult, options: ExploreOptions): Promise<Exploration> {
  const segments = segmentsOf(scenario);
  const distinct = options.level === 'documented' ? countDocumentedSchedules(segments) : Number.POSITIVE_INFINITY;
  // The documented schedule is already run; a scenario with no other allowed order has nothing to explore.
  const runs = segments.length === 0 || distinct <= 1 ? 0 : options.runs;
  let windowMs = Math.min(INITIAL_SETTLE_WINDOW_MS, options.settleMs);
  const settle: SettleReport = { initialMs: windowMs, finalMs: windowMs, lateRuns: 0, unconfirmedFailures: 0, stillLate: 0 };
  const exploration: Exploration = { level: options.level, seed: options.seed, runs: 0, distinct: Number.isFinite(distinct) ? distinct : -1, tried: [], settle };
  if (runs === 0) return exploration;

  const arbitrary = rawScheduleArbitrary(segments, options.level);
  const baseline = explorationBaseline(documented);
  const judgeWith = (raw: RawSchedule, settleMs: number) => judgeRun(context, scenario, decodeSchedule(raw, segments, options.level), baseline, settleMs);
  const fullWindow = (): number => Math.max(options.settleMs, windowMs);
  const candidates = fc.sample(arbitrary, { seed: options.seed, numRuns: runs });
  const deadline = options.timeLimitMs ? Date.now() + options.timeLimitMs : Number.POSITIVE_INFINITY;

  // Runs judged lately, by call id, to tell a late request's run; the oldest are forgotten first.
  const judged = new Map<string, { index: number; at: number; waitedMs: number }>();
  const late = new Set<number>();
  const remember = (result: ScenarioResult, index: number, waitedMs: number): void => {
    if (judged.size >= MAX_REMEMBERED_RUNS) judged.delete(judged.keys().next().value!);
    judged.set(result.callId.toLowerCase(), { index, at: performance.now(), waitedMs });
  };
  const stopListening = context.graph.onUnrouted((callId) => {
    const run = judged.get(callId.toLowerCase());
    if (!run) return;
    windowMs = widenedForLateRequest(windowMs, run.waitedMs, performance.now() - run.at);
    late.add(run.index);
  });
  const lateRuns = new Set<number>();

  try {
    const first = await firstFailingIndex(candidates.length, options.concurrency, deadline, async (index) => {
      const waitedMs = windowMs;
      let verdict = await judgeWith(candidates[index]!, waitedMs);
      remember(verdict.result, index, waitedMs);
      if (verdict.findings.length && waitedMs < fullWindow()) {
        // It may have failed only because a request had not come yet: the full window decides.
        verdict = await judgeWith(candidates[index]!, fullWindow());
        remember(verdict.result, index, fullWindow());
        if (!verdict.findings.length) {
          settle.unconfirmedFailures++;
          windowMs = widenedForUnconfirmedFailure(windowMs, options.settleMs);
        }
      }
      return verdict.findings.length > 0;
    });
    let failing = first.failing;
    // Requests for the last runs may still be on their way; then late runs are judged again (lowest first).
    for (let round = 0; round < 3; round++) {
      await new Promise((r) => setTimeout(r, fullWindow()));
      const again = [...late].filter((index) => failing === undefined || index < failing).sort((a, b) => a - b);
      late.clear();
      if (!again.length) break;
      for (const index of again) {
        lateRuns.add(index);
        const waitedMs = fullWindow();
        const verdict = await judgeWith(candidates[index]!, waitedMs);
        remember(verdict.result, index, waitedMs);
        if (verdict.findings.length) {
          failing = index;
          break;
        }
      }
    }
    settle.stillLate = [...late].filter((index) => failing === undefined || index < failing).length;
    const completed = failing === undefined ? first.completed : failing + 1;
    exploration.runs = completed;
    exploration.tried = candidates.slice(0, completed).map((raw) => describeSchedule(decodeSchedule(raw, segments, options.level), scenario));
    if (failing !== undefined) exploration.failure = await shrink(arbitrary, (raw) => judgeWith(raw, fullWindow()), candidates[failing]!, failing, options, segments, scenario);
  } finally {
    stopListening();
  }
  settle.lateRuns = lateRuns.size;
  settle.finalMs = windowMs;
  return exploration;
}

/** Enough to tell the runs of several seconds of exploration apart. */
const MAX_REMEMBERED_RUNS = 4096;

/**
 * Runs `fails(0..count-1)` with `concurrency` of them in flight (a sliding window: a slow run does not
 * hold up the others, as whole batches would) and returns the lowest failing index. Indices start in
 * order and every started run completes, so when the lowest failure is known all indices below it
 * have passed: the first failure is the same whatever the concurrency and the timing. `completed`
 * counts the indices up to it (or all those run), so it is deterministic too.
 */
export async function firstFailingIndex(count: number, concurrency: number, deadline: number, fails: (index: number) => Promise<boolean>): Promise<{ failing?: number; completed: number }> {
  let next = 0;
  let failing: number | undefined;
  let passed = 0;
  const lane = async (): Promise<void> => {
    while (next < count && (failing === undefined || next < failing) && Date.now() < deadline) {
      const index = next++;
      if (await fails(index)) failing = Math.min(failing ?? index, index);
      else passed++;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, lane));
  // Runs started after the first failure's index (in flight when it was found) are not counted.
  return failing === undefined ? { completed: passed } : { failing, completed: failing + 1 };
}

/** Replays the failure a token names (without exploring): the same schedule, judged the same way. */
export async function replaySchedule(context: RunContext, scenario: Scenario, documented: ScenarioResult, token: string, settleMs: number): Promise<{ schedule: string; findings: Finding[]; result: ScenarioResult }> {
  const { level, seed, index, path } = parseReplayToken(token);
  const segments = segmentsOf(scenario);
  const arbitrary = rawScheduleArbitrary(segments, level);
  const example = fc.sample(arbitrary, { seed, numRuns: index + 1 })[index]!;
  const baseline = explorationBaseline(documented);
  let last: Awaited<ReturnType<typeof judgeRun>> | undefined;
  let lastRaw = example;
  await fc.check(
    fc.asyncProperty(arbitrary, async (raw) => {
      lastRaw = raw;
      last = await judgeRun(context, scenario, decodeSchedule(raw, segments, level), baseline, settleMs);
      return last.findings.length === 0;
    }),
    { seed, path, examples: [[example]], endOnFailure: true },
  );
  return { schedule: describeSchedule(decodeSchedule(lastRaw, segments, level), scenario), findings: last?.findings ?? [], result: last!.result };
}

/** How a failing schedule behaves when run again: what kind of failure it is. */
export type FailureKind = 'deterministic' | 'order-sensitive' | 'timing-sensitive' | 'flaky';

/**
 * Flake triage: the failing schedule again as recorded (three times), in documented order, and
 * with its timing perturbed (same order, no delays, deliveries spaced out).
 */
export async function triageFailure(context: RunContext, scenario: Scenario, documented: ScenarioResult, failure: ScheduleFailure, settleMs: number): Promise<{ kind: FailureKind; evidence: string }> {
  const baseline = explorationBaseline(documented);
  const fails = async (schedule: Schedule): Promise<boolean> => (await judgeRun(context, scenario, schedule, baseline, settleMs)).findings.length > 0;
  let recorded = 0;
  for (let i = 0; i < 3; i++) if (await fails(failure.schedule)) recorded++;
  if (recorded < 3) return { kind: 'flaky', evidence: `failed ${recorded} of 3 reruns as recorded` };
  const inDocumentedOrder = documented.findings.some((f) => f.severity === 'failure');
  if (inDocumentedOrder) return { kind: 'deterministic', evidence: 'fails as recorded (3 of 3) and in the documented order' };
  const spaced: Schedule = { segments: failure.schedule.segments.map((s) => s.map((d) => ({ step: d.step, duplicate: d.duplicate, delayMs: 25 }))) };
  if (!(await fails(spaced))) return { kind: 'timing-sensitive', evidence: 'fails as recorded (3 of 3); passes in the same order with deliveries spaced 25 ms apart' };
  return { kind: 'order-sensitive', evidence: 'fails as recorded (3 of 3) and with timing perturbed; passes in the documented order' };
}

/** Runs a scenario once (a schedule, a payload variant) and judges it: its findings, and its behaviour against the documented run's. */
export async function judgeRun(context: RunContext, scenario: Scenario, schedule: Schedule | undefined, baseline: ExplorationBaseline, settleMs: number, variant?: PayloadVariant): Promise<{ findings: Finding[]; result: ScenarioResult }> {
  const result = await runScenario(context, scenario, undefined, { schedule, settleMs, probeWithinMs: EXPLORE_PROBE_WITHIN_MS, variant });
  return { findings: explorationFailures(result, baseline), result };
}

async function shrink(
  arbitrary: fc.Arbitrary<RawSchedule>,
  judge: (raw: RawSchedule) => Promise<{ findings: Finding[]; result: ScenarioResult }>,
  failing: RawSchedule,
  index: number,
  options: ExploreOptions,
  segments: ReturnType<typeof segmentsOf>,
  scenario: Scenario,
): Promise<ScheduleFailure> {
  let smallest: { raw: RawSchedule; verdict: Awaited<ReturnType<typeof judge>> } | undefined;
  const details = await fc.check(
    fc.asyncProperty(arbitrary, async (raw) => {
      const verdict = await judge(raw);
      if (verdict.findings.length) smallest = { raw, verdict };
      return verdict.findings.length === 0;
    }),
    { seed: options.seed, examples: [[failing]], numRuns: 1 },
  );
  const raw = (details.counterexample?.[0] as RawSchedule | undefined) ?? smallest?.raw ?? failing;
  // The smallest failing run is the evidence; judging the schedule again could pass (a flaky bot).
  const verdict = smallest?.verdict ?? (await judge(raw));
  const schedule = decodeSchedule(raw, segments, options.level);
  return {
    schedule,
    description: describeSchedule(schedule, scenario),
    findings: verdict.findings,
    result: verdict.result,
    replayToken: `${scenario.suiteId}/${scenario.id}@${options.level}:${options.seed}:${index}:${details.counterexamplePath ?? '0'}`,
    shrinks: details.numShrinks,
  };
}
