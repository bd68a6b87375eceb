/**
 * Consecutive probe steps with nothing between them ask about one instant, so the harness reads the
 * bot's view once for both (scenario-run.ts probeStep). It reads again when the reading does not
 * show what the next step expects, and whenever something came between the steps.
 */
import { test, expect } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { placeOfUrl } from '../harness/notify/http-exchange.js';
import { probeOf } from '../harness/run/bot-probe.js';
import { runScenario } from '../harness/run/scenario-run.js';
import type { ControlStep, ProbeStep, Scenario, Step } from '../harness/model/suite.js';
import type { TargetProfile } from '../harness/model/target.js';
import { loadBenchProject, scenarioById, startHarness } from '../bench/harness-under-bench.js';
import { portsFor } from './support/cli.js';

test.describe.configure({ mode: 'parallel' });

const AT = { file: 'tests/probe-reads.spec.ts', line: 1, col: 1 };
const STATE: ProbeStep = { kind: 'probe', expect: { state: 'established' }, position: AT };
const RESULT_INFO: ProbeStep = { kind: 'probe', expect: { resultInfo: { code: 500, subcode: 7000 } }, position: AT };
const MUTE: ControlStep = { kind: 'control', method: 'POST', path: '/calls/{call.id}/mute', position: AT };
const FAILED_TRANSFER_VIEW = { state: 'established', resultInfo: { code: 500, subcode: 7000 } };

/** A bot that is only a control API: its probe answers `views[n]` to the n-th read (the last one from then on); it counts the reads. */
async function viewServer(views: unknown[]): Promise<{ server: Server; url: string; reads: () => number }> {
  let reads = 0;
  const server = createServer((req, res) => {
    if (req.method === 'GET') {
      const view = views[Math.min(reads++, views.length - 1)];
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(view));
    } else res.writeHead(202).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, reads: () => reads };
}

/** Runs `steps` as the failed transfer's scenario against a bot whose probe answers `views`: the findings and how often the probe was read. */
async function run(steps: Step[], views: unknown[], parallelIndex: number) {
  const env = { ...process.env, ...portsFor(parallelIndex, 3) };
  const project = loadBenchProject('targets/reference-bot.yaml', env);
  const bot = await viewServer(views);
  const target: TargetProfile = { ...project.target, start: undefined, control: bot.url, probe: true, actions: undefined };
  const harness = await startHarness(project, target, { startBot: false });
  try {
    const scenario: Scenario = { ...scenarioById(project, 'transfer/peer-to-peer-failed'), steps, reorderable: [] };
    const result = await runScenario(harness.context, scenario, undefined, { settleMs: 10, probeWithinMs: 500 });
    return { findings: result.findings, probes: result.transcript.filter((e) => e.type === 'probe'), reads: bot.reads() };
  } finally {
    await harness.stop();
    await new Promise((r) => bot.server.close(r));
  }
}

test('two consecutive probe steps are judged on one reading of the bot\'s view', async ({}, testInfo) => {
  const { findings, probes, reads } = await run([STATE, RESULT_INFO], [FAILED_TRANSFER_VIEW], testInfo.parallelIndex);
  expect(findings).toEqual([]);
  // Each step still writes its probe entry, with the view it was judged on.
  expect(probes.map((p) => [p.type === 'probe' && p.stepIndex, p.type === 'probe' && p.view])).toEqual([[0, FAILED_TRANSFER_VIEW], [1, FAILED_TRANSFER_VIEW]]);
  expect(reads).toBe(1);
});

test('the next probe step reads again when the reading does not show what it expects yet', async ({}, testInfo) => {
  // The bot shows the state first and the transfer's resultInfo only from its second read on.
  const { findings, probes, reads } = await run([STATE, RESULT_INFO], [{ state: 'established' }, FAILED_TRANSFER_VIEW], testInfo.parallelIndex);
  expect(findings).toEqual([]);
  expect(probes.map((p) => p.type === 'probe' && p.view)).toEqual([{ state: 'established' }, FAILED_TRANSFER_VIEW]);
  expect(reads).toBe(2);
});

test('a probe step after a control call reads the bot\'s view afresh', async ({}, testInfo) => {
  const { findings, reads } = await run([STATE, MUTE, RESULT_INFO], [FAILED_TRANSFER_VIEW], testInfo.parallelIndex);
  expect(findings).toEqual([]);
  expect(reads).toBe(2);
});

test('a probe step that fails is judged on fresh readings until its time is up, not on the previous step\'s', async ({}, testInfo) => {
  const { findings, reads } = await run([STATE, RESULT_INFO], [{ state: 'established' }], testInfo.parallelIndex);
  expect(findings.map((f) => f.stepIndex)).toEqual([1]);
  expect(reads).toBeGreaterThan(2);
});

test('the probe\'s place is the place of its whole URL parsed, for odd control URLs and call ids', () => {
  const controls = fc.constantFrom('http://127.0.0.1:3978', 'http://127.0.0.1:3978/', 'http://localhost:8080/control/', 'http://[::1]:3978/a b/../c', 'https://bot.example/x?tenant=1', 'http://h/a#frag', 'http://h/%7e/', 'not a url');
  const callIds = fc.oneof(fc.uuid(), fc.stringMatching(/^[0-9A-Za-z-]{1,40}$/), fc.constantFrom('..', '.', 'a b', 'a/b', 'ä', '%41', 'a?b', 'a#b', ''));
  fc.assert(
    fc.property(controls, callIds, (control, callId) => {
      const target = { probe: true, control, auth: { appId: 'a', tenantId: 't' }, callbackUri: 'http://x', graph: { listen: '127.0.0.1:0' }, name: 'n' } as TargetProfile;
      const probe = probeOf(target, callId)!;
      expect(probe.url).toBe(`${control.replace(/\/$/, '')}/calls/${callId}`);
      let whole: { origin: string; path: string } | undefined;
      try {
        whole = placeOfUrl(probe.url);
      } catch {
        whole = undefined;
      }
      expect(probe.place).toEqual(whole);
    }),
    { numRuns: 500 },
  );
});
