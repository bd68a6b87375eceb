/**
 * An independent calling bot for confcall, written from the Graph documents and DESIGN.md.
 * Serves notifications at POST /graph/notifications, the control API under /control, GET /health.
 */
import { createServer } from 'node:http';
import { readConfig } from './config.mjs';
import { makeNotificationVerifier } from './notification-auth.mjs';
import { makeGraphClient } from './graph-client.mjs';
import { makeCalls } from './calls.mjs';
import { makeControlApi } from './control-api.mjs';

const MAX_BODY = 1024 * 1024;
const log = (message) => process.stderr.write(`[independent-bot] ${message}\n`);

const { config, missing } = readConfig(process.env);
if (missing) {
  log(`missing environment variables: ${missing.join(', ')}`);
  process.exit(1);
}

const graph = makeGraphClient(config);
const calls = makeCalls({ graph, config, log });
const control = makeControlApi({ calls, graph, config });
const verify = makeNotificationVerifier(config);

/** Reads a request body (capped), resolving to the text, or undefined when it is too large. */
function readBody(req) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res, status, body) {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
  res.end(text);
}

async function onNotification(req, res) {
  const text = await readBody(req);
  // A token we cannot verify is refused with 403: the caller is not allowed to notify us.
  if (!(await verify(req.headers.authorization))) return send(res, 403, { error: 'invalid notification token' });
  let body;
  try {
    body = JSON.parse(text ?? '');
  } catch {
    return send(res, 400, { error: 'body is not JSON' });
  }
  // Acknowledge first (Graph wants an answer within seconds), then process in arrival order per call.
  send(res, 200);
  const items = Array.isArray(body?.value) ? body.value : [];
  for (const notification of items) calls.handle(notification);
}

async function onControl(req, res, segments) {
  let body;
  if (req.method === 'POST') {
    const text = await readBody(req);
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      return send(res, 400, { error: 'body is not JSON' });
    }
  }
  const { status, body: answer } = await control(req.method, segments, body);
  send(res, status, answer);
}

const server = createServer(async (req, res) => {
  try {
    const path = new URL(req.url, 'http://localhost').pathname.replace(/\/+$/, '');
    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (path === '/health') return req.method === 'GET' ? send(res, 200, { ok: true }) : send(res, 405);
    if (path === '/graph/notifications') return req.method === 'POST' ? await onNotification(req, res) : send(res, 405);
    if (segments[0] === 'control') return await onControl(req, res, segments.slice(1));
    send(res, 404, { error: 'not found' });
  } catch (error) {
    log(`${req.method} ${req.url}: ${error.message}`);
    if (!res.headersSent) send(res, 500, { error: 'internal error' });
  }
});

server.listen(config.port, '127.0.0.1', () => log(`listening on http://127.0.0.1:${config.port}`));

function stop() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 1000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
