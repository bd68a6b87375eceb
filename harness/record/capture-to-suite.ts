import { parseGraphPath } from '../graph/graph-paths.js';
import type { CapturedControl, CapturedExchange, CapturedGraphExchange, CapturedNotification, CaptureOrigin } from '../model/capture.js';
import type { Recording } from '../model/recording.js';
import { splitByCall } from './capture-calls.js';

/** What a capture becomes: recordings (one per payload) and a suite that replays them, one scenario per call. */
export interface CaptureSuite {
  recordings: Recording[];
  /** The suite as plain data, ready to be written as YAML. */
  suite: Record<string, unknown>;
  /** What was left out, and why, for the person who recorded. */
  notes: string[];
}

/**
 * Turns a (redacted) capture into recordings and a suite whose scenarios send the captured
 * notifications in order, drive the bot with the captured control calls, and expect the captured
 * Graph requests (answered with the captured responses). Recorded ids are mapped to fresh ids at
 * replay like those of document recordings.
 */
export function captureToSuite(captured: readonly CapturedExchange[], name: string, origin: CaptureOrigin): CaptureSuite {
  const recordings: Recording[] = [];
  const notes: string[] = [];
  const { calls, unattached } = splitByCall(captured);
  for (const exchange of unattached) notes.push(`exchange ${exchange.seq} (${describe(exchange)}) names no call: left out of the suite`);

  const provenance = (exchange: number) => ({ at: origin.startedAt, upstream: origin.upstream, bot: origin.bot, exchange });
  const idOf = (kind: Recording['kind'], seq: number, what: string) => `captured/${name}/${kind}-${String(seq).padStart(3, '0')}${what ? `-${what}` : ''}`;
  const scenarios = calls.map((call, n) => {
    const steps: Array<Record<string, unknown>> = [];
    const counts = new Map<string, number>();
    for (const e of call.exchanges) if (e.type === 'graph') counts.set(requestKey(e), (counts.get(requestKey(e)) ?? 0) + 1);
    const counted = new Set<string>();
    call.exchanges.forEach((exchange, i) => {
      if (exchange.type === 'notification') return void steps.push(notifyStep(exchange, recordings, idOf, provenance));
      if (exchange.type === 'graph') {
        const key = requestKey(exchange);
        steps.push(expectStep(exchange, recordings, idOf, provenance, origin, counted.has(key) ? undefined : counts.get(key)));
        return void counted.add(key);
      }
      if (isProbe(exchange)) {
        // The harness polls a probe until it matches: only the last of a run of polls is the view to expect.
        const next = call.exchanges[i + 1];
        if (next && next.type === 'control' && isProbe(next)) return;
        const probe = probeStep(exchange);
        if (probe) steps.push(probe);
        else notes.push(`call ${n + 1}: probe at exchange ${exchange.seq} answered HTTP ${exchange.status}: not expected at replay (a probe step expects a view)`);
        return;
      }
      steps.push(controlStep(exchange));
    });
    // The capture shows everything the bot sent about this call: at replay it may send nothing more,
    // and none of the requests that decide a call's fate that it did not send.
    if (steps.some((s) => 'expect' in s || 'notify' in s)) steps.push({ expectNo: { path: '/communications/**' }, because: 'the capture shows no further Graph request about this call' });
    const fate = unsentFateRequests(call.exchanges, call.callId);
    return { id: `call-${n + 1}`, title: `Captured call ${n + 1}: ${call.exchanges.map(describe).slice(0, 3).join(', ')}${call.exchanges.length > 3 ? ', …' : ''}`, steps: [...fate, ...steps] };
  });

  const suite = {
    suite: `captured-${name}`,
    title: `Captured by confcall record (${name})`,
    description: `Traffic between the bot at ${origin.bot} and the Graph at ${origin.upstream}, captured from ${origin.startedAt}, secrets and personal identifiers redacted. Each scenario replays one call: the captured notifications in order, the captured control calls, and the captured Graph requests, answered with the captured responses.`,
    scenarios,
  };
  return { recordings, suite, notes };
}

