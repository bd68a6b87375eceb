/**
 * (b) Schedules per second on the transfer scenario against the reference bot, exploring its
 * documented orders as `confcall run --runs N` does, at concurrency 1 and 16; and (b-cpu) the
 * harness's own CPU per schedule at concurrency 16 (this process: runs, fake Graph, notifier,
 * oracle; the bot is its own process and is measured apart).
 */
import { runScenario } from '../../harness/run/scenario-run.js';
import { EXPLORE_SETTLE_MS, exploreSchedules, type SettleReport } from '../../harness/run/explore-schedules.js';
import { median, roundLine, timed, type BenchFigure } from '../bench-figure.js';
import { size, type BenchSettings } from '../bench-settings.js';
import { scenarioById } from '../harness-under-bench.js';
import { TRANSFER_SCENARIO } from '../notification-sequence.js';
import { startReferenceBot } from '../reference-bot-harness.js';
import { ownCpuMs, processCpuMs } from '../process-cpu.js';

/** The issue's bound on the harness's own CPU per schedule. */
const HARNESS_CPU_TARGET_MS = 1;

/** Figures (b) and (b-cpu). */
export async function scheduleThroughput(settings: BenchSettings): Promise<BenchFigure[]> {
  const harness = await startReferenceBot(settings, 20);
  try {
    const scenario = scenarioById(settings.project, TRANSFER_SCENARIO);
    const documented = await runScenario(harness.context, scenario, undefined, { settleMs: EXPLORE_SETTLE_MS });
    if (documented.findings.some((f) => f.severity === 'failure')) throw new Error(`bench: the reference bot fails ${TRANSFER_SCENARIO} in the documented order`);
    let window: SettleReport | undefined;
    /** Explores `runs` schedules; their rate, and this process's and the bot's CPU per schedule. */
    const measure = async (concurrency: number, runs: number, seed: number): Promise<{ rate: number; harnessMs: number; botMs?: number }> => {
      let explored = 0;
      const [ownBefore, botBefore] = [ownCpuMs(), processCpuMs(harness.botPid)];
      const ms = await timed(async () => {
        const exploration = await exploreSchedules(harness.context, scenario, documented, { level: 'documented', runs, seed, concurrency, settleMs: EXPLORE_SETTLE_MS });
        if (exploration.failure) throw new Error(`bench: the reference bot failed a schedule: ${exploration.failure.description}`);
        explored = exploration.runs;
        window = exploration.settle;
      });
      const botAfter = processCpuMs(harness.botPid);
      return { rate: explored / (ms / 1000), harnessMs: (ownCpuMs() - ownBefore) / explored, botMs: botBefore === undefined || botAfter === undefined ? undefined : (botAfter - botBefore) / explored };
    };
    await measure(16, size(settings, 64, 16), 42); // warm-up
    const rounds = size(settings, 4, 1);
    const [runs1, runs16] = [size(settings, 25, 10), size(settings, 400, 64)];
    const one: number[] = [];
    const sixteen: Array<Awaited<ReturnType<typeof measure>>> = [];
    // Rounds, each side first in turn, so a busy spell on the machine does not fall on one side only.
    for (let round = 0; round < rounds; round++) {
      const c1 = async (): Promise<void> => void one.push((await measure(1, runs1, 42 + round)).rate);
      const c16 = async (): Promise<void> => void sixteen.push(await measure(16, runs16, 42 + round));
      if (round % 2 === 0) await c1().then(c16);
      else await c16().then(c1);
      const last = sixteen.at(-1)!;
      settings.log(roundLine('b', round, rounds, { value: last.rate, baseline: one.at(-1)!, unit: 'schedules/s', extra: `harness CPU ${last.harnessMs.toFixed(2)} ms/schedule, bot ${last.botMs?.toFixed(2) ?? 'unknown'} ms` }));
    }
    const rate1 = median(one);
    const rate16 = median(sixteen.map((s) => s.rate));
    const harnessMs = median(sixteen.map((s) => s.harnessMs));
    const botValues = sixteen.flatMap((s) => (s.botMs === undefined ? [] : [s.botMs]));
    const botMs = botValues.length ? median(botValues) : undefined;
    const cpu = `CPU per schedule: harness ${harnessMs.toFixed(2)} ms, reference bot ${botMs === undefined ? 'unknown' : `${botMs.toFixed(2)} ms`}`;
    const quiet = `quiet window ${window!.initialMs}→${window!.finalMs} ms, ${window!.lateRuns} late run(s), ${window!.unconfirmedFailures} unconfirmed failure(s)`;
    settings.log(`(b) concurrency 1: ${rate1.toFixed(1)}/s; concurrency 16: ${rate16.toFixed(1)}/s; ${cpu}; ${quiet}`);
    const sizes = `${rounds} round(s) of ${runs1} schedules at concurrency 1 and ${runs16} at 16 (medians)`;
    return [
      {
        id: 'b',
        title: 'schedules per second, transfer scenario, concurrency 16',
        value: rate16,
        unit: 'schedules/s',
        baseline: { title: 'concurrency 1', value: rate1, unit: 'schedules/s' },
        ratio: rate16 / rate1,
        ratioMeaning: 'concurrency 16 / concurrency 1',
        target: '≥ 300 schedules/s at concurrency 16',
        met: rate16 >= 300,
        method: `${TRANSFER_SCENARIO}, documented orders, ${sizes}, runs judged after a learnt quiet window (${quiet}; failures confirmed and late runs judged again with ${EXPLORE_SETTLE_MS} ms or more), against the reference bot (its own process); ${cpu}`,
      },
      {
        id: 'b-cpu',
        title: 'harness CPU per schedule, concurrency 16 (bot excluded)',
        value: harnessMs,
        unit: 'ms',
        ...(botMs !== undefined && { baseline: { title: 'reference bot CPU per schedule', value: botMs, unit: 'ms' }, ratio: harnessMs / botMs, ratioMeaning: 'harness / bot' }),
        target: `≤ ${HARNESS_CPU_TARGET_MS} ms`,
        met: harnessMs <= HARNESS_CPU_TARGET_MS,
        method: `this process's CPU time (user + system, process.cpuUsage: the scenario runs, the fake Graph, the notifier, the oracle, fast-check) over each round's ${runs16} schedules at concurrency 16, divided by the schedules, median of ${rounds} round(s); the reference bot runs in its own process, its CPU read from /proc and shown as the baseline`,
      },
    ];
  } finally {
    await harness.stop();
  }
}
