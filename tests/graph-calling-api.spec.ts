import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { startFakeGraph, type FakeGraph, type GraphReply } from '../harness/graph/fake-graph.js';
import { generateRunKeys } from '../harness/graph/signing-keys.js';
import { replyTo, type ReplyState } from '../harness/graph/scenario-replies.js';
import { defaultReplyRecording, defaultReplyRecordings } from '../harness/graph/default-replies.js';
import { applyNotificationToTruth, type CallTruth } from '../harness/graph/call-truth.js';
import { createRunIds, idsForReply, recordedIdsOf, substituteIds } from '../harness/graph/run-ids.js';
import { graphRequestKindOf } from '../harness/graph/request-schemas.js';
import { loadRecordings } from '../harness/load/load-recordings.js';
import type { Recording } from '../harness/model/recording.js';
import { ROOT } from './support/cli.js';

// The fake Graph as a scenario run uses it (replyTo over the shipped recordings), for the
// participants and call-level requests: mute, unmute, invite, participant DELETE, redirect, keepAlive, GETs.
const APP_ID = '11111111-2222-3333-4444-555555555555';
const TENANT = 'aa67bd4c-8475-432d-bd41-39f255720e0a';
const { recordings, problems } = loadRecordings(join(ROOT, 'recordings'));
const keys = generateRunKeys();
let graph: FakeGraph;
let state: ReplyState;
let truth: CallTruth;
let replies: GraphReply[];
let bearer: Record<string, string>;

function recording(id: string): Recording {
  const found = recordings.get(id);
  expect(found, `recording ${id}`).toBeDefined();
  return found!;
}

