/**
 * A driver for profiling the harness's own CPU per schedule, without the rest of the bench:
 * `node dist/bench/profile-schedules.js [RUNS] [CONCURRENCY] [PROFILE_FILE]` explores the transfer
 * scenario's documented orders against the reference bot (its own process) and prints this
 * process's CPU per schedule, as figure (b) measures it. With PROFILE_FILE it writes a CPU profile
 * of the measured schedules only (node:inspector), without the start-up that `--cpu-prof` also
 * records (loading suites, keys, compiling schemas, the warm-up). It then runs as many schedules'
 * exchanges bare (bench/bare-floor.ts, figure (b-floor)) and prints their CPU per schedule too.
 */
import { benchPortBase } from './bench-settings.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { runScenario } from '../harness/run/scenario-run.js';
import { EXPLORE_SETTLE_MS, exploreSchedules } from '../harness/run/explore-schedules.js';
import { startBareFloor } from './bare-floor.js';
import { loadBenchProject, scenarioById } from './harness-under-bench.js';
import { captureSchedule } from './schedule-exchanges.js';
import { TRANSFER_SCENARIO } from './notification-sequence.js';
import { ownCpuMs, processCpuMs } from './process-cpu.js';
import { startReferenceBot } from './reference-bot-harness.js';

const runs = Number(process.argv[2] ?? 1600);
const concurrency = Number(process.argv[3] ?? 16);
const profileFile = process.argv[4];
const project = loadBenchProject('targets/reference-bot.yaml', process.env);
const base = benchPortBase(process.env.CONFCALL_BENCH_PORT_BASE);
if ('problem' in base) throw new Error(`bench: ${base.problem}`);
const { portBase } = base;
const harness = await startReferenceBot({ quick: true, portBase, project, workDir: '.', log: console.error }, 40);
try {
  const scenario = scenarioById(project, TRANSFER_SCENARIO);
  const documented = await runScenario(harness.context, scenario, undefined, { settleMs: EXPLORE_SETTLE_MS });
  const explore = (n: number) => exploreSchedules(harness.context, scenario, documented, { level: 'documented', runs: n, seed: 42, concurrency, settleMs: EXPLORE_SETTLE_MS });
  await explore(64); // warm-up
  const session = profileFile ? await startProfile() : undefined;
  const [own, bot, started] = [ownCpuMs(), processCpuMs(harness.botPid), performance.now()];
  const exploration = await explore(runs);
  const seconds = (performance.now() - started) / 1000;
  const [ownAfter, botAfter] = [ownCpuMs(), processCpuMs(harness.botPid)];
  if (session) writeFileSync(profileFile!, JSON.stringify((await session.post('Profiler.stop')).profile));
  if (exploration.failure) throw new Error(`a schedule failed: ${exploration.failure.description}`);
  const botMs = bot === undefined || botAfter === undefined ? 'unknown' : ((botAfter - bot) / exploration.runs).toFixed(2);
  const floorMs = await bareFloorMs(() => runScenario(harness.context, scenario, undefined, { settleMs: EXPLORE_SETTLE_MS }), exploration.runs);
  console.log(`${exploration.runs} schedules at concurrency ${concurrency}: ${(exploration.runs / seconds).toFixed(1)}/s; CPU per schedule: harness ${((ownAfter - own) / exploration.runs).toFixed(2)} ms, reference bot ${botMs} ms${profileFile ? ' (profiled: the harness figure includes the profiler)' : ''}; bare floor ${floorMs.toFixed(2)} ms`);
} finally {
  await harness.stop();
}

/** This process's CPU per schedule for `runs` schedules' exchanges done bare, at concurrency 16 (after a warm-up). */
async function bareFloorMs(schedule: () => ReturnType<typeof runScenario>, runs: number): Promise<number> {
  const floor = await startBareFloor(await captureSchedule(schedule), { peer: portBase + 42, graph: portBase + 43 }, mkdtempSync(join(tmpdir(), 'confcall-floor-')));
  try {
    await floor.run(16, 64);
    const before = ownCpuMs();
    await floor.run(16, runs);
    return (ownCpuMs() - before) / runs;
  } finally {
    await floor.stop();
  }
}

/** Starts the sampling profiler in this process (every 200 µs). */
async function startProfile(): Promise<Session> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return session;
}
