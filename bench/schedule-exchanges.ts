/**
 * The HTTP exchanges one schedule makes, seen from the harness's process: the requests it sends
 * (notifications, control calls, probe reads) with the bot's answers, and the bot's requests to the
 * fake Graph with their answers. Captured from a real run through the documented diagnostics channels
 * of undici (`undici:request:*`) and node:http (`http.server.request.start`), so the bare floor
 * (bench/bare-floor.ts) repeats exactly what a schedule puts on the wire: same count, kinds and sizes.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import type { GraphExchange, TranscriptEvent } from '../harness/model/transcript.js';

/** An HTTP answer as text. */
export interface CapturedAnswer {
  status: number;
  /** Header names and values, as they came (hop-by-hop ones included). */
  headers: Array<[string, string]>;
  body: string;
}

/** A request the harness sent to the bot, with the bot's answer. */
export interface SentExchange {
  method: string;
  path: string;
  /** The headers the harness gave undici (undici adds host, connection, content-length). */
  headers: Record<string, string>;
  body?: string;
  answer: CapturedAnswer;
  /** How many of the bot's Graph requests came after this one and before the next. */
  graphRequestsAfter: number;
}

/** A request the bot sent to the fake Graph, with the fake Graph's answer. */
export interface ReceivedExchange {
  method: string;
  path: string;
  /** The bot's headers, without the ones its HTTP client adds (host, connection, content-length). */
  headers: Record<string, string>;
  body: string;
  answer: CapturedAnswer;
}

/** One schedule's exchanges, in the order they began, with the call id they are about. */
export interface ScheduleExchanges {
  callId: string;
  sent: SentExchange[];
  received: ReceivedExchange[];
}

interface UndiciRequest {
  method: string;
  path: string;
  headers: string[];
  body?: unknown;
}

const ADDED_BY_CLIENTS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

/**
 * Runs `action` (one schedule, nothing else on the wire) and returns what it exchanged. The answers
 * of the fake Graph come from the run's transcript, which records each one it gave; a bot request the
 * transcript does not show (a token fetch) is refused: it is not part of every schedule.
 */
export async function captureSchedule(action: () => Promise<{ transcript: TranscriptEvent[]; callId: string }>): Promise<ScheduleExchanges> {
  const sent = new Map<UndiciRequest, SentExchange>();
  const received: Array<{ method: string; path: string; headers: Record<string, string>; chunks: Buffer[] }> = [];
  let lastSent: SentExchange | undefined;
  const onCreate = ({ request }: { request: UndiciRequest }): void => {
    const headers: Record<string, string> = {};
    for (let i = 0; i < request.headers.length; i += 2) headers[request.headers[i]!] = request.headers[i + 1]!;
    const body = request.body === null || request.body === undefined ? undefined : Buffer.from(request.body as Buffer).toString('utf8');
    lastSent = { method: request.method, path: request.path, headers, ...(body !== undefined && { body }), answer: { status: 0, headers: [], body: '' }, graphRequestsAfter: 0 };
    sent.set(request, lastSent);
  };
  const onHeaders = ({ request, response }: { request: UndiciRequest; response: { statusCode: number; headers: Buffer[] } }): void => {
    const exchange = sent.get(request);
    if (!exchange) return;
    exchange.answer.status = response.statusCode;
    for (let i = 0; i < response.headers.length; i += 2) exchange.answer.headers.push([response.headers[i]!.toString('latin1').toLowerCase(), response.headers[i + 1]!.toString('latin1')]);
  };
  const onChunk = ({ request, chunk }: { request: UndiciRequest; chunk: Buffer }): void => {
    const exchange = sent.get(request);
    if (exchange) exchange.answer.body += chunk.toString('utf8');
  };
  const onServerRequest = ({ request }: { request: IncomingMessage }): void => {
    const seen = { method: request.method!, path: request.url!, headers: withoutClientHeaders(request.headers), chunks: [] as Buffer[] };
    received.push(seen);
    if (lastSent) lastSent.graphRequestsAfter++;
    request.on('data', (chunk: Buffer) => seen.chunks.push(chunk));
  };
  const channels: Array<[string, (message: never) => void]> = [
    ['undici:request:create', onCreate],
    ['undici:request:headers', onHeaders],
    ['undici:request:bodyChunkReceived', onChunk],
    ['http.server.request.start', onServerRequest],
  ];
  for (const [name, listener] of channels) subscribe(name, listener as (message: unknown) => void);
  let run: { transcript: TranscriptEvent[]; callId: string };
  try {
    run = await action();
  } finally {
    for (const [name, listener] of channels) unsubscribe(name, listener as (message: unknown) => void);
  }
  const answered = run.transcript.filter((e): e is GraphExchange => e.type === 'graph');
  if (answered.length !== received.length || received.some((r, i) => r.method !== answered[i]!.method || r.path !== answered[i]!.rawPath)) {
    throw new Error(`bench: the captured schedule's Graph requests (${received.map((r) => `${r.method} ${r.path}`).join(', ')}) are not the ones its transcript answered`);
  }
  return {
    callId: run.callId,
    sent: [...sent.values()],
    received: received.map((r, i) => ({ method: r.method, path: r.path, headers: r.headers, body: Buffer.concat(r.chunks).toString('utf8'), answer: graphAnswer(answered[i]!) })),
  };
}

/** The fake Graph's answer as it wrote it (fake-graph.ts `send`): JSON with its length, or no body. */
function graphAnswer(exchange: GraphExchange): CapturedAnswer {
  const { status, headers, body } = exchange.response;
  const extra = Object.entries(headers ?? {});
  if (body === undefined) return { status, headers: extra, body: '' };
  return { status, headers: [['content-type', 'application/json'], ...extra], body: JSON.stringify(body) };
}

function withoutClientHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (!ADDED_BY_CLIENTS.has(name) && typeof value === 'string') kept[name] = value;
  return kept;
}
