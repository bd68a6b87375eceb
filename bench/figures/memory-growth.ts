/** (d) The harness process's RSS after 1,000 and after 10,000 schedule runs (transfer scenario, concurrency 16). */
import { runScenario } from '../../harness/run/scenario-run.js';
import { EXPLORE_SETTLE_MS, exploreSchedules } from '../../harness/run/explore-schedules.js';
import type { BenchFigure } from '../bench-figure.js';
import { size, type BenchSettings } from '../bench-settings.js';
import { scenarioById } from '../harness-under-bench.js';
import { TRANSFER_SCENARIO } from '../notification-sequence.js';
import { startReferenceBot } from '../reference-bot-harness.js';

const MB = 1024 * 1024;

/** RSS in MB, after a full collection when the process runs with --expose-gc (what stays, not what waits for the collector). */
function rssMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss / MB;
}

/** Figure (d). */
export async function memoryGrowth(settings: BenchSettings): Promise<BenchFigure[]> {
  const harness = await startReferenceBot(settings, 40);
  try {
    const scenario = scenarioById(settings.project, TRANSFER_SCENARIO);
    const documented = await runScenario(harness.context, scenario, undefined, { settleMs: EXPLORE_SETTLE_MS });
    const chunk = size(settings, 1000, 100);
    const chunks = 10;
    let afterFirst = 0;
    let afterAll = 0;
    let total = 0;
    // Chunks of one exploration each (seeds 1..10), as one long run explores scenario after scenario.
    for (let k = 1; k <= chunks; k++) {
      const exploration = await exploreSchedules(harness.context, scenario, documented, { level: 'documented', runs: chunk, seed: k, concurrency: 16, settleMs: EXPLORE_SETTLE_MS });
      if (exploration.failure) throw new Error(`bench: the reference bot failed a schedule: ${exploration.failure.description}`);
      total += exploration.runs;
      afterAll = rssMb();
      if (k === 1) afterFirst = afterAll;
      settings.log(`(d) ${total} schedules: RSS ${afterAll.toFixed(1)} MB, heap used ${(process.memoryUsage().heapUsed / MB).toFixed(1)} MB`);
    }
    const growth = afterAll - afterFirst;
    return [
      {
        id: 'd',
        title: `RSS growth from ${chunk} to ${chunk * chunks} schedules`,
        value: growth,
        unit: 'MB',
        baseline: { title: `RSS after ${chunk} schedules`, value: afterFirst, unit: 'MB' },
        ratio: afterAll / afterFirst,
        ratioMeaning: `RSS after ${chunk * chunks} / after ${chunk}`,
        target: 'growth < 50 MB',
        met: growth < 50,
        method: `the harness process (fake Graph, notifier, oracle) exploring ${TRANSFER_SCENARIO} at concurrency 16 against the reference bot, ${chunks} explorations of ${chunk} schedules; RSS after a forced GC (node --expose-gc)`,
      },
    ];
  } finally {
    await harness.stop();
  }
}