/** Requests that decide what becomes of a call: answering, refusing, handing it on, hanging up. */
const FATE_REQUESTS: ReadonlyArray<{ method: string; action: string }> = [
  { method: 'POST', action: '/answer' },
  { method: 'POST', action: '/reject' },
  { method: 'POST', action: '/redirect' },
  { method: 'POST', action: '/transfer' },
  { method: 'DELETE', action: '' },
];

/** An expectNo step for each fate request the capture does not show for this call. */
function unsentFateRequests(exchanges: readonly CapturedExchange[], callId: string): Array<Record<string, unknown>> {
  const key = (method: string, path: string): string => `${method} ${path.toLowerCase()}`;
  const sent = new Set(exchanges.flatMap((e) => (e.type === 'graph' ? [key(e.method, parseGraphPath(e.rawPath)?.path ?? '')] : [])));
  return FATE_REQUESTS.filter(({ method, action }) => !sent.has(key(method, `/communications/calls/${callId}${action}`))).map(({ method, action }) => ({
    expectNo: { method, path: `/communications/calls/${callId}${action}` },
    because: `the capture shows no ${action ? `${action.slice(1)} request` : 'hang-up (DELETE)'} for this call`,
  }));
}

type IdOf = (kind: Recording['kind'], seq: number, what: string) => string;
type Provenance = (exchange: number) => NonNullable<Recording['captured']>;

function notifyStep(exchange: CapturedNotification, recordings: Recording[], idOf: IdOf, provenance: Provenance): Record<string, unknown> {
  const what = notificationWhat(exchange.body);
  const id = idOf('notification', exchange.seq, what);
  recordings.push({ id, kind: 'notification', title: `Captured notification ${exchange.seq}${what ? ` (${what.replaceAll('-', ' ')})` : ''}`, http: { method: 'POST', url: provenance(exchange.seq).bot }, body: exchange.body, sources: [], captured: provenance(exchange.seq) });
  const step: Record<string, unknown> = { notify: id };
  if (exchange.status === 401 || exchange.status === 403) {
    // The capture cannot tell which forgery the refused token had: replay one the bot must refuse too.
    return { ...step, forge: 'bad-signature', expectStatus: [401, 403], because: `the bot refused this notification with HTTP ${exchange.status}; replayed with a forged token` };
  }
  if (exchange.status < 200 || exchange.status >= 300) return { ...step, expectStatus: [exchange.status], because: `the bot answered HTTP ${exchange.status} when captured` };
  return step;
}

function expectStep(exchange: CapturedGraphExchange, recordings: Recording[], idOf: IdOf, provenance: Provenance, origin: CaptureOrigin, times: number | undefined): Record<string, unknown> {
  const path = parseGraphPath(exchange.rawPath)?.path ?? exchange.rawPath.split('?')[0]!;
  const what = requestWhat(path);
  const requestId = idOf('request', exchange.seq, what);
  const responseId = idOf('response', exchange.seq, what);
  const url = `${origin.upstream.replace(/\/$/, '')}${exchange.rawPath}`;
  recordings.push({ id: requestId, kind: 'request', title: `Captured request ${exchange.seq}: ${exchange.method} ${path}`, http: { method: exchange.method, url }, ...(exchange.body === undefined ? {} : { body: exchange.body }), sources: [], captured: provenance(exchange.seq) });
  recordings.push({
    id: responseId,
    kind: 'response',
    title: `Captured response ${exchange.seq}: HTTP ${exchange.status} to ${exchange.method} ${path}`,
    http: { status: exchange.status, ...(Object.keys(exchange.responseHeaders).length ? { headers: exchange.responseHeaders } : {}) },
    ...(exchange.responseBody === undefined ? {} : { body: exchange.responseBody }),
    sources: [],
    captured: provenance(exchange.seq),
  });
  const sent = exchange.body as { callbackUri?: unknown; clientContext?: unknown } | undefined;
  const request: Record<string, unknown> = { method: exchange.method, path };
  if (exchange.body !== undefined && typeof exchange.body === 'object') request.body = { $recording: requestId };
  // The bot's callbackUri names where it listened when captured, not where it listens at replay; its
  // clientContext is its own choice (it may name the captured call, or be random): neither is replayed.
  const ignore = [typeof sent?.callbackUri === 'string' && 'callbackUri', typeof sent?.clientContext === 'string' && 'clientContext'].filter((k): k is string => typeof k === 'string');
  if (ignore.length) request.ignore = ignore;
  return { expect: request, respond: responseId, ...(times === undefined ? {} : { times }) };
}

