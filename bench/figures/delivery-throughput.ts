/**
 * (a) Notification delivery throughput of the harness (each notification signed, delivered,
 * recorded in the transcript, the run judged) against a bare undici POST loop sending the same
 * bodies with the same token to the same minimal 202 responder.
 */
import { Agent, request } from 'undici';
import { runScenario, type RunContext } from '../../harness/run/scenario-run.js';
import type { Scenario } from '../../harness/model/suite.js';
import type { NotificationDelivery } from '../../harness/model/transcript.js';
import { median, roundLine, timed, type BenchFigure } from '../bench-figure.js';
import { size, type BenchSettings } from '../bench-settings.js';
import { endpointTarget, startHarness } from '../harness-under-bench.js';
import { ownCpuMs, processCpuMs } from '../process-cpu.js';
import { notificationSequence, TRANSFER_SCENARIO } from '../notification-sequence.js';
import { startResponder } from '../responder-process.js';

/** One run's notifications as sent: where, the exact body, and the bearer token. */
export interface SentNotification {
  url: string;
  body: unknown;
  bearer: string;
}

/** Runs the sequence once through the harness and returns what it sent (for the baselines to send the same). */
export async function sentNotifications(context: RunContext, sequence: Scenario): Promise<SentNotification[]> {
  const result = await runScenario(context, sequence, undefined, { settleMs: 0 });
  const bearer = await context.signNotification({ audience: context.target.auth.appId, tenantId: context.target.auth.tenantId });
  const sent = result.transcript.filter((e): e is NotificationDelivery => e.type === 'notification');
  if (sent.some((e) => e.status !== 202)) throw new Error(`bench: the 202 responder answered ${sent.map((e) => e.status).join(', ')}`);
  return sent.map((e) => ({ url: e.url, body: e.body, bearer }));
}

/** Runs the sequence `runs` times in each of `lanes` concurrent lanes through the harness; fails on any non-202. */
export async function harnessDeliveries(context: RunContext, sequence: Scenario, lanes: number, runs: number): Promise<void> {
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let i = 0; i < runs; i++) {
        const result = await runScenario(context, sequence, undefined, { settleMs: 0 });
        const failed = result.transcript.find((e) => e.type === 'notification' && e.status !== 202);
        if (failed || result.unreachable) throw new Error(`bench: a harness delivery failed: ${JSON.stringify(failed ?? result.unreachable)}`);
      }
    }),
  );
}

/** The baseline: the same POSTs (JSON bodies, bearer token) in a plain loop on a keep-alive undici Agent, nothing else. */
async function bareDeliveries(agent: Agent, sent: SentNotification[], lanes: number, runs: number): Promise<void> {
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let i = 0; i < runs; i++) {
        for (const s of sent) {
          const headers = { 'content-type': 'application/json', authorization: `Bearer ${s.bearer}` };
          const res = await request(s.url, { method: 'POST', body: JSON.stringify(s.body), headers, dispatcher: agent });
          await res.body.text();
          if (res.statusCode !== 202) throw new Error(`bench: the 202 responder answered ${res.statusCode}`);
        }
      }
    }),
  );
}

