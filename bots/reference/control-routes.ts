/** Routing of the control API (mounted at `/control`) to its actions. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BotContext } from './context.js';
import {
  createCall,
  hangUp,
  keepAlive,
  probeCall,
  startHoldMusic,
  stopHoldMusic,
  transferCall,
  type ControlResponse,
} from './control-actions.js';
import { GraphUnreachable } from './graph-client.js';
import { errorBody, parseJsonBody, readBody, send } from './http-io.js';

type Params = Record<string, string>;

interface Route {
  method: string;
  /** Path segments below `/control`; `:name` captures one segment. */
  pattern: string[];
  handle: (context: BotContext, params: Params, body: unknown) => Promise<ControlResponse>;
}

const routes: Route[] = [
  { method: 'POST', pattern: ['calls'], handle: (c, _p, body) => createCall(c, body) },
  { method: 'GET', pattern: ['calls', ':callId'], handle: (c, p) => probeCall(c, p.callId) },
  { method: 'DELETE', pattern: ['calls', ':callId'], handle: (c, p) => hangUp(c, p.callId) },
  {
    method: 'POST',
    pattern: ['calls', ':callId', 'transfer'],
    handle: (c, p, body) => transferCall(c, p.callId, body),
  },
  { method: 'POST', pattern: ['calls', ':callId', 'keepAlive'], handle: (c, p) => keepAlive(c, p.callId) },
  {
    method: 'POST',
    pattern: ['calls', ':callId', 'participants', ':participantId', 'startHoldMusic'],
    handle: (c, p, body) => startHoldMusic(c, p.callId, p.participantId, body),
  },
  {
    method: 'POST',
    pattern: ['calls', ':callId', 'participants', ':participantId', 'stopHoldMusic'],
    handle: (c, p, body) => stopHoldMusic(c, p.callId, p.participantId, body),
  },
];

/** Serves one control request; `path` is the request path below `/control`. */
export async function handleControl(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  context: BotContext,
): Promise<void> {
  const segments = path.split('/').filter((s) => s !== '');
  const matches = routes.flatMap((route) => {
    const params = match(route.pattern, segments);
    return params === undefined ? [] : [{ route, params }];
  });
  const found = matches.find(({ route }) => route.method === request.method);
  if (found === undefined) {
    const what = `${request.method} /control${path}`;
    if (matches.length === 0) return send(response, 404, errorBody('notFound', what));
    return send(response, 405, errorBody('methodNotAllowed', what));
  }

  const text = await readBody(request);
  const body = text.trim() === '' ? undefined : parseJsonBody(text);
  if (body !== undefined && !body.ok) return send(response, 400, errorBody('badRequest', 'the body is not JSON'));
  try {
    const result = await found.route.handle(context, found.params, body?.value);
    send(response, result.status, result.body);
  } catch (error) {
    if (!(error instanceof GraphUnreachable)) throw error;
    send(response, 502, errorBody('graphUnreachable', error.message));
  }
}

function match(pattern: string[], segments: string[]): Params | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Params = {};
  for (const [i, part] of pattern.entries()) {
    const segment = segments[i];
    if (part.startsWith(':')) params[part.slice(1)] = decode(segment);
    else if (part !== segment) return undefined;
  }
  return params;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // not percent-encoded after all
  }
}
