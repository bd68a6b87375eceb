/**
 * What confcall sends the bot (notifications, probe reads, control calls) goes through one undici pool
 * of its own (harness/notify/bot-dispatcher.ts), never through the dispatcher at undici's global symbol:
 * in Playwright's worker that is Node's bundled undici's Agent, a second HTTP client compiled for a few calls.
 */
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { test, expect } from '@playwright/test';
import { Agent, Dispatcher, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { referenceBehaviour } from '../bots/reference/behaviour.js';
import { readConfig } from '../bots/reference/config.js';
import { startBot } from '../bots/reference/start-bot.js';
import { startInProcess } from '../harness/inprocess/in-process-harness.js';
import { PRODUCTION_ENVIRONMENT } from '../harness/inprocess/preload-environment.js';
import { usesEnvProxy } from '../harness/notify/bot-dispatcher.js';
import { createNotifier } from '../harness/notify/deliver.js';
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
  expect(usesEnvProxy({ NODE_USE_ENV_PROXY: '1' }, [], '24.0.0')).toBe(true);
  expect(usesEnvProxy({}, ['--use-env-proxy'], '22.21.0')).toBe(true);
  expect(usesEnvProxy({ NODE_OPTIONS: '--max-old-space-size=512 --use-env-proxy' }, [], '24.5.0')).toBe(true);
  expect(usesEnvProxy({ NODE_USE_ENV_PROXY: '1' }, [], '25.1.0')).toBe(true);
  // Node reads only '1'; HTTPS_PROXY alone does not switch it on; Node 20 has no such switch.
  expect(usesEnvProxy({ NODE_USE_ENV_PROXY: 'true', HTTPS_PROXY: 'http://proxy:8080' }, [], '24.11.0')).toBe(false);
  expect(usesEnvProxy({ NODE_USE_ENV_PROXY: '1' }, ['--use-env-proxy'], '20.18.0')).toBe(false);
  // The switch came to 22 in 22.21, and the flag to 24 in 24.5: earlier releases ignore them.
  expect(usesEnvProxy({ NODE_USE_ENV_PROXY: '1' }, ['--use-env-proxy'], '22.20.0')).toBe(false);
  expect(usesEnvProxy({}, ['--use-env-proxy'], '24.4.1')).toBe(false);
});

/** Listens on a free loopback port. */
async function listening(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

test('with NODE_USE_ENV_PROXY=1 a notification goes through HTTP_PROXY on a Node that has the switch, and straight to the bot on Node 20', async () => {
  const bot = createServer((req, res) => res.writeHead(202).end());
  const tunnels: string[] = [];
  // A forward proxy that tunnels (undici's proxy agent asks for a CONNECT tunnel for http:// URLs too).
  const proxy = createServer((_req, res) => res.writeHead(502).end());
  proxy.on('connect', (req, socket, head) => {
    tunnels.push(req.url!);
    const [host, port] = req.url!.split(':');
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
  });
  const [botPort, proxyPort] = [await listening(bot), await listening(proxy)];
  const saved = { NODE_USE_ENV_PROXY: process.env.NODE_USE_ENV_PROXY, HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY };
  Object.assign(process.env, { NODE_USE_ENV_PROXY: '1', HTTP_PROXY: `http://127.0.0.1:${proxyPort}`, NO_PROXY: '' });
  const notifier = createNotifier(); // its own pool, made now: it reads the variables as they are
  try {
    const delivered = await notifier.deliver(`http://127.0.0.1:${botPort}/api/calls`, { value: [] }, 'token');
    expect(delivered.status, delivered.error).toBe(202);
    expect(tunnels).toEqual(Number(process.versions.node.split('.')[0]) >= 22 ? [`127.0.0.1:${botPort}`] : []);
  } finally {
    for (const [name, value] of Object.entries(saved)) if (value === undefined) delete process.env[name]; else process.env[name] = value;
    await notifier.close();
    bot.closeAllConnections();
    proxy.closeAllConnections();
    bot.close();
    proxy.close();
  }
});
