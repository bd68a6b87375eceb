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
 * Whether Node routes its own HTTP clients through HTTP_PROXY / HTTPS_PROXY / NO_PROXY: `NODE_USE_ENV_PROXY=1`
 * or `--use-env-proxy` (Node 22.21+, 24+; Node then makes its global dispatcher an EnvHttpProxyAgent, which
 * probe reads and control calls used to take). Node 20 ignores the switch.
 */
export function usesEnvProxy(env: NodeJS.ProcessEnv = process.env, execArgv: readonly string[] = process.execArgv, nodeMajor = Number(process.versions.node.split('.')[0])): boolean {
  if (nodeMajor < 22) return false;
  return env.NODE_USE_ENV_PROXY === '1' || execArgv.includes('--use-env-proxy') || /(^|\s)--use-env-proxy(\s|$)/.test(env.NODE_OPTIONS ?? '');
}

/** A new keep-alive pool to the bot: an EnvHttpProxyAgent when Node is told to use the proxy variables, else an Agent. */
export function newBotDispatcher(): Dispatcher {
  const options = { keepAliveTimeout: 10_000, headersTimeout: ANSWER_TIMEOUT_MS, bodyTimeout: ANSWER_TIMEOUT_MS };
  return usesEnvProxy() ? new EnvHttpProxyAgent(options) : new Agent(options);
}

let shared: Dispatcher | undefined;

/** The process's one pool to the bot, made on first use and never closed (undici lets its idle sockets go unreferenced). */
export function botDispatcher(): Dispatcher {
  shared ??= newBotDispatcher();
  return shared;
}
