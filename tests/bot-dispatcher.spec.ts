/**
 * What confcall sends the bot (notifications, probe reads, control calls) goes through one undici pool
 * of its own (harness/notify/bot-dispatcher.ts), never through the dispatcher at undici's global symbol:
 * in Playwright's worker that is Node's bundled undici's Agent, a second HTTP client compiled for a few calls.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
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
async function listening(server: Server | ReturnType<typeof createNetServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Runs `body` with NODE_USE_ENV_PROXY=1 and HTTP_PROXY set to the proxy's port (NO_PROXY emptied), then puts them back. */
async function withEnvProxy<T>(proxyPort: number, body: () => Promise<T>): Promise<T> {
  const saved = { NODE_USE_ENV_PROXY: process.env.NODE_USE_ENV_PROXY, HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY };
  Object.assign(process.env, { NODE_USE_ENV_PROXY: '1', HTTP_PROXY: `http://127.0.0.1:${proxyPort}`, NO_PROXY: '' });
  try {
    return await body();
  } finally {
    for (const [name, value] of Object.entries(saved)) if (value === undefined) delete process.env[name]; else process.env[name] = value;
  }
}

function closeAll(...servers: Server[]): void {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
}

/** Whether this Node has the NODE_USE_ENV_PROXY switch (22.21+, 24+), as the test runs it. */
const NODE_HAS_SWITCH = usesEnvProxy({ NODE_USE_ENV_PROXY: '1' }, []);

test('with NODE_USE_ENV_PROXY=1 a notification goes through HTTP_PROXY in absolute form (no CONNECT) on a Node that has the switch, and straight to the bot on Node 20', async () => {
  const bot = createServer((req, res) => res.writeHead(202).end());
  const forwarded: string[] = [];
  const tunnels: string[] = [];
  // A forward proxy, as squid is by default: it sends absolute-form http requests on, and refuses CONNECT to a port other than 443.
  const proxy = createServer((req, res) => {
    forwarded.push(`${req.method} ${req.url}`);
    const target = new URL(req.url!);
    const upstream = httpRequest({ host: target.hostname, port: target.port, path: target.pathname, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  proxy.on('connect', (req, socket) => {
    tunnels.push(req.url!);
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  const [botPort, proxyPort] = [await listening(bot), await listening(proxy)];
  const notifier = await withEnvProxy(proxyPort, async () => createNotifier()); // its own pool, made now: it reads the variables as they are
  try {
    const delivered = await notifier.deliver(`http://127.0.0.1:${botPort}/api/calls`, { value: [] }, 'token');
    expect(delivered.status, delivered.error).toBe(202);
    expect(forwarded).toEqual(NODE_HAS_SWITCH ? [`POST http://127.0.0.1:${botPort}/api/calls`] : []);
    expect(tunnels).toEqual([]);
  } finally {
    await notifier.close();
    closeAll(bot, proxy);
  }
});

test('a proxy that closes every connection fails the notification at once, not in an endless reconnect loop (nodejs/undici#3897)', async () => {
  const bot = createServer((req, res) => res.writeHead(202).end());
  let connections = 0;
  // A proxy that hangs up on whatever it is sent: undici 7's CONNECT tunnel reconnects to such a proxy without end.
  const proxy = createNetServer((socket) => {
    connections++;
    socket.once('data', () => socket.destroy());
  });
  const botPort = await listening(bot);
  const proxyPort = await listening(proxy);
  const notifier = await withEnvProxy(proxyPort, async () => createNotifier());
  try {
    const delivered = await notifier.deliver(`http://127.0.0.1:${botPort}/api/calls`, { value: [] }, 'token');
    if (NODE_HAS_SWITCH) {
      expect(delivered.status).toBe(0);
      expect(delivered.error).toMatch(/UND_ERR_SOCKET|closed/);
      expect(connections).toBe(1);
    } else {
      expect(delivered.status, delivered.error).toBe(202);
      expect(connections).toBe(0);
    }
  } finally {
    await notifier.close();
    closeAll(bot);
    proxy.close();
  }
});
