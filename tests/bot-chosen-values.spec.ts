/**
 * Issue 12, classes 3 and 4: what the documents leave to the bot is not judged by value. A bot that
 * makes up its own clientContext per request, sends only what the control call carried, or keeps
 * the callbackUri it is handed passes; the documents' example bot values are mapped to the target's.
 */
import { randomUUID } from 'node:crypto';
import { test, expect } from '@playwright/test';
import { referenceBehaviour, type BotBehaviour } from '../bots/reference/behaviour.js';
import { readConfig } from '../bots/reference/config.js';
import { startBot } from '../bots/reference/start-bot.js';
import { startInProcess } from '../harness/inprocess/in-process-harness.js';
import { PRODUCTION_ENVIRONMENT } from '../harness/inprocess/preload-environment.js';
import { withTargetCallbackUri } from '../harness/graph/run-ids.js';
import { portsFor } from './support/cli.js';

const auth = { appId: '11111111-2222-3333-4444-555555555555', tenantId: 'aa67bd4c-8475-432d-bd41-39f255720e0a', clientSecret: 'in-process-test-secret' };

/** Starts the in-process harness over `suites` and the reference bot with `behaviour`, runs `body`, stops both. */
async function withBot(port: number, suites: string[], behaviour: BotBehaviour, body: (harness: Awaited<ReturnType<typeof startInProcess>>) => Promise<void>): Promise<void> {
  const harness = await startInProcess({ callbackUri: `http://127.0.0.1:${port}/api/calls`, control: `http://127.0.0.1:${port}/control`, probe: true, auth, suites });
  const bot = await startBot(readConfig({ ...PRODUCTION_ENVIRONMENT, BOT_APP_ID: auth.appId, BOT_TENANT_ID: auth.tenantId, BOT_CLIENT_SECRET: auth.clientSecret, PORT: String(port) }), behaviour, { name: 'bot-chosen-values' });
  try {
    await body(harness);
  } finally {
    await bot.close();
    await harness.stop();
  }
}

test('a bot sending the minimal group transfer body (transferTarget + transferee, no languageId) passes the group-transfer scenarios', async ({}, testInfo) => {
  // 003 Example 5 puts languageId-value and region-value beside transferTarget; the control call carries only {transferTarget, transferee}.
  const minimal: BotBehaviour = { ...referenceBehaviour, transferRequest: (call, request) => {
    const decision = referenceBehaviour.transferRequest(call, request);
    return decision.ok ? { ok: true, body: { transferTarget: request.transferTarget, transferee: request.transferee } as never } : decision;
  } };
  await withBot(Number(portsFor(testInfo.parallelIndex, 5).CONFCALL_BOT_PORT), ['suites/transfer.yaml'], minimal, async (harness) => {
    for (const scenario of ['transfer/group-call-completed', 'transfer/group-call-failed']) {
      const verdict = await harness.run(scenario);
      expect(verdict.status, verdict.message).toBe('passed');
    }
  });
});

test('the control body of a create-call scenario carries the target\'s callbackUri, not the example\'s bot.contoso.com', async ({}, testInfo) => {
  expect(withTargetCallbackUri({ callbackUri: 'https://bot.contoso.com/callback', tenantId: 't' }, 'http://127.0.0.1:1/api/calls')).toEqual({ callbackUri: 'http://127.0.0.1:1/api/calls', tenantId: 't' });
  expect(withTargetCallbackUri({ callbackUri: 'https://my.bot.example/cb' }, 'http://127.0.0.1:1/api/calls')).toEqual({ callbackUri: 'https://my.bot.example/cb' });
  // A bot that keeps the callbackUri it is handed: notifications must still reach it.
  const keepsGiven: BotBehaviour = { ...referenceBehaviour, callRequestBody: (request) => request };
  const port = Number(portsFor(testInfo.parallelIndex, 6).CONFCALL_BOT_PORT);
  await withBot(port, ['suites/create-call.yaml'], keepsGiven, async (harness) => {
    const sent: Array<{ callbackUri?: string }> = [];
    const hooks = { step: (_title: string, _at: unknown, body: (attach: (name: string, value: unknown) => Promise<void>) => Promise<void>) => body(async (name, value) => {
      if (name === 'control') sent.push((value as { request: { body: { callbackUri?: string } } }).request.body);
    }) };
    const verdict = await harness.run('create-call/peer-to-peer-service-hosted-media', hooks);
    expect(sent[0]?.callbackUri).toBe(`http://127.0.0.1:${port}/api/calls`);
    expect(verdict.status, verdict.message).toBe('passed');
  });
});

test('a bot that makes up its own clientContext per request passes exploration of every documented order', async ({}, testInfo) => {
  const ownContext: BotBehaviour = { ...referenceBehaviour, transferRequest: (call, request) => {
    const decision = referenceBehaviour.transferRequest(call, request);
    return decision.ok ? { ok: true, body: { ...decision.body, clientContext: randomUUID() } as never } : decision;
  } };
  await withBot(Number(portsFor(testInfo.parallelIndex, 7).CONFCALL_BOT_PORT), ['suites/transfer.yaml'], ownContext, async (harness) => {
    expect((await harness.run('transfer/peer-to-peer-completed')).status).toBe('passed');
    const explored = await harness.explore('transfer/peer-to-peer-completed', { runs: 10, seed: 7, concurrency: 2 });
    expect(explored.status, explored.message).toBe('passed');
  });
});

test('a bot that hangs up when a transfer fails and says "terminating" at once is warned for hanging up, not failed for its view', async ({}, testInfo) => {
  // Hanging up after a failed transfer is the bot's choice (TRANSFER-FAIL-KEEPS-CALL, inferred: a warning). Once Graph
  // accepted its DELETE the call is ending (call-delete.md), so a view that says so agrees with Graph, as the
  // reference bot's (which waits for the `terminated` notification) does.
  const hangsUpAndSaysSo: BotBehaviour = {
    ...referenceBehaviour,
    onTransferFailed: () => [{ kind: 'hangUp' }],
    applyCallUpdate: (status, update) => {
      const next = referenceBehaviour.applyCallUpdate(status, update);
      return next.transferFailed && !status.transferFailed ? { ...next, state: 'terminating' } : next;
    },
  };
  await withBot(Number(portsFor(testInfo.parallelIndex, 7).CONFCALL_BOT_PORT), ['suites/transfer.yaml'], hangsUpAndSaysSo, async (harness) => {
    const verdict = await harness.run('transfer/peer-to-peer-failed');
    expect(verdict.status, verdict.message).toBe('passed');
    expect(verdict.findings.filter((f) => f.severity === 'failure')).toEqual([]);
    expect(verdict.findings.map((f) => f.requirements).flat()).toContain('TRANSFER-FAIL-KEEPS-CALL');
    expect(verdict.skippedChecks).toEqual([]);
  });
});