function controlStep(exchange: CapturedControl): Record<string, unknown> {
  const method = exchange.method === 'GET' || exchange.method === 'DELETE' ? exchange.method : 'POST';
  const control: Record<string, unknown> = { method, path: exchange.path.split('?')[0] };
  if (exchange.body !== undefined) control.body = exchange.body;
  return { control, expectStatus: [exchange.status] };
}

/** A probe step expecting the view the bot reported, or undefined when it reported none. */
function probeStep(exchange: CapturedControl): Record<string, unknown> | undefined {
  const view = exchange.responseBody as { state?: unknown; resultInfo?: { code?: unknown; subcode?: unknown }; participants?: Array<{ id?: unknown; isInLobby?: unknown; isMuted?: unknown }> } | undefined;
  if (exchange.status !== 200 || !view || typeof view !== 'object') return undefined;
  const expect: Record<string, unknown> = {};
  if (typeof view.state === 'string') expect.state = view.state;
  const code = Number(view.resultInfo?.code);
  const subcode = Number(view.resultInfo?.subcode);
  if (view.resultInfo && (Number.isInteger(code) || Number.isInteger(subcode))) expect.resultInfo = { ...(Number.isInteger(code) ? { code } : {}), ...(Number.isInteger(subcode) ? { subcode } : {}) };
  if (Array.isArray(view.participants)) {
    expect.participants = view.participants
      .filter((p) => typeof p?.id === 'string')
      .map((p) => ({ id: p.id, ...(typeof p.isInLobby === 'boolean' ? { isInLobby: p.isInLobby } : {}), ...(typeof p.isMuted === 'boolean' ? { isMuted: p.isMuted } : {}) }));
    expect.exactParticipants = true;
  }
  return { probe: expect };
}

function isProbe(exchange: CapturedControl): boolean {
  return exchange.method === 'GET' && /^\/calls\/[^/?]+\/?(\?.*)?$/.test(exchange.path);
}

/** Requests counted together: same method, path and body (apart from callbackUri). */
function requestKey(exchange: CapturedGraphExchange): string {
  const { callbackUri: _callback, ...body } = (exchange.body && typeof exchange.body === 'object' ? exchange.body : {}) as Record<string, unknown>;
  return `${exchange.method} ${parseGraphPath(exchange.rawPath)?.path ?? exchange.rawPath} ${JSON.stringify(body)}`;
}

/** A short name for a notification in recording ids: its change and the call state it reports. */
function notificationWhat(body: unknown): string {
  const first = ((body as { value?: unknown[] } | undefined)?.value?.[0] ?? {}) as { changeType?: unknown; resourceData?: { state?: unknown; '@odata.type'?: unknown } };
  const type = String(first.resourceData?.['@odata.type'] ?? '').replace(/^#microsoft\.graph\./, '');
  const parts = [first.changeType, type === 'call' ? first.resourceData?.state : type].filter((p): p is string => typeof p === 'string' && p !== '');
  return slug(parts.join(' '));
}

/** A short name for a request in recording ids: the action, or the resource it is about. */
function requestWhat(path: string): string {
  const last = path.split('/').filter(Boolean).at(-1) ?? '';
  return /^[0-9a-f-]{8,}$/i.test(last) ? 'call' : slug(last);
}

function slug(text: string): string {
  return text
    .replace(/([a-z])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}

function describe(exchange: CapturedExchange): string {
  if (exchange.type === 'notification') return `notification ${notificationWhat(exchange.body).replaceAll('-', ' ') || exchange.seq}`;
  if (exchange.type === 'graph') return `${exchange.method} ${parseGraphPath(exchange.rawPath)?.path.replace(/\/calls\/[^/]+/, '/calls/…') ?? exchange.rawPath}`;
  return `control ${exchange.method} ${exchange.path.replace(/\/calls\/[^/]+/, '/calls/…')}`;
}
