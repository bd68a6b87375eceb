/**
 * confcall's intercepting forward proxy: a bot in any language, started with HTTPS_PROXY pointing
 * here and trusting the run's CA, keeps its production URLs. For Microsoft's hosts the proxy
 * answers CONNECT itself, terminates TLS with a leaf of the run's CA, and forwards each request to
 * the fake Graph (with X-Forwarded-Host, so documents that name URLs name the production host).
 * Every other host is refused with a 403 that names it: nothing a bot sends through the proxy
 * leaves the machine, unless the profile lists the host (proxy.allowHosts), which is tunnelled.
 */
import { createServer, request as httpRequest, Agent as HttpAgent, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import { connect as tcpConnect, type AddressInfo, type Socket } from 'node:net';
import { createSecureContext, TLSSocket, type SecureContext } from 'node:tls';
import { isMicrosoftHost, MICROSOFT_HOSTS } from '../model/tls-names.js';
import { issueLeaf, type RunCa } from './run-ca.js';

export interface InterceptingProxyOptions {
  /** host:port on loopback; port 0 picks a free one. */
  listen: string;
  /** The fake Graph's base URL (http or https). */
  upstream: string;
  ca: RunCa;
  /** Hosts tunnelled as they are (the profile's proxy.allowHosts): their traffic leaves the machine. */
  allowHosts?: string[];
  /** Told of every refused host (the run fails on it). */
  onRefused?: (refusal: ProxyRefusal) => void;
  /** Told of what goes wrong between the bot and the proxy (a TLS handshake the bot broke off, say). */
  onProblem?: (message: string) => void;
}

/** A request the proxy refused: a host it does not play. */
export interface ProxyRefusal {
  host: string;
  port: number;
  /** `CONNECT`, or the method of a plain-HTTP proxy request. */
  method: string;
  at: string;
  message: string;
}

export interface InterceptingProxy {
  /** `http://127.0.0.1:PORT`, for HTTPS_PROXY and HTTP_PROXY. */
  url: string;
  host: string;
  port: number;
  refusals: ProxyRefusal[];
  close(): Promise<void>;
}

const HOP_BY_HOP = ['connection', 'proxy-connection', 'keep-alive', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade'];

/** Starts the proxy on loopback; it refuses to listen anywhere else. */
export async function startInterceptingProxy(options: InterceptingProxyOptions): Promise<InterceptingProxy> {
  const { host, port } = splitHostPort(options.listen);
  if (!isLoopback(host)) throw new Error(`confcall's proxy listens on loopback only, not "${host}"`);
  // One leaf names every Microsoft host: one TLS context, whichever host the bot asked for.
  const leaf = await issueLeaf(options.ca, MICROSOFT_HOSTS);
  const context: SecureContext = createSecureContext({ cert: leaf.cert, key: leaf.key });
  const upstream = new URL(options.upstream);
  const agent = upstream.protocol === 'https:' ? new HttpsAgent({ keepAlive: true, ca: options.ca.certPem }) : new HttpAgent({ keepAlive: true });
  const refusals: ProxyRefusal[] = [];
  const tunnelHost = new WeakMap<Socket, string>();
  const problem = (message: string): void => options.onProblem?.(message);
  const allowed = new Set((options.allowHosts ?? []).map((h) => h.toLowerCase().replace(/^\[|\]$/g, '')));

  const refuse = (target: { host: string; port: number }, method: string): string => {
    const message = `confcall's proxy refused ${target.host}:${target.port}: not one of Microsoft's hosts it plays (${MICROSOFT_HOSTS.join(', ')}) nor listed in the profile's proxy.allowHosts; a test run never leaves this machine`;
    const refusal = { ...target, method, at: new Date().toISOString(), message };
    refusals.push(refusal);
    options.onRefused?.(refusal);
    return message;
  };

  const forward = (req: IncomingMessage, res: ServerResponse, forwardedHost: string, proto: 'http' | 'https', path: string): void => {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !HOP_BY_HOP.includes(name)) headers[name] = value;
    Object.assign(headers, { host: upstream.host, 'x-forwarded-host': forwardedHost, 'x-forwarded-proto': proto });
    const send = upstream.protocol === 'https:' ? httpsRequest : httpRequest;
    const out = send({ protocol: upstream.protocol, hostname: upstream.hostname, port: upstream.port, method: req.method, path, headers, agent }, (answer) => {
      const back: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && !HOP_BY_HOP.includes(name)) back[name] = value;
      res.writeHead(answer.statusCode ?? 502, back);
      answer.pipe(res);
    });
    out.on('error', (error) => {
      if (res.headersSent) return void res.destroy();
      plain(res, 502, `confcall's proxy could not reach the fake Graph at ${options.upstream} for ${forwardedHost}: ${(error as NodeJS.ErrnoException).code ?? error.message}`);
    });
    req.pipe(out);
  };

  // Requests that arrive inside a terminated tunnel: origin-form paths, the host is the tunnel's.
  const inner = createServer((req, res) => forward(req, res, tunnelHost.get(req.socket) ?? MICROSOFT_HOSTS[0], 'https', req.url ?? '/'));
  inner.on('clientError', (_error, socket) => socket.destroy());

  // Plain-HTTP proxy requests carry an absolute URL (HTTP_PROXY for http:// URLs).
  const server: Server = createServer((req, res) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      return plain(res, 400, `this is confcall's forward proxy; send it proxy requests (absolute URLs or CONNECT), not ${req.url}`);
    }
    const targetPort = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
    const targetHost = target.hostname.replace(/^\[|\]$/g, '');
    if (allowed.has(targetHost)) return passOn(req, res, target);
    if (!isMicrosoftHost(targetHost)) return plain(res, 403, refuse({ host: targetHost, port: targetPort }, req.method ?? 'GET'));
    forward(req, res, target.host, target.protocol === 'https:' ? 'https' : 'http', `${target.pathname}${target.search}`);
  });
  server.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const target = splitHostPort(req.url ?? '');
    socket.on('error', () => socket.destroy());
    if (allowed.has(target.host)) return tunnel(socket, head, target);
    if (!isMicrosoftHost(target.host)) {
      const message = refuse(target, 'CONNECT');
      return void socket.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(message)}\r\nconnection: close\r\n\r\n${message}`);
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) socket.unshift(head);
    const tls = new TLSSocket(socket, { isServer: true, secureContext: context, ALPNProtocols: ['http/1.1'] });
    tunnelHost.set(tls, target.port === 443 ? target.host : `${target.host}:${target.port}`);
    tls.on('error', (error) => {
      problem(`TLS with the bot for ${target.host} failed: ${error.message} (does the bot trust the run's CA? SSL_CERT_FILE, REQUESTS_CA_BUNDLE, NODE_EXTRA_CA_CERTS, JAVA_TOOL_OPTIONS)`);
      tls.destroy();
    });
    inner.emit('connection', tls);
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    host,
    port: bound,
    refusals,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        inner.closeAllConnections();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A listed host's CONNECT: a plain TCP tunnel, the bot's TLS end to end. */