test.beforeAll(async () => {
  expect(problems).toEqual([]);
  graph = await startFakeGraph({ listen: '127.0.0.1:0', keys, appId: APP_ID, tenantId: TENANT, clientSecret: 's3cret' });
  graph.attach({
    owns: (callId) => state.knownCalls.has(callId.toLowerCase()),
    respond: (req) => {
      const { reply } = replyTo(req, state);
      replies.push(reply);
      return reply;
    },
  });
  const res = await fetch(`${graph.url}/${TENANT}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: APP_ID, client_secret: 's3cret', scope: 'https://graph.microsoft.com/.default' }),
  });
  bearer = { authorization: `Bearer ${((await res.json()) as { access_token: string }).access_token}`, 'content-type': 'application/json' };
});
test.afterAll(() => graph.close());
test.beforeEach(() => {
  const ids = createRunIds([]);
  truth = { resource: { '@odata.type': '#microsoft.graph.call', id: ids.callId, state: 'established' } };
  state = { ids, recordings, scripted: [], knownCalls: new Set([ids.callId.toLowerCase()]), deletedCalls: new Set(), silentlyEnded: new Set(), truth: () => truth };
  replies = [];
});

/** Sends one request about the run's call (`{call}` in the path); the body is JSON unless undefined. */
async function send(method: string, path: string, body?: unknown): Promise<{ status: number; location: string | null; body: unknown }> {
  const res = await fetch(`${graph.url}/v1.0${path.replace('{call}', state.ids.callId)}`, { method, headers: bearer, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, location: res.headers.get('location'), body: text ? JSON.parse(text) : undefined };
}

/** Delivers a notification recording into Graph's truth, with the run's ids (kept across notifications, as a run's are), as an accepted one would be. */
function accept(id: string): void {
  const { body } = recording(id);
  const ids = idsForReply(state.ids, recordedIdsOf([body]), state.ids.callId);
  for (const [recorded, fresh] of ids.map) state.ids.map.set(recorded, fresh);
  truth = applyNotificationToTruth(truth, substituteIds(body, ids), state.ids.callId);
}

const served = [
  { name: 'call: mute', method: 'POST', path: '/communications/calls/{call}/mute', request: 'graph-reference/request-mute', reply: 'graph-reference/response-mute' },
  { name: 'participant: mute', method: 'POST', path: '/communications/calls/{call}/participants/2765eb15-01f8-47c6-b12b-c32111a4a86f/mute', request: 'graph-reference/request-mute', reply: 'graph-reference/response-mute' },
  { name: 'call: unmute', method: 'POST', path: '/communications/calls/{call}/unmute', request: 'graph-reference/request-unmute', reply: 'graph-reference/response-unmute' },
  { name: 'participant: invite', method: 'POST', path: '/communications/calls/{call}/participants/invite', request: 'graph-reference/request-invite-participant', reply: 'graph-reference/response-invite-participant-running' },
  { name: 'participant: delete', method: 'DELETE', path: '/communications/calls/{call}/participants/2765eb15-01f8-47c6-b12b-c32111a4a86f', request: 'graph-reference/request-delete-participant', reply: 'graph-reference/response-delete-participant' },
  { name: 'call: redirect', method: 'POST', path: '/communications/calls/{call}/redirect', request: 'graph-reference/request-redirect', reply: 'graph-reference/response-redirect-accepted' },
  { name: 'call: keepAlive', method: 'POST', path: '/communications/calls/{call}/keepAlive', request: 'graph-reference/request-keep-alive', reply: 'graph-reference/response-keep-alive' },
] as const;

test.describe('each documented request is answered with its recorded response', () => {
  for (const { name, method, path, request, reply } of served) {
    test(name, async () => {
      const documented = recording(reply);
      const answer = await send(method, path, recording(request).body);
      expect(answer.status).toBe(documented.http.status);
      expect(replies.at(-1)!.from).toBe(`recording ${reply}`);
      if (documented.body === undefined) return expect(answer.body).toBeUndefined();
      // Same members as the document, with the document's call and operation ids swapped for the run's.
      const body = answer.body as Record<string, unknown>;
      expect(Object.keys(body)).toEqual(Object.keys(documented.body as object));
      const text = JSON.stringify(answer.body) + (answer.location ?? '');
      for (const recordedId of ['57dab8b1-894c-409a-b240-bd8beae78896', '17e3b46c-f61d-4f4d-9635-c626ef18e6ad', 'eec3812a-fdc3-4fb4-825c-a06c9f35414e']) expect(text).not.toContain(recordedId);
      expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    });
  }

  test('mute and unmute name the new operation under the run\'s call in Location, as the documents do', async () => {
    for (const action of ['mute', 'unmute']) {
      const answer = await send('POST', `/communications/calls/{call}/${action}`, { clientContext: 'c' });
      const { id, status } = answer.body as { id: string; status: string };
      expect(status).toBe('completed');
      expect(answer.location).toBe(`https://graph.microsoft.com/v1.0/communications/calls/${state.ids.callId}/operations/${id}`);
    }
  });

  test('invite answers the documented "Running", capitalised as the page shows it, with no Location (the example shows none)', async () => {
    const answer = await send('POST', '/communications/calls/{call}/participants/invite', recording('graph-reference/request-invite-participant').body);
    expect((answer.body as { status: string }).status).toBe('Running');
    expect(answer.location).toBeNull();
  });

  test('keepAlive is sent without a body and answered 200 with none', async () => {
    const answer = await send('POST', '/communications/calls/{call}/keepAlive');
    expect([answer.status, answer.body]).toEqual([200, undefined]);
  });
});

test.describe('bodies that break the Graph metadata are refused 400, naming the member', () => {
  const broken = [
    { path: '/communications/calls/{call}/mute', body: { clientContext: 42 }, member: '/clientContext' },
    { path: '/communications/calls/{call}/participants/p1/mute', body: { clientContext: 42 }, member: '/clientContext' },
    { path: '/communications/calls/{call}/unmute', body: { clientContext: 42 }, member: '/clientContext' },
    { path: '/communications/calls/{call}/participants/invite', body: { clientContext: 'c' }, member: '/participants' },
    { path: '/communications/calls/{call}/redirect', body: { targets: [{ identity: 'x' }] }, member: '/targets/0/identity' },
  ];
  for (const { path, body, member } of broken) {
    test(`${path.replace("/communications/calls/{call}", "")}: ${member}`, async () => {
      const answer = await send('POST', path, body);
      expect(answer.status).toBe(400);
      expect((answer.body as { error: { code: string; message: string } }).error).toMatchObject({ code: 'BadRequest', message: expect.stringContaining(member) });
    });
  }
});

