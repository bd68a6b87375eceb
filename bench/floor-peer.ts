/**
 * The bot's side of the bare floor (bench/bare-floor.ts), in its own process as a bot is:
 * `node dist/bench/floor-peer.js EXCHANGES_FILE PORT GRAPH_ORIGIN` prints `ready <origin>` once it
 * listens. It answers the k-th request about a call with the answer the bot gave in the captured
 * schedule, then makes the Graph requests the bot made after it (same paths, headers, bodies), one
 * after the other, with node:http's keep-alive agent as the reference bot does. No bot logic.
 */
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type ServerResponse } from 'node:http';
import type { ReceivedExchange, ScheduleExchanges } from './schedule-exchanges.js';

const [file, port, graphOrigin] = process.argv.slice(2) as [string, string, string];
const schedule = JSON.parse(readFileSync(file, 'utf8')) as ScheduleExchanges;
/** For each captured request of the harness: the Graph requests that followed it. */
const followers = followersOf(schedule);
const callIdPattern = /\/calls\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i;
/** Requests seen so far per call (the floor runs each call's exchanges in the captured order). */
const seen = new Map<string, number>();

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const callId = callIdPattern.exec(req.url!)?.[1] ?? callIdPattern.exec(Buffer.concat(chunks).toString('utf8'))?.[1];
    const k = callId === undefined ? -1 : seen.get(callId) ?? 0;
    const step = schedule.sent[k];
    if (callId === undefined || !step) return void res.writeHead(400).end(`floor peer: no captured exchange for ${req.method} ${req.url}`);
    if (k + 1 === schedule.sent.length) seen.delete(callId);
    else seen.set(callId, k + 1);
    answer(res, step.answer);
    void followUp(followers[k]!, callId);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(Number(port), '127.0.0.1', () => process.stdout.write(`ready http://127.0.0.1:${port}\n`));
process.once('SIGTERM', () => server.close(() => process.exit(0)));

function answer(res: ServerResponse, captured: ScheduleExchanges['sent'][number]['answer']): void {
  const headers: Record<string, string> = {};
  // Framing as the bot chose it: a captured length is kept; an empty body without one goes chunked, as Node's writeHead().end() does.
  for (const [name, value] of captured.headers) if (name === 'content-type' || name === 'content-length') headers[name] = value;
  res.writeHead(captured.status, headers);
  res.end(captured.body || undefined);
}

/** The bot's Graph requests after one of the harness's requests, made one after the other. */
async function followUp(requests: ReceivedExchange[], callId: string): Promise<void> {
  for (const r of requests) {
    const body = r.body.replaceAll(schedule.callId, callId);
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${graphOrigin}${r.path.replaceAll(schedule.callId, callId)}`, { method: r.method, headers: r.headers }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', (error) => {
        console.error(`floor peer: ${r.method} ${r.path}: ${error.message}`);
        resolve();
      });
      req.end(body || undefined);
    });
  }
}

function followersOf({ sent, received }: ScheduleExchanges): ReceivedExchange[][] {
  let next = 0;
  return sent.map((s) => received.slice(next, (next += s.graphRequestsAfter)));
}
