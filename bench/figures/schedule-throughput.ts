/**
 * (b) Schedules per second on the transfer scenario against the reference bot, exploring its
 * documented orders as `confcall run --runs N` does, at concurrency 1 and 16; (b-cpu) the
 * harness's own CPU per schedule at concurrency 16 (this process: runs, fake Graph, notifier,
 * oracle; the bot is its own process and is measured apart); and (b-floor) the same schedule's
 * exchanges done bare (bench/bare-floor.ts), this process's CPU per schedule, in the same rounds.
 */
import { runScenario } from '../../harness/run/scenario-run.js';
import { EXPLORE_SETTLE_MS, exploreSchedules, type SettleReport } from '../../harness/run/explore-schedules.js';
import { median, roundLine, timed, type BenchFigure } from '../bench-figure.js';
import { size, type BenchSettings } from '../bench-settings.js';
import { startBareFloor, type BareFloor } from '../bare-floor.js';
import { scenarioById } from '../harness-under-bench.js';
import { captureSchedule, type ScheduleExchanges } from '../schedule-exchanges.js';
import { TRANSFER_SCENARIO } from '../notification-sequence.js';
import { startReferenceBot } from '../reference-bot-harness.js';
import { ownCpuMs, processCpuMs } from '../process-cpu.js';

/** The issue's bound on the harness's own CPU per schedule. */
const HARNESS_CPU_TARGET_MS = 1;

/** Figures (b), (b-cpu) and (b-floor). */
export async function scheduleThroughput(settings: BenchSettings): Promise<BenchFigure[]> {
  const harness = await startReferenceBot(settings, 20);
  let floor: BareFloor | undefined;
  try {
    const scenario = scenarioById(settings.project, TRANSFER_SCENARIO);
    const documented = await runScenario(harness.context, scenario, undefined, { settleMs: EXPLORE_SETTLE_MS });
    if (documented.findings.some((f) => f.severity === 'failure')) throw new Error(`bench: the reference bot fails ${TRANSFER_SCENARIO} in the documented order`);
    // A second documented run, its exchanges captured for the floor: the first one also fetched the bot's token.
    const exchanges = await captureSchedule(() => runScenario(harness.context, scenario, undefined, { settleMs: EXPLORE_SETTLE_MS }));
    floor = await startBareFloor(exchanges, { peer: settings.portBase + 22, graph: settings.portBase + 23 }, settings.workDir);
    const bareFloor = floor;
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
    /** Runs `runs` schedules' exchanges bare at concurrency 16; this process's CPU per schedule. */
    const measureFloor = async (runs: number): Promise<number> => {
      const before = ownCpuMs();
      await bareFloor.run(16, runs);
      return (ownCpuMs() - before) / runs;
    };
    await measure(16, size(settings, 64, 16), 42); // warm-up
    await measureFloor(size(settings, 400, 64));
    const rounds = size(settings, 4, 1);
    const [runs1, runs16] = [size(settings, 25, 10), size(settings, 400, 64)];
    const one: number[] = [];
    const sixteen: Array<Awaited<ReturnType<typeof measure>>> = [];
    const floors: number[] = [];
    // Rounds, each side first in turn, so a busy spell on the machine does not fall on one side only.
    for (let round = 0; round < rounds; round++) {
      const c1 = async (): Promise<void> => void one.push((await measure(1, runs1, 42 + round)).rate);
      const c16 = async (): Promise<void> => void sixteen.push(await measure(16, runs16, 42 + round));
      const bare = async (): Promise<void> => void floors.push(await measureFloor(runs16));
      if (round % 2 === 0) await c1().then(c16).then(bare);
      else await bare().then(c16).then(c1);
      const last = sixteen.at(-1)!;
      settings.log(roundLine('b', round, rounds, { value: last.rate, baseline: one.at(-1)!, unit: 'schedules/s', extra: `harness CPU ${last.harnessMs.toFixed(2)} ms/schedule, bare floor ${floors.at(-1)!.toFixed(2)} ms, bot ${last.botMs?.toFixed(2) ?? 'unknown'} ms` }));
    }
    const rate1 = median(one);
    const rate16 = median(sixteen.map((s) => s.rate));
    const harnessMs = median(sixteen.map((s) => s.harnessMs));
    const botValues = sixteen.flatMap((s) => (s.botMs === undefined ? [] : [s.botMs]));
    const botMs = botValues.length ? median(botValues) : undefined;
    const floorMs = median(floors);
    const cpu = `CPU per schedule: harness ${harnessMs.toFixed(2)} ms, bare floor ${floorMs.toFixed(2)} ms, reference bot ${botMs === undefined ? 'unknown' : `${botMs.toFixed(2)} ms`}`;
    const floorMethod = describeFloor(exchanges);
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
        baseline: { title: 'b-floor: the same exchanges done bare', value: floorMs, unit: 'ms' },
        ratio: harnessMs / floorMs,
        ratioMeaning: 'harness / bare floor',
        target: `≤ ${HARNESS_CPU_TARGET_MS} ms`,
        met: harnessMs <= HARNESS_CPU_TARGET_MS,
        method: `this process's CPU time (user + system, process.cpuUsage: the scenario runs, the fake Graph, the notifier, the oracle, fast-check) over each round's ${runs16} schedules at concurrency 16, divided by the schedules, median of ${rounds} round(s); baseline: (b-floor), measured in the same rounds; the reference bot runs in its own process, its CPU read from /proc: ${botMs === undefined ? 'unknown' : `${botMs.toFixed(2)} ms`} per schedule`,
      },
      {
        id: 'b-floor',
        title: "bare floor: a schedule's exchanges with no harness logic, CPU per schedule",
        value: floorMs,
        unit: 'ms',
        baseline: { title: "(b-cpu)'s bound", value: HARNESS_CPU_TARGET_MS, unit: 'ms' },
        ratio: floorMs / HARNESS_CPU_TARGET_MS,
        ratioMeaning: 'floor / bound: the share of the bound the transport alone takes',
        method: `${floorMethod}; this process's CPU over each round's ${runs16} schedules in 16 lanes, divided by the schedules, median of ${rounds} round(s), in the same rounds as (b-cpu)`,
      },
    ];
  } finally {
    await floor?.stop();
    await harness.stop();
  }
}

/** What one bare schedule does, in words and sizes, for the figure's method. */
function describeFloor({ sent, received }: ScheduleExchanges): string {
  const bytes = (body: string | undefined): number => Buffer.byteLength(body ?? '');
  const kinds = new Map<string, { count: number; bytes: number }>();
  for (const s of sent) {
    const kind = `${s.method} ${s.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, '{id}')}`;
    const seen = kinds.get(kind) ?? { count: 0, bytes: 0 };
    kinds.set(kind, { count: seen.count + 1, bytes: seen.bytes + bytes(s.body) });
  }
  const sentText = [...kinds].map(([kind, k]) => `${k.count}× ${kind}${k.bytes ? ` (${Math.round(k.bytes / k.count)} B bodies)` : ''}`).join(', ');
  const receivedText = received.map((r) => `${r.method} ${r.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, '{id}')} (${bytes(r.body)} B)`).join(', ');
  return `one captured schedule of ${TRANSFER_SCENARIO} repeated with a fresh call id: ${sent.length} requests to a peer in its own process on a keep-alive undici Agent, answers read and JSON ones parsed (${sentText}), and the peer's ${received.length} Graph requests (${receivedText}) answered by a node:http server here with the fake Graph's captured answers, bodies parsed; no scenario, transcript or judging`;
}