test.describe('a request about a call that has ended gets the documented 404', () => {
  const later = [
    ['POST', '/communications/calls/{call}/keepAlive'],
    ['POST', '/communications/calls/{call}/mute'],
    ['GET', '/communications/calls/{call}'],
    ['GET', '/communications/calls/{call}/participants'],
    ['DELETE', '/communications/calls/{call}'],
  ] as const;

  test('before the call ends the same requests are served', async () => {
    expect((await send('POST', '/communications/calls/{call}/keepAlive')).status).toBe(200);
    expect((await send('GET', '/communications/calls/{call}')).status).toBe(200);
  });

  test('after a deleted notification the bot accepted', async () => {
    accept('graph-reference/notification-terminated');
    expect(truth.resource?.state).toBe('terminated');
    for (const [method, path] of later) {
      const answer = await send(method, path, method === 'POST' ? {} : undefined);
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect((answer.body as { error: { code: string } }).error.code).toBe('ItemNotFound');
      expect(replies.at(-1)!.from).toMatch(/^call ended: call-keepalive\.md/);
    }
  });

  test('after Graph answered the bot\'s own DELETE of the call', async () => {
    expect((await send('DELETE', '/communications/calls/{call}')).status).toBe(204);
    for (const [method, path] of later) expect((await send(method, path, method === 'POST' ? {} : undefined)).status, `${method} ${path}`).toBe(404);
  });

  test('a DELETE Graph refused ends nothing', async () => {
    state.scripted = [{ stepIndex: 0, matches: (req) => req.method === 'DELETE', reply: { status: 500 }, used: false }];
    expect((await send('DELETE', '/communications/calls/{call}')).status).toBe(500);
    expect((await send('POST', '/communications/calls/{call}/keepAlive')).status).toBe(200);
  });
});

test.describe('GET of the call and its participants answers from the call\'s truth', () => {
  test('list participants gives the roster the notifications left, get participant one of them', async () => {
    expect(await send('GET', '/communications/calls/{call}/participants')).toMatchObject({ status: 200, body: { value: [] } });
    accept('graph-reference/notification-participant-muted');
    const list = await send('GET', '/communications/calls/{call}/participants');
    const [bob] = (list.body as { value: Array<{ id: string; isMuted: boolean; info: unknown }> }).value;
    expect(bob).toMatchObject({ isMuted: true, info: { identity: { user: { displayName: 'Bob' } } } });
    expect(replies.at(-1)!.from).toMatch(/^call truth: .*no list participants example/);
    expect(await send('GET', `/communications/calls/{call}/participants/${bob!.id}`)).toMatchObject({ status: 200, body: { id: bob!.id, isMuted: true } });
    accept('graph-reference/notification-participant-unmuted');
    expect(await send('GET', `/communications/calls/{call}/participants/${bob!.id}`)).toMatchObject({ status: 200, body: { isMuted: false } });
    expect((await send('GET', '/communications/calls/{call}/participants/someone-else')).status).toBe(404);
  });

  test('GET of the call gives the resource as the notifications left it', async () => {
    const answer = await send('GET', '/communications/calls/{call}');
    expect(answer).toMatchObject({ status: 200, body: { id: state.ids.callId, state: 'established' } });
    expect(replies.at(-1)!.from).toMatch(/^call truth: the call resource/);
  });
});

test.describe('default replies', () => {
  test('every default reply names a shipped response recording with sources', () => {
    const ids = defaultReplyRecordings();
    expect(ids.length).toBeGreaterThanOrEqual(13);
    for (const id of ids) {
      const reply = recording(id);
      expect(reply.kind, id).toBe('response');
      expect(reply.sources.length, `${id} has sources`).toBeGreaterThan(0);
      for (const source of reply.sources) expect(source.line, id).toBeGreaterThan(0);
    }
  });

  test('each served request is recognised as its kind and has its documented default', () => {
    for (const { method, path, reply } of served) {
      const concrete = path.replace('{call}', 'c1');
      const kind = graphRequestKindOf(method, concrete);
      if (method === 'POST') expect(kind, concrete).toBeDefined();
      expect(defaultReplyRecording(method, kind, concrete), `${method} ${concrete}`).toBe(reply);
    }
  });
});
