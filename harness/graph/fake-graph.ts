import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { isVerifiedAccessToken, issueAccessToken, refuseAccessToken } from './access-tokens.js';
import { graphError } from './graph-error.js';
import { callIdOfPath, parseGraphPath } from './graph-paths.js';
import { graphRequestKindOf, validateGraphRequest } from './request-schemas.js';
import { publicJwk, type RunKeys } from './signing-keys.js';
import type { GraphRequest as GraphRequestSeen } from '../model/transcript.js';

/** A bot request as the fake Graph received it, with the id of this request for error bodies. */
export interface GraphRequest extends GraphRequestSeen {
  requestId: string;
}

/** The answer to a bot request. */
export interface GraphReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Where the answer came from when no scenario step scripted it (a recording, the call's truth), for the transcript. */
  from?: string;
}

/** Decides the answer to each bot request (the running scenario); it also records what it saw. */
export type GraphResponder = (request: GraphRequest) => GraphReply;

/** A scenario run attached to the fake Graph: the calls it owns, and how it answers. */
export interface GraphRoute {
  /** Whether this run owns the call, its id lower-cased (its requests are routed here). */
  owns(lowerCallId: string): boolean;
  respond: GraphResponder;
}

export interface FakeGraphOptions {
  /** host:port; port 0 picks a free one. */
  listen: string;
  keys: RunKeys;
  appId: string;
  tenantId: string;
  clientSecret?: string;
  /** Serve https with this certificate (a leaf of the run's CA for the listen name, graph/run-ca.ts). */
  tls?: { cert: string; key: string };
}