function tunnel(socket: Socket, head: Buffer, target: { host: string; port: number }): void {
  const upstream = tcpConnect({ host: target.host, port: target.port }, () => {
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) upstream.write(head);
    socket.pipe(upstream).pipe(socket);
  });
  upstream.on('error', (error) => {
    if (socket.writable) socket.end(`HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
    void error;
  });
  socket.on('close', () => upstream.destroy());
}

/** A listed host's plain-HTTP proxy request, passed on as it is. */
function passOn(req: IncomingMessage, res: ServerResponse, target: URL): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !HOP_BY_HOP.includes(name)) headers[name] = value;
  const out = httpRequest({ hostname: target.hostname, port: target.port || 80, method: req.method, path: `${target.pathname}${target.search}`, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  out.on('error', (error) => (res.headersSent ? res.destroy() : plain(res, 502, `confcall's proxy could not reach ${target.host}: ${(error as NodeJS.ErrnoException).code ?? error.message}`)));
  req.pipe(out);
}

/** `host:port` (a bracketed IPv6 host too) → its parts; port 443 when absent. */
export function splitHostPort(text: string): { host: string; port: number } {
  const match = /^\[([^\]]+)\](?::(\d+))?$/.exec(text) ?? /^([^:]+)(?::(\d+))?$/.exec(text);
  if (!match) return { host: text, port: 443 };
  return { host: match[1]!.toLowerCase(), port: match[2] ? Number(match[2]) : 443 };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function plain(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain', 'content-length': String(Buffer.byteLength(message)), connection: 'close' });
  res.end(message);
}
