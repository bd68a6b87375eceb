import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import type { CapturedExchange } from '../model/capture.js';

export interface RecordingProxyOptions {
  /** host:port the recorder listens on; port 0 picks a free one. */
  listen: string;
  /** Graph base URL the bot's requests are forwarded to, e.g. `https://graph.microsoft.com`. */
  upstream: string;
  /** Where token and OpenID requests go (the bot's AUTHORITY_HOST); default the upstream. */
  authority?: string;
  /** The bot's callbackUri: notifications sent to `{recorder}/callback` go there. */
  bot: string;
  /** The bot's control API base, if the bot is driven through the recorder. */
  control?: string;
}

/** A running recorder: where to point the bot and Graph, what passed so far, and how to stop it. */
export interface RecordingProxy {
  /** Base URL: the bot's Graph base URL and authority host. */
  url: string;
  /** Where Graph must send notifications (the callbackUri to give Graph). */
  callbackUrl: string;
  /** The control API base to drive the bot through, when `control` was given. */
  controlUrl?: string;
  /** Everything captured so far, in the order it started. */
  captured(): CapturedExchange[];
  /** Requests forwarded but not captured (token and OpenID requests carry credentials, nothing of the call). */
  uncaptured(): number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Hop-by-hop and framing headers the forwarding client sets itself. */
const NOT_FORWARDED = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'proxy-connection']);

/**
 * Starts the recorder: a reverse proxy that stands between a bot and Graph. The bot's Graph
 * requests go to the upstream; every `callbackUri` in them is pointed at the recorder, so Graph's
 * notifications come through it too and are forwarded to the callbackUri the bot gave.
 */
export async function startRecordingProxy(options: RecordingProxyOptions): Promise<RecordingProxy> {
  const exchanges: CapturedExchange[] = [];
  const botCallbacks: string[] = [];
  let seq = 0;
  let uncaptured = 0;
  const server = createServer((req, res) => {
    handle(req, res).catch((error) => reply(res, 502, { 'content-type': 'application/json' }, JSON.stringify({ error: { code: 'BadGateway', message: `confcall record could not forward: ${(error as Error).message}` } })));
  });
  server.keepAliveTimeout = 30_000;
  const url = await listen(server, options.listen);
  const callbackUrl = `${url}/callback`;

  /** The recorder's stand-in for a callbackUri the bot gave (index into botCallbacks). */
  const standIn = (original: string): string => {
    let index = botCallbacks.indexOf(original);
    if (index < 0) index = botCallbacks.push(original) - 1;
    return `${callbackUrl}/${index}`;
  };
  /** Puts the bot's own callbackUris back where Graph echoes the recorder's. */
  const restoreCallbacks = (text: string): string => text.replace(new RegExp(`${escape(callbackUrl)}/(\\d+)`, 'g'), (whole, i: string) => botCallbacks[Number(i)] ?? whole);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = req.url ?? '/';
    const order = ++seq; // arrival order: a request caused by a notification starts after it
    const text = await readBody(req);
    const callback = /^\/callback(?:\/(\d+))?\/?(?:\?.*)?$/.exec(path);
    if (callback) {
      const target = callback[1] === undefined ? options.bot : botCallbacks[Number(callback[1])] ?? options.bot;
      const forwarded = await forward(target, method, req.headers, restoreCallbacks(text));
      exchanges.push({ type: 'notification', seq: order, body: parseJson(restoreCallbacks(text)), status: forwarded.status });
      return reply(res, forwarded.status, forwarded.headers, forwarded.text);
    }
    if (path.startsWith('/control/') || path === '/control') {
      if (!options.control) return reply(res, 404, { 'content-type': 'application/json' }, JSON.stringify({ error: 'confcall record was started without --control' }));
      const rest = path.slice('/control'.length);
      const forwarded = await forward(`${options.control.replace(/\/$/, '')}${rest}`, method, req.headers, text);
      exchanges.push({ type: 'control', seq: order, method, path: rest, body: parseJson(text), status: forwarded.status, responseBody: parseJson(forwarded.text) });
      return reply(res, forwarded.status, forwarded.headers, forwarded.text);
    }
    if (/\/oauth2\/|\/\.well-known\//i.test(path)) {
      uncaptured++;
      const forwarded = await forward(`${(options.authority ?? options.upstream).replace(/\/$/, '')}${path}`, method, req.headers, text);
      return reply(res, forwarded.status, forwarded.headers, forwarded.text);
    }
    const body = parseJson(text);
    const sent = body === undefined ? text : JSON.stringify(pointCallbacksAt(body, standIn));
    const forwarded = await forward(`${options.upstream.replace(/\/$/, '')}${path}`, method, req.headers, sent);
    const answer = restoreCallbacks(forwarded.text);
    exchanges.push({ type: 'graph', seq: order, method, rawPath: path, body, status: forwarded.status, responseHeaders: forwarded.headers, responseBody: parseJson(answer) });
    return reply(res, forwarded.status, forwarded.headers, answer);
  }

  return {
    url,
    callbackUrl,
    controlUrl: options.control ? `${url}/control` : undefined,
    captured: () => [...exchanges].sort((a, b) => a.seq - b.seq),
    uncaptured: () => uncaptured,
    close: () => new Promise<void>((done) => {
      server.close(() => done());
      server.closeAllConnections();
    }),
  };
}

/** Every `callbackUri` member (at any depth) pointed at the recorder's stand-in for it. */
function pointCallbacksAt(value: unknown, standIn: (original: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => pointCallbacksAt(v, standIn));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'callbackUri' && typeof v === 'string' ? standIn(v) : pointCallbacksAt(v, standIn)]));
  }
  return value;
}

async function forward(url: string, method: string, headers: IncomingMessage['headers'], body: string): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  const outgoing: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !NOT_FORWARDED.has(name.toLowerCase())) outgoing[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const res = await request(url, { method: method as 'POST', headers: outgoing, body: body === '' && (method === 'GET' || method === 'HEAD') ? undefined : body, headersTimeout: 30_000, bodyTimeout: 30_000 });
  const text = await res.body.text();
  const answer: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (value !== undefined && !NOT_FORWARDED.has(name.toLowerCase())) answer[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { status: res.statusCode, headers: answer, text };
}

function reply(res: ServerResponse, status: number, headers: Record<string, string>, text: string): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) req.destroy(new Error(`request body over ${MAX_BODY_BYTES} bytes`));
      else chunks.push(c);
    });
    req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

function listen(server: ReturnType<typeof createServer>, address: string): Promise<string> {
  const at = address.lastIndexOf(':');
  const host = address.slice(0, at) || '127.0.0.1';
  const port = Number(address.slice(at + 1));
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      done(`http://${host}:${(server.address() as AddressInfo).port}`);
    });
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