/** Figure (a), at one delivery at a time (as a scenario delivers) and at 16 lanes (as exploration does). */
export async function deliveryThroughput(settings: BenchSettings): Promise<BenchFigure[]> {
  const responder = await startResponder(settings.portBase + 10);
  const harness = await startHarness(settings.project, endpointTarget(responder.url, settings.portBase + 11), { startBot: false });
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: 32 });
  try {
    const sequence = notificationSequence(settings.project);
    const sent = await sentNotifications(harness.context, sequence);
    const rounds = size(settings, 15, 1);
    const figures: BenchFigure[] = [];
    for (const lanes of [1, 16]) {
      const runs = lanes === 1 ? size(settings, 300, 20) : size(settings, 80, 4);
      const notifications = lanes * runs * sent.length;
      // Warm both paths (JIT, connections) with a whole untimed round each: after a few runs only,
      // the first timed round measured the compiler, not the path.
      await harnessDeliveries(harness.context, sequence, lanes, runs);
      await bareDeliveries(agent, sent, lanes, runs);
      const harnessRates: number[] = [];
      const bareRates: number[] = [];
      const ratios: number[] = [];
      // This process's CPU per notification on each side: at 16 lanes its one thread is the bottleneck, so the ratio follows it.
      const cpu = { harness: [] as number[], bare: [] as number[], responder: [] as number[] };
      // Paired rounds, each side first in turn, and the median of the pairs' ratios: other
      // processes on the machine slow both sides of a pair alike.
      for (let round = 0; round < rounds; round++) {
        const rate = async (side: 'harness' | 'bare', deliveries: () => Promise<void>): Promise<number> => {
          const [ownBefore, responderBefore] = [ownCpuMs(), processCpuMs(responder.pid)];
          const ms = await timed(deliveries);
          cpu[side].push(((ownCpuMs() - ownBefore) * 1000) / notifications);
          if (side === 'bare' && responderBefore !== undefined) cpu.responder.push(((processCpuMs(responder.pid)! - responderBefore) * 1000) / notifications);
          return notifications / (ms / 1000);
        };
        const bare = (): Promise<number> => rate('bare', () => bareDeliveries(agent, sent, lanes, runs));
        const ours = (): Promise<number> => rate('harness', () => harnessDeliveries(harness.context, sequence, lanes, runs));
        const pair = round % 2 === 0 ? { b: await bare(), h: await ours() } : { h: await ours(), b: await bare() };
        bareRates.push(pair.b);
        harnessRates.push(pair.h);
        ratios.push(pair.h / pair.b);
        settings.log(roundLine(lanes === 1 ? 'a' : 'a16', round, rounds, { value: pair.h, baseline: pair.b, unit: 'notifications/s', extra: `CPU per notification ${cpu.harness.at(-1)!.toFixed(0)} µs harness, ${cpu.bare.at(-1)!.toFixed(0)} µs bare` }));
      }
      const value = median(harnessRates);
      const baseline = median(bareRates);
      const ratio = median(ratios);
      settings.log(`(a) ${lanes} lane(s): harness ${harnessRates.map((r) => r.toFixed(0)).join(', ')}/s; bare undici ${bareRates.map((r) => r.toFixed(0)).join(', ')}/s; ratios ${ratios.map((r) => r.toFixed(2)).join(', ')}`);
      const cpuNote = `CPU per notification (medians): this process ${median(cpu.harness).toFixed(0)} µs harness, ${median(cpu.bare).toFixed(0)} µs bare${cpu.responder.length ? `; responder ${median(cpu.responder).toFixed(0)} µs` : ''}`;
      settings.log(`(a) ${lanes} lane(s): ${cpuNote}`);
      figures.push({
        id: lanes === 1 ? 'a' : 'a16',
        title: `notification delivery, ${lanes === 1 ? 'one at a time' : '16 lanes'} (signed, recorded, judged)`,
        value,
        unit: 'notifications/s',
        baseline: { title: 'bare undici POST loop', value: baseline, unit: 'notifications/s' },
        ratio,
        ratioMeaning: 'harness / bare, median of paired rounds',
        target: 'ratio ≥ 0.8',
        met: ratio >= 0.8,
        method: `${TRANSFER_SCENARIO}'s ${sent.length} notifications, ${runs} scenario run(s) per lane, ${lanes} lane(s) (${notifications} deliveries a round), ${rounds} paired rounds (medians; the ratio is the median of the pairs' ratios), to a node:http responder answering 202 in its own process. ${cpuNote}`,
      });
    }
    return figures;
  } finally {
    await agent.close();
    await harness.stop();
    await responder.stop();
  }
}
