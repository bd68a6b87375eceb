import type { TargetProfile } from '../harness/model/target.js';
import { loadBenchProject, startHarness, type HarnessUnderBench } from './harness-under-bench.js';
import type { BenchSettings } from './bench-settings.js';

/** The harness with the reference bot started on ports from `portBase + offset` (bot, then fake Graph). */
export async function startReferenceBot(settings: BenchSettings, offset: number): Promise<HarnessUnderBench> {
  const env = { ...process.env, CONFCALL_BOT_PORT: String(settings.portBase + offset), CONFCALL_GRAPH_PORT: String(settings.portBase + offset + 1) };
  const target: TargetProfile = loadBenchProject('targets/reference-bot.yaml', env).target;
  return startHarness(settings.project, target, { startBot: true });
}
