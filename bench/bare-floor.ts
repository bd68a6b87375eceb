/**
 * (b-floor): one schedule's exchanges done bare, as the floor under (b-cpu). The captured
 * exchanges of a real schedule (bench/schedule-exchanges.ts) are repeated with a fresh call id per
 * schedule: the same requests to a peer in its own process (bench/floor-peer.ts) on a keep-alive
 * undici Agent, as the notifier does (same headers: the signed bearer token, JSON bodies of the real
 * sizes), their answers read and the JSON ones parsed; and the peer's Graph requests answered by a
 * node:http server in this process, as the fake Graph is, their bodies read and parsed. Nothing else:
 * no scenario, no transcript, no judging. This process's CPU for it is the least a schedule's
 * transport can cost here, whatever the harness does around it.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Agent, type Dispatcher } from 'undici';
import { startPeerProcess } from './responder-process.js';
import type { CapturedAnswer, ScheduleExchanges, SentExchange } from './schedule-exchanges.js';

/** The bare floor, started: run schedules through it, read its peer's CPU. */
export interface BareFloor {
  peerPid: number;
  /** Runs `schedules` schedules in `lanes` concurrent lanes, each one's exchanges in the captured order. */
  run(lanes: number, schedules: number): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the floor's Graph server on `ports.graph` and its peer on `ports.peer`. */
export async function startBareFloor(schedule: ScheduleExchanges, ports: { peer: number; graph: number }, workDir: string): Promise<BareFloor> {
  const arrivals = new Map<string, { count: number; want: number; wake?: () => void }>();
  const server = createServer((req, res) => answerGraphRequest(schedule, arrivals, req, res));
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(ports.graph, '127.0.0.1', resolve));
  const file = join(workDir, 'floor-schedule.json');
  writeFileSync(file, JSON.stringify(schedule));
  const peer = await startPeerProcess('floor-peer.js', [file, String(ports.peer), `http://127.0.0.1:${ports.graph}`], `the bare floor's peer on port ${ports.peer}`).catch(async (error) => {
    await closeServer(server);
    throw error;
  });
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: 32 });
  /** Resolves once the Graph server has answered `count` requests about `callId`. */
  const graphRequests = (callId: string, count: number): Promise<void> => {
    const seen = arrivals.get(callId) ?? { count: 0, want: 0 };
    arrivals.set(callId, seen);
    if (seen.count >= count) return Promise.resolve();
    return new Promise((resolve) => Object.assign(seen, { want: count, wake: resolve }));
  };
  const oneSchedule = async (): Promise<void> => {
    const callId = randomUUID();
    let graphCount = 0;
    for (const exchange of schedule.sent) {
      await send(agent, peer.url, exchange, schedule.callId, callId);
      graphCount += exchange.graphRequestsAfter;
      if (exchange.graphRequestsAfter) await graphRequests(callId, graphCount);
    }
    arrivals.delete(callId);
  };
  return {
    peerPid: peer.pid,
    async run(lanes, schedules) {
      let started = 0;
      await Promise.all(Array.from({ length: lanes }, async () => {
        while (started++ < schedules) await oneSchedule();
      }));
    },
    async stop() {
      await agent.close();
      await peer.stop();
      await closeServer(server);
    },
  };
}

/** Sends one captured request with this schedule's call id, reads the answer, parses it when it is JSON. */
async function send(agent: Agent, origin: string, exchange: SentExchange, capturedId: string, callId: string): Promise<void> {
  const body = exchange.body?.replaceAll(capturedId, callId);
  const answer = await dispatch(agent, { origin, path: exchange.path.replaceAll(capturedId, callId), method: exchange.method as Dispatcher.HttpMethod, headers: exchange.headers, body });
  if (answer.status !== exchange.answer.status) throw new Error(`bench: the floor's peer answered ${exchange.method} ${exchange.path} with ${answer.status}, not ${exchange.answer.status}: ${answer.text}`);
  if (answer.text && isJson(exchange.answer)) JSON.parse(answer.text);
}

/** One request on undici's dispatch API, the body read as text (as harness/notify/http-exchange.ts does, without its limits). */
function dispatch(agent: Agent, options: Dispatcher.DispatchOptions): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let status = 0;
    agent.dispatch(options, {
      onConnect() {},
      onHeaders(statusCode) {
        status = statusCode;
        return true;
      },
      onData(chunk) {
        chunks.push(chunk);
        return true;
      },
      onComplete() {
        resolve({ status, text: chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8') });
      },
      onError: reject,
    });
  });
}

/** Answers the k-th Graph request about a call (they come in the captured order, one after the other) with the fake Graph's captured answer to it, after reading and parsing its body. */
function answerGraphRequest(schedule: ScheduleExchanges, arrivals: Map<string, { count: number; want: number; wake?: () => void }>, req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
    if (text) JSON.parse(text);
    const callId = /\/calls\/([^/?]+)/.exec(req.url!)?.[1] ?? '';
    const seen = arrivals.get(callId) ?? { count: 0, want: 0 };
    arrivals.set(callId, seen);
    const captured = schedule.received[seen.count];
    if (!captured) return void res.writeHead(404).end();
    writeAnswer(res, captured.answer);
    seen.count++;
    if (seen.wake && seen.count >= seen.want) {
      seen.wake();
      seen.wake = undefined;
    }
  });
}

/** Writes an answer as the fake Graph does (fake-graph.ts `send`): its headers, and the body's length. */
function writeAnswer(res: ServerResponse, answer: CapturedAnswer): void {
  const headers: Record<string, string> = Object.fromEntries(answer.headers);
  if (answer.body || !BODILESS.has(answer.status)) headers['content-length'] = String(Buffer.byteLength(answer.body));
  res.writeHead(answer.status, headers);
  res.end(answer.body || undefined);
}

/** Statuses that never carry a body, nor a length. */
const BODILESS = new Set([204, 304]);

function isJson(answer: CapturedAnswer): boolean {
  return answer.headers.some(([name, value]) => name === 'content-type' && value.includes('json'));
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
