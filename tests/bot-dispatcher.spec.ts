/**
 * What confcall sends the bot (notifications, probe reads, control calls) goes through one undici pool
 * of its own (harness/notify/bot-dispatcher.ts), never through the dispatcher at undici's global symbol:
 * in Playwright's worker that is Node's bundled undici's Agent, a second HTTP client compiled for a few calls.
 */
import { test, expect } from '@playwright/test';
import { Agent, Dispatcher, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { referenceBehaviour } from '../bots/reference/behaviour.js';
import { readConfig } from '../bots/reference/config.js';
import { startBot } from '../bots/reference/start-bot.js';
import { startInProcess } from '../harness/inprocess/in-process-harness.js';
import { PRODUCTION_ENVIRONMENT } from '../harness/inprocess/preload-environment.js';
import { usesEnvProxy } from '../harness/notify/bot-dispatcher.js';
import { portsFor } from './support/cli.js';

const auth = { appId: '11111111-2222-3333-4444-555555555555', tenantId: 'aa67bd4c-8475-432d-bd41-39f255720e0a', clientSecret: 'bot-dispatcher-test-secret' };

/** A global dispatcher that notes every request it is given, then sends it on as an Agent would. */
class NotingDispatcher extends Dispatcher {
  readonly seen: string[] = [];
  private readonly agent = new Agent();
  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    this.seen.push(`${options.method} ${String(options.origin)}${options.path}`);
    return this.agent.dispatch(options, handler);
  }
  override close(): Promise<void> {
    return this.agent.close();
  }
}

test('notifications, probe reads and control calls to the bot all bypass the global dispatcher', async ({}, testInfo) => {
  const port = Number(portsFor(testInfo.parallelIndex, 2).CONFCALL_BOT_PORT);
  const before = getGlobalDispatcher();
  const noting = new NotingDispatcher();
  setGlobalDispatcher(noting);
  // In-process, confcall's interception sends what is not a production host on to the dispatcher it found (this one).
  const harness = await startInProcess({ callbackUri: `http://127.0.0.1:${port}/api/calls`, control: `http://127.0.0.1:${port}/control`, probe: true, auth, suites: ['suites/transfer.yaml'] });
  const bot = await startBot(readConfig({ ...PRODUCTION_ENVIRONMENT, BOT_APP_ID: auth.appId, BOT_TENANT_ID: auth.tenantId, BOT_CLIENT_SECRET: auth.clientSecret, PORT: String(port) }), referenceBehaviour, { name: 'reference' });
  try {
    // A control call (the transfer), notifications and probe reads, all to the bot's port.
    const verdict = await harness.run('transfer/peer-to-peer-failed');
    expect(verdict.status, verdict.message).toBe('passed');
  } finally {
    await bot.close();
    await harness.stop();
    setGlobalDispatcher(before);
    await noting.close();
  }
  expect(noting.seen.filter((request) => request.includes(`127.0.0.1:${port}`))).toEqual([]);
});

test('the pool to the bot follows the proxy variables exactly when Node itself is told to (NODE_USE_ENV_PROXY=1 or --use-env-proxy)', () => {
  expect(usesEnvProxy({ NODE_USE_ENV_PROXY: '1' }, [], 24)).toBe(true);
  expect(usesEnvProxy({}, ['--use-env-proxy'], 22)).toBe(true);
  expect(usesEnvProxy({ NODE_OPTIONS: '--max-old-space-size=512 --use-env-proxy' }, [], 24)).toBe(true);
  // Node reads only '1'; HTTPS_PROXY alone does not switch it on; Node 20 has no such switch.
  expect(usesEnvProxy({ NODE_USE_ENV_PROXY: 'true', HTTPS_PROXY: 'http://proxy:8080' }, [], 24)).toBe(false);
  expect(usesEnvProxy({ NODE_USE_ENV_PROXY: '1' }, ['--use-env-proxy'], 20)).toBe(false);
});
