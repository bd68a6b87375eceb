/**
 * Reroutes a Node process's requests for Microsoft's production hosts to confcall's fake Graph, so a
 * bot keeps its production configuration. CommonJS, because the `--require` preload loads it too.
 *
 * Two mechanisms, because no single one sees every client (checked on Node 20):
 * - nock (node:http and node:https, hence axios and MSAL, and Node's global fetch);
 * - a dispatcher at undici's shared global-dispatcher symbols, which every copy of undici (Node's
 *   bundled one behind fetch, a bot's own `undici.request`) reads when given no dispatcher.
 */
import nock = require('nock');
import { Agent, Dispatcher } from 'undici';

/** The hosts a Graph calling bot talks to in production: Graph, the token authority, the notification-key documents. */
export const PRODUCTION_ORIGINS: readonly string[] = [
  'https://graph.microsoft.com',
  'https://login.microsoftonline.com',
  'https://api.aps.skype.com',
  'https://login.botframework.com',
];

/** Headers the forwarder sets itself, or that describe the hop rather than the request. */
const HOP_HEADERS = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'proxy-connection', 'upgrade']);
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
// Undici reads .1 (every version so far); 7.x also writes .2. Both must point at the rerouter.
const DISPATCHER_SYMBOLS = [Symbol.for('undici.globalDispatcher.1'), Symbol.for('undici.globalDispatcher.2')];

/** Interceptions in force in this process: nock is restored when the last one stops. */
let running = 0;

/** Interception in force in this process; `stop` removes it and puts back what was there before. */
export interface Interception {
  /** The fake Graph that production hosts are rerouted to. */
  readonly graphUrl: string;
  readonly origins: readonly string[];
  stop(): Promise<void>;
}

/** Reroutes every request for `origins` (default: the production hosts) to the fake Graph at `graphUrl`. */
export function interceptProductionHosts(graphUrl: string, origins: readonly string[] = PRODUCTION_ORIGINS): Interception {
  const target = new URL(graphUrl).origin;
  const rerouted = new Set(origins.map((o) => new URL(o).origin));
  // Our own agent for the loopback hop: it never goes through nock or the global dispatcher.
  const forwarder = new Agent({ keepAliveTimeout: 10_000 });

  if (!nock.isActive()) nock.activate();
  running++;
  const interceptors = [...rerouted].flatMap((origin) => {
    const scope = nock(origin).persist();
    return METHODS.map((method) => {
      const interceptor = scope.intercept(() => true, method);
      interceptor.reply(function (path, body) {
        return forward(forwarder, target, origin, method, path, this.req.headers, body);
      });
      return interceptor;
    });
  });

  // Node's fetch installs its default dispatcher lazily, on first use. When none exists yet, an undici 7
  // Agent stands in for it (it accepts the handlers of older undici copies too).
  const previous = DISPATCHER_SYMBOLS.map((symbol) => ({ symbol, had: Object.prototype.hasOwnProperty.call(globalThis, symbol), value: (globalThis as Record<symbol, unknown>)[symbol] }));
  const fallback = (previous[0]!.value as Dispatcher | undefined) ?? new Agent();
  const rerouter = new RerouteDispatcher(rerouted, target, forwarder, fallback);
  for (const { symbol } of previous) setGlobal(symbol, rerouter);

  let stopped = false;
  return {
    graphUrl: target,
    origins: [...rerouted],
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const interceptor of interceptors) nock.removeInterceptor(interceptor);
      if (--running === 0) nock.restore();
      for (const { symbol, had, value } of previous) setGlobal(symbol, had ? value : fallback);
      await forwarder.close();
    },
  };
}

/** Sends one intercepted request on to the fake Graph and gives nock the reply as it came. */
async function forward(forwarder: Agent, target: string, origin: string, method: string, path: string, headers: Record<string, string | string[] | undefined>, body: unknown): Promise<[number, Buffer, Record<string, string | string[]>]> {
  const sent: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_HEADERS.has(name.toLowerCase())) sent[name.toLowerCase()] = value;
  Object.assign(sent, forwardedHeaders(origin));
  // nock hands JSON bodies over parsed (and decompressed), everything else as the text that was sent.
  const text = body === undefined || body === '' ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  if (typeof body === 'object' && body !== null) delete sent['content-encoding'];
  try {
    const res = await forwarder.request({ origin: target, path, method: method as Dispatcher.HttpMethod, headers: sent, body: text });
    const payload = Buffer.from(await res.body.arrayBuffer());
    const replyHeaders: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(res.headers)) if (value !== undefined && !HOP_HEADERS.has(name)) replyHeaders[name] = value;
    return [res.statusCode, payload, replyHeaders];
  } catch (error) {
    // The bot sees what a dead Graph looks like (a 502 from a gateway), with the reason.
    const message = `confcall: the fake Graph at ${target} did not answer ${method} ${origin}${path}: ${(error as Error).message}`;
    return [502, Buffer.from(JSON.stringify({ error: { code: 'BadGateway', message } })), { 'content-type': 'application/json' }];
  }
}

/** Tells the fake Graph which production origin the bot asked for, so the documents it serves name that origin. */
function forwardedHeaders(origin: string): Record<string, string> {
  const url = new URL(origin);
  return { 'x-forwarded-host': url.host, 'x-forwarded-proto': url.protocol.replace(':', '') };
}

/** A global undici dispatcher: production origins go to the fake Graph, everything else where it went before. */
class RerouteDispatcher extends Dispatcher {
  constructor(
    private readonly rerouted: Set<string>,
    private readonly target: string,
    private readonly forwarder: Agent,
    private readonly fallback: Dispatcher,
  ) {
    super();
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const origin = options.origin === undefined ? undefined : new URL(String(options.origin)).origin;
    if (origin === undefined || !this.rerouted.has(origin)) return this.fallback.dispatch(options, handler);
    return this.forwarder.dispatch({ ...options, origin: this.target, headers: withForwarded(options.headers, origin) }, handler);
  }

  override close(...args: unknown[]): any {
    return (this.fallback.close as (...a: unknown[]) => unknown)(...args);
  }

  override destroy(...args: unknown[]): any {
    return (this.fallback.destroy as (...a: unknown[]) => unknown)(...args);
  }
}

/** The request's headers without `host`, plus the forwarded origin; undici accepts several header shapes. */
function withForwarded(headers: Dispatcher.DispatchOptions['headers'], origin: string): string[] {
  const flat: string[] = [];
  const add = (name: string, value: unknown): void => {
    if (value === undefined || name.toLowerCase() === 'host') return;
    for (const v of Array.isArray(value) ? value : [value]) flat.push(name, String(v));
  };
  if (Array.isArray(headers)) {
    if (headers.length && Array.isArray(headers[0])) for (const [name, value] of headers as unknown as Array<[string, unknown]>) add(name, value);
    else for (let i = 0; i + 1 < headers.length; i += 2) add(String(headers[i]), headers[i + 1]);
  } else if (headers && typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const [name, value] of headers as Iterable<[string, unknown]>) add(name, value);
  } else if (headers) {
    for (const [name, value] of Object.entries(headers)) add(name, value);
  }
  for (const [name, value] of Object.entries(forwardedHeaders(origin))) flat.push(name, value);
  return flat;
}

function setGlobal(symbol: symbol, value: unknown): void {
  // undici defines these non-configurable but writable: assignment works whoever defined them first.
  (globalThis as Record<symbol, unknown>)[symbol] = value;
}
