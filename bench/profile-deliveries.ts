/**
 * A driver for profiling figure (a16)'s harness side alone: `node --cpu-prof
 * dist/bench/profile-deliveries.js [RUNS_PER_LANE]` runs the transfer scenario's notifications in
 * 16 lanes through the harness to the 202 responder and prints this process's CPU per notification.
 */
import { benchPortBase } from './bench-settings.js';
import { endpointTarget, loadBenchProject, startHarness } from './harness-under-bench.js';
import { harnessDeliveries } from './figures/delivery-throughput.js';
import { notificationSequence } from './notification-sequence.js';
import { ownCpuMs } from './process-cpu.js';
import { startResponder } from './responder-process.js';

const runs = Number(process.argv[2] ?? 400);
const base = benchPortBase(process.env.CONFCALL_BENCH_PORT_BASE);
if ('problem' in base) throw new Error(`bench: ${base.problem}`);
const { portBase } = base;
const project = loadBenchProject('targets/reference-bot.yaml', process.env);
const responder = await startResponder(portBase + 60);
const harness = await startHarness(project, endpointTarget(responder.url, portBase + 61), { startBot: false });
try {
  const sequence = notificationSequence(project);
  const notifications = sequence.steps.length;
  await harnessDeliveries(harness.context, sequence, 16, 20); // warm-up
  const before = ownCpuMs();
  await harnessDeliveries(harness.context, sequence, 16, runs);
  console.log(`${16 * runs * notifications} notifications in 16 lanes: ${(((ownCpuMs() - before) * 1000) / (16 * runs * notifications)).toFixed(1)} µs CPU per notification (this process)`);
} finally {
  await harness.stop();
  await responder.stop();
}
