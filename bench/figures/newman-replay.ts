/**
 * (e) The same notification sequence replayed by Newman (a Postman collection generated from what
 * the harness sent, same bodies, same token) and by confcall, one delivery at a time each, to the
 * same 202 responder: wall time for the same number of deliveries.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import newman from 'newman';
import { median, roundLine, timed, type BenchFigure } from '../bench-figure.js';
import { size, type BenchSettings } from '../bench-settings.js';
import { endpointTarget, startHarness } from '../harness-under-bench.js';
import { notificationSequence, TRANSFER_SCENARIO } from '../notification-sequence.js';
import { postmanCollection } from '../postman-collection.js';
import { startResponder } from '../responder-process.js';
import { harnessDeliveries, sentNotifications } from './delivery-throughput.js';

/** Runs a collection `iterations` times with Newman's Node API, no reporter; fails unless every answer was 202. */
function runNewman(collection: object, iterations: number): Promise<void> {
  return new Promise((resolve, reject) => {
    newman.run({ collection, iterationCount: iterations, reporters: [] }, (error, summary) => {
      if (error) return reject(error);
      const bad = summary.run.executions.find((e) => e.response?.code !== 202);
      if (bad) return reject(new Error(`bench: newman got ${bad.response?.code ?? bad.requestError?.message} from the 202 responder`));
      resolve();
    });
  });
}

/** Figure (e). */
export async function newmanReplay(settings: BenchSettings): Promise<BenchFigure[]> {
  const responder = await startResponder(settings.portBase + 50);
  const harness = await startHarness(settings.project, endpointTarget(responder.url, settings.portBase + 51), { startBot: false });
  try {
    const sequence = notificationSequence(settings.project);
    const sent = await sentNotifications(harness.context, sequence);
    const collection = postmanCollection(`confcall ${TRANSFER_SCENARIO} notifications`, sent);
    writeFileSync(join(settings.workDir, 'transfer-notifications.postman_collection.json'), `${JSON.stringify(collection, null, 2)}\n`);
    const iterations = size(settings, 200, 10);
    const rounds = size(settings, 5, 1);
    await runNewman(collection, 2);
    await harnessDeliveries(harness.context, sequence, 1, 2);
    const newmanMs: number[] = [];
    const confcallMs: number[] = [];
    const ratios: number[] = [];
    // Paired rounds, each side first in turn; the ratio is the median of the pairs' ratios.
    for (let round = 0; round < rounds; round++) {
      const theirs = (): Promise<number> => timed(() => runNewman(collection, iterations));
      const ours = (): Promise<number> => timed(() => harnessDeliveries(harness.context, sequence, 1, iterations));
      const pair = round % 2 === 0 ? { n: await theirs(), c: await ours() } : { c: await ours(), n: await theirs() };
      newmanMs.push(pair.n);
      confcallMs.push(pair.c);
      ratios.push(pair.n / pair.c);
      settings.log(roundLine('e', round, rounds, { value: pair.c, baseline: pair.n, unit: 'ms (baseline: newman)', ratio: pair.n / pair.c }));
    }
    settings.log(`(e) newman ${newmanMs.map((t) => t.toFixed(0)).join(', ')} ms; confcall ${confcallMs.map((t) => t.toFixed(0)).join(', ')} ms`);
    const deliveries = iterations * sent.length;
    const value = median(confcallMs);
    const baseline = median(newmanMs);
    const ratio = median(ratios);
    return [
      {
        id: 'e',
        title: `replay of the same notification sequence (${deliveries} deliveries)`,
        value,
        unit: 'ms (confcall)',
        baseline: { title: 'newman, generated collection', value: baseline, unit: 'ms' },
        ratio,
        ratioMeaning: 'newman time / confcall time, median of paired rounds',
        target: 'confcall ≥ 25× faster',
        met: ratio >= 25,
        method: `${TRANSFER_SCENARIO}'s ${sent.length} notifications × ${iterations} (newman iterations of the generated collection; confcall scenario runs, each signed, recorded and judged), one at a time, ${rounds} paired round(s) (medians)`,
      },
    ];
  } finally {
    await harness.stop();
    await responder.stop();
  }
}
