/**
 * The undici dispatcher confcall talks to the bot through: notifications, probe reads and control calls.
 *
 * Not undici's `getGlobalDispatcher()`: Node's bundled undici registers its own Agent at the same global
 * symbol as soon as anything reads `globalThis.Headers`, `Request` or `Response` (Playwright's worker does,
 * loading its utilities), and the package's `getGlobalDispatcher()` then hands out Node's Agent. Requests
 * went through two copies of undici, each compiling its client and its llhttp on first use.
 */
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';

/** Graph gives a bot about 5 s to answer a notification; wait a little longer so lateness is measured, not cut off. */
export const ANSWER_TIMEOUT_MS = 10_000;

/**
 * Whether Node routes its own HTTP clients through HTTP_PROXY / HTTPS_PROXY / NO_PROXY (Node then makes its global
 * dispatcher an EnvHttpProxyAgent, which probe reads and control calls used to take): `NODE_USE_ENV_PROXY=1` from
 * Node 22.21 and 24.0, `--use-env-proxy` from 22.21 and 24.5 (the 22.21.0 and 24.5.0 release notes). Earlier
 * releases, Node 20 among them, ignore both.
 */
export function usesEnvProxy(env: NodeJS.ProcessEnv = process.env, execArgv: readonly string[] = process.execArgv, nodeVersion = process.versions.node): boolean {
  const [major = 0, minor = 0] = nodeVersion.split('.').map(Number);
  const since = (v22: number, v24: number): boolean => (major === 22 && minor >= v22) || (major === 24 && minor >= v24) || major >= 25;
  const flag = execArgv.includes('--use-env-proxy') || /(^|\s)--use-env-proxy(\s|$)/.test(env.NODE_OPTIONS ?? '');
  return (env.NODE_USE_ENV_PROXY === '1' && since(21, 0)) || (flag && since(21, 5));
}

/**
 * A new keep-alive pool to the bot: an EnvHttpProxyAgent when Node is told to use the proxy variables, else an Agent.
 * Through a proxy, an http:// bot is asked for in absolute form (`POST http://127.0.0.1:3978/api/calls`), not through
 * a CONNECT tunnel (undici's default): Node's own http client does the same under the switch, squid's default
 * configuration allows CONNECT to port 443 only, and undici 7 reconnects without end to a proxy that closes the
 * connection on CONNECT (nodejs/undici#3897, fixed in undici 8, which needs Node 22.19): 27 550 connections in 6 s
 * here, the notification never settled. An https:// bot still needs the tunnel.
 */
export function newBotDispatcher(): Dispatcher {
  const options = { keepAliveTimeout: 10_000, headersTimeout: ANSWER_TIMEOUT_MS, bodyTimeout: ANSWER_TIMEOUT_MS };
  return usesEnvProxy() ? new EnvHttpProxyAgent({ ...options, proxyTunnel: false }) : new Agent(options);
}

let shared: Dispatcher | undefined;

/** The process's one pool to the bot, made on first use and never closed (undici lets its idle sockets go unreferenced). */
export function botDispatcher(): Dispatcher {
  shared ??= newBotDispatcher();
  return shared;
}
