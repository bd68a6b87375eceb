/**
 * (b) Schedules per second on the transfer scenario against the reference bot, exploring its
 * documented orders as `confcall run --runs N` does, at concurrency 1 and 16.
 */
import { runScenario } from '../../harness/run/scenario-run.js';
import { EXPLORE_SETTLE_MS, exploreSchedules, type SettleReport } from '../../harness/run/explore-schedules.js';
import { timed, type BenchFigure } from '../bench-figure.js';
import { size, type BenchSettings } from '../bench-settings.js';
import { scenarioById } from '../harness-under-bench.js';
import { TRANSFER_SCENARIO } from '../notification-sequence.js';
import { startReferenceBot } from '../reference-bot-harness.js';
import { ownCpuMs, processCpuMs } from '../process-cpu.js';

/** Figure (b). */
export async function scheduleThroughput(settings: BenchSettings): Promise<BenchFigure[]> {
  const harness = await startReferenceBot(settings, 20);
  try {
    const scenario = scenarioById(settings.project, TRANSFER_SCENARIO);
    const documented = await runScenario(harness.context, scenario, undefined, { settleMs: EXPLORE_SETTLE_MS });
    if (documented.findings.some((f) => f.severity === 'failure')) throw new Error(`bench: the reference bot fails ${TRANSFER_SCENARIO} in the documented order`);
    let window: SettleReport | undefined;
    const rate = async (concurrency: number, runs: number): Promise<number> => {
      let explored = 0;
      const ms = await timed(async () => {
        const exploration = await exploreSchedules(harness.context, scenario, documented, { level: 'documented', runs, seed: 42, concurrency, settleMs: EXPLORE_SETTLE_MS });
        if (exploration.failure) throw new Error(`bench: the reference bot failed a schedule: ${exploration.failure.description}`);
        explored = exploration.runs;
        window = exploration.settle;
      });
      return explored / (ms / 1000);
    };
    await rate(16, size(settings, 64, 16)); // warm-up
    const one = await rate(1, size(settings, 100, 10));
    const runs16 = size(settings, 1600, 64);
    const [harnessCpu, botCpu] = [ownCpuMs(), processCpuMs(harness.botPid)];
    const sixteen = await rate(16, runs16);
    // Where the CPU goes per schedule (2 cores shared by both processes and whatever else runs here).
    const harnessPerRun = (ownCpuMs() - harnessCpu) / runs16;
    const botPerRun = botCpu === undefined ? undefined : (processCpuMs(harness.botPid)! - botCpu) / runs16;
    const cpu = `CPU per schedule: harness ${harnessPerRun.toFixed(2)} ms, reference bot ${botPerRun === undefined ? 'unknown' : `${botPerRun.toFixed(2)} ms`}`;
    const quiet = `quiet window ${window!.initialMs}→${window!.finalMs} ms, ${window!.lateRuns} late run(s), ${window!.unconfirmedFailures} unconfirmed failure(s)`;
    settings.log(`(b) concurrency 1: ${one.toFixed(1)}/s; concurrency 16: ${sixteen.toFixed(1)}/s; ${cpu}; ${quiet}`);
    return [
      {
        id: 'b',
        title: 'schedules per second, transfer scenario, concurrency 16',
        value: sixteen,
        unit: 'schedules/s',
        baseline: { title: 'concurrency 1', value: one, unit: 'schedules/s' },
        ratio: sixteen / one,
        ratioMeaning: 'concurrency 16 / concurrency 1',
        target: '≥ 300 schedules/s at concurrency 16',
        met: sixteen >= 300,
        method: `${TRANSFER_SCENARIO}, documented orders, ${size(settings, 100, 10)} schedules at concurrency 1 and ${size(settings, 1600, 64)} at 16, runs judged after a learnt quiet window (${quiet}; failures confirmed and late runs judged again with ${EXPLORE_SETTLE_MS} ms or more), against the reference bot (its own process); ${cpu}`,
      },
    ];
  } finally {
    await harness.stop();
  }
}