export interface FakeGraph {
  /** Base URL, e.g. `http://127.0.0.1:4455`. */
  url: string;
  /** The OpenID configuration URL a bot validates notification tokens against. */
  openIdConfigurationUrl: string;
  /** Routes requests about the route's calls to it, until the returned function detaches it. */
  attach(route: GraphRoute): () => void;
  /**
   * Gives `route` the call-create requests (`POST /communications/calls` names no call) while `action`
   * runs. Runs that create calls take turns; everything else about their calls runs concurrently.
   */
  withCreateClaim<T>(route: GraphRoute, action: () => Promise<T>): Promise<T>;
  /**
   * Tells `listener` of every request about a call that no attached run owns (typically one that
   * came after its run was judged), until the returned function is called.
   */
  onUnrouted(listener: (callId: string, request: GraphRequest) => void): () => void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** Starts the fake Graph: token endpoint, OpenID configuration + JWKS, and the calling API. */
export async function startFakeGraph(options: FakeGraphOptions): Promise<FakeGraph> {
  const routes = new Set<GraphRoute>();
  const unroutedListeners = new Set<(callId: string, request: GraphRequest) => void>();
  let createClaimant: GraphRoute | undefined;
  let createTurn: Promise<unknown> = Promise.resolve();
  const onRequest: RequestListener = (req, res) => {
    handle(req, res).catch((error) => {
      // A request that broke off mid-body (or a reply already on its way) has no one left to answer.
      if (res.headersSent || res.destroyed) return void res.destroy();
      send(res, 500, graphError('InternalServerError', `confcall fake Graph failed: ${(error as Error).message}`, randomUUID()));
    });
  };
  const server: Server = options.tls ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }, onRequest) : createServer(onRequest);
  // Bytes that are not HTTP get a Graph-shaped 400 too, not Node's bare one. A request whose head
  // parsed but whose body framing broke already has Node's bare 400 on the wire: add nothing to it.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const answered = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
    if (socket.writable && !answered && error.code !== 'ECONNRESET') {
      const text = JSON.stringify(graphError('BadRequest', `The request is not valid HTTP/1.1 (${error.code ?? error.message}).`, randomUUID()));
      return void socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`);
    }
    socket.destroy();
  });
  server.keepAliveTimeout = 30_000;
  const url = await listen(server, options.listen, options.tls ? 'https' : 'http');

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const rawPath = req.url ?? '/';
    const method = (req.method ?? 'GET').toUpperCase();
    const text = await readBody(req);
    if (text === undefined) return send(res, 413, graphError('RequestEntityTooLarge', `request body over ${MAX_BODY_BYTES} bytes`, requestId));

    // Token clients add query parameters (MSAL: client-request-id); the documents are found by path alone.
    const pathOnly = rawPath.split('?')[0]!;
    if (method === 'GET' && /^\/v1\/\.well-known\/openidconfiguration\/?$/i.test(pathOnly)) {
      return send(res, 200, { issuer: 'https://graph.microsoft.com', jwks_uri: `${publicBase(req, url)}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'], token_endpoint_auth_methods_supported: ['private_key_jwt'] });
    }
    if (method === 'GET' && /^\/v1\/\.well-known\/keys\/?$/.test(pathOnly)) return send(res, 200, { keys: [publicJwk(options.keys)] });
    const tenantMetadata = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration\/?$/.exec(pathOnly);
    if (tenantMetadata && method === 'GET') return send(res, 200, authorityMetadata(publicBase(req, url), tenantMetadata[1]!));
    // The authority metadata's jwks_uri: Entra's keys verify the tokens Entra issues for others (id tokens). An app-only
    // Graph token is opaque to the bot that holds it (the identity platform's access-token page: a client validates no
    // token of an API it does not own, Graph's among them), and this
    // fake Graph signs its own with a secret of its own: the set is empty, served so that no advertised URL answers 404.
    if (method === 'GET' && /^\/[^/]+\/discovery\/v2\.0\/keys\/?$/.test(pathOnly)) return send(res, 200, { keys: [] });
    const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token\/?$/.exec(pathOnly);
    if (tokenPath && method === 'POST') return tokenEndpoint(res, text, req.headers.authorization);

    const graphPath = parseGraphPath(rawPath);
    if (!graphPath) return send(res, 404, graphError('BadRequest', `confcall's fake Graph serves /v1.0, /beta and /app paths; no resource at ${rawPath}`, requestId));

    const request: GraphRequest = { method, rawPath, path: graphPath.path, version: graphPath.version, requestId, schemaProblems: [] };
    const { authorization } = req.headers;
    request.authProblem = isVerifiedAccessToken(options.keys, authorization) ? undefined : await refuseAccessToken(options.keys, authorization);
    request.requestKind = graphRequestKindOf(method, graphPath.path);
    if (text.length) {
      try {
        request.body = JSON.parse(text);
      } catch {
        request.rawBody = text.slice(0, 4096);
      }
    }
    if (request.requestKind && request.body !== undefined) request.schemaProblems = validateGraphRequest(request.requestKind as never, request.body);

    const reply = decide(request);
    send(res, reply.status, reply.body, reply.headers);
  }

  /** Graph's own checks come first (auth, JSON, schema); the scenario decides the rest. */
  function decide(request: GraphRequest): GraphReply {
    const ownReply = ((): GraphReply | undefined => {
      if (request.authProblem) return { status: 401, body: graphError('InvalidAuthenticationToken', `Access token is missing or invalid: ${request.authProblem}.`, request.requestId) };
      if (request.rawBody !== undefined) return { status: 400, body: graphError('BadRequest', 'The request body is not valid JSON.', request.requestId) };
      if (request.schemaProblems.length) return { status: 400, body: graphError('BadRequest', `Invalid request body: ${request.schemaProblems.map((p) => `${p.path || '/'}: ${p.message}`).join('; ')}`, request.requestId) };
      return undefined;
    })();
    const route = routeOf(request);
    if (!route) {
      const callId = callIdOfPath(request.path);
      if (callId !== undefined) for (const listener of unroutedListeners) listener(callId, request);
    }
    if (!route) return ownReply ?? { status: 404, body: graphError('ItemNotFound', `No call is active at ${request.path}.`, request.requestId) };
    // The scenario still sees refused requests: they are part of what the bot did.
    const scenarioReply = route.respond(request);
    return ownReply ?? scenarioReply;
  }

  function routeOf(request: GraphRequest): GraphRoute | undefined {
    const callId = callIdOfPath(request.path);
    if (callId !== undefined) {
      const lower = callId.toLowerCase(); // once, not once per attached run
      for (const route of routes) if (route.owns(lower)) return route;
      return undefined;
    }
    if (request.method === 'POST' && request.path === '/communications/calls') return createClaimant;
    return routes.size === 1 ? routes.values().next().value : undefined;
  }

  async function tokenEndpoint(res: ServerResponse, text: string, authorization: string | undefined): Promise<void> {
    const form = new URLSearchParams(text);
    if (form.get('grant_type') !== 'client_credentials') return send(res, 400, { error: 'unsupported_grant_type', error_description: 'confcall: only client_credentials is served' });
    const basic = basicClientCredentials(authorization);
    if (basic) {
      form.set('client_id', basic.id);
      form.set('client_secret', basic.secret);
    }
    if (form.get('client_id') !== options.appId) return send(res, 401, { error: 'invalid_client', error_description: `confcall: client_id must be the target's appId ${options.appId}` });
    if (options.clientSecret !== undefined && form.get('client_secret') !== options.clientSecret) {
      return send(res, 401, { error: 'invalid_client', error_description: 'confcall: wrong client_secret' });
    }
    const { token, expiresIn } = await issueAccessToken(options.keys, options.appId, options.tenantId);
    send(res, 200, { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token });
  }

  return {
    url,
    openIdConfigurationUrl: `${url}/v1/.well-known/OpenIdConfiguration`,
    attach(route) {
      routes.add(route);
      return () => void routes.delete(route);
    },
    onUnrouted(listener) {
      unroutedListeners.add(listener);
      return () => void unroutedListeners.delete(listener);
    },
    withCreateClaim(route, action) {
      const turn = createTurn.then(async () => {
        createClaimant = route;
        try {
          return await action();
        } finally {
          createClaimant = undefined;
        }
      });
      createTurn = turn.catch(() => undefined);
      return turn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The origin the bot thinks it is talking to: a production host when in-process interception or the
 * `start.intercept` preload forwarded the request (X-Forwarded-Host), else the fake Graph's own URL.
 * Documents that name URLs (jwks_uri, token_endpoint) use it, so the bot's next request is intercepted too.
 */
function publicBase(req: IncomingMessage, ownUrl: string): string {
  const host = req.headers['x-forwarded-host'];
  const proto = req.headers['x-forwarded-proto'];
  if (typeof host !== 'string' || !/^[a-z0-9.-]+(:\d+)?$/i.test(host)) return ownUrl;
  return `${proto === 'http' ? 'http' : 'https'}://${host}`;
}

/**
 * The client id and secret of an HTTP Basic Authorization header (client_secret_basic, which the
 * authority metadata lists): RFC 6749 §2.3.1, each form-urlencoded, then joined by a colon and base64.
 */
function basicClientCredentials(authorization: string | undefined): { id: string; secret: string } | undefined {
  const encoded = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization ?? '')?.[1];
  const decoded = encoded === undefined ? '' : Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const formDecode = (part: string): string => new URLSearchParams(`v=${part}`).get('v') ?? '';
  return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

/** The Entra ID authority metadata that token libraries (MSAL) fetch before asking for a token. */
function authorityMetadata(base: string, tenant: string): Record<string, unknown> {
  return {
    token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
    authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
    jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
    issuer: `${base}/${tenant}/v2.0`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    grant_types_supported: ['client_credentials'],
  };
}

function listen(server: Server, hostPort: string, scheme: 'http' | 'https'): Promise<string> {
  const at = hostPort.lastIndexOf(':');
  const host = hostPort.slice(0, at);
  const port = Number(hostPort.slice(at + 1));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      resolve(`${scheme}://${host.includes(':') ? `[${host}]` : host}:${address.port}`);
    });
  });
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Statuses whose answers have no body and, by RFC 9110 8.6, no Content-Length. */
const BODILESS = new Set([204, 304]);

/**
 * Writes a reply. Empty bodies carry no JSON content type: SDKs choke on one (202/204). They carry
 * `content-length: 0` (but 204 and 304) rather than Node's default chunked framing: the same empty
 * body, without a chunk for the bot to parse on every 202.
 */
function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    res.writeHead(status, BODILESS.has(status) ? headers : { ...headers, 'content-length': '0' });
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers, 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}
