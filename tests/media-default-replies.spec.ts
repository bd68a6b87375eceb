/**
 * The media (IVR) and compliance-recording actions answer with their documented recordings when no
 * step scripts a reply: status, Location and operation, with the run's ids; an invalid body is 400.
 */
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { defaultReplyPayloads } from '../harness/graph/default-replies.js';
import { startFakeGraph, type FakeGraph, type GraphRequest } from '../harness/graph/fake-graph.js';
import { graphRequestKindOf } from '../harness/graph/request-schemas.js';
import { freshRunIds, recordedIdsOf, substituteIds, type RunIds } from '../harness/graph/run-ids.js';
import { replyTo, type ReplyState } from '../harness/graph/scenario-replies.js';
import { generateRunKeys } from '../harness/graph/signing-keys.js';
import { loadRecordings } from '../harness/load/load-recordings.js';
import type { Recording } from '../harness/model/recording.js';
import { ROOT } from './support/temp-root.js';

const { recordings } = loadRecordings(join(ROOT, 'recordings'));
const recording = (id: string): Recording => recordings.get(id)!;

/** A run's ids as a scenario run makes them: the default replies and the scenario's notifications together. */
function runIdsWith(notifications: string[]): RunIds {
  return freshRunIds(recordedIdsOf([...defaultReplyPayloads(recordings), ...notifications.map((id) => recording(id).body)]));
}

function stateOf(ids: RunIds): ReplyState {
  return { ids, recordings, scripted: [], knownCalls: new Set([ids.callId.toLowerCase()]), deletedCalls: new Set(), silentlyEnded: new Set(), truth: () => ({}) as never };
}

function botRequest(ids: RunIds, action: string, body: unknown): GraphRequest {
  const path = `/communications/calls/${ids.callId}/${action}`;
  return { method: 'POST', rawPath: `/v1.0${path}`, path, version: 'v1.0', requestId: 'r1', schemaProblems: [], requestKind: graphRequestKindOf('POST', path), body };
}

const MEDIA = [
  { action: 'playPrompt', response: 'graph-reference/response-play-prompt', request: 'graph-reference/request-play-prompt', type: 'playPromptOperation', status: 'running' },
  { action: 'recordResponse', response: 'graph-reference/response-record-response', request: 'graph-reference/request-record-response', type: 'recordOperation', status: 'running' },
  { action: 'subscribeToTone', response: 'graph-reference/response-subscribe-to-tone', request: 'graph-reference/request-subscribe-to-tone', type: 'subscribeToToneOperation', status: 'completed' },
  { action: 'cancelMediaProcessing', response: 'graph-reference/response-cancel-media-processing', request: 'graph-reference/request-cancel-media-processing', type: 'cancelMediaProcessingOperation', status: 'completed' },
  { action: 'updateRecordingStatus', response: 'graph-reference/response-update-recording-status', request: 'graph-reference/request-update-recording-status', type: 'updateRecordingStatusOperation', status: 'completed' },
];

const RECORDED_OPERATION = '0fe0623f-d628-42ed-b4bd-8ac290072cc5';

for (const { action, response, request, type, status } of MEDIA) {
  test(`${action} is answered with ${response}: its status, a Location on the run's call, its operation with a run id`, () => {
    const ids = runIdsWith([]);
    const { reply } = replyTo(botRequest(ids, action, recording(request).body), stateOf(ids));
    const documented = recording(response);
    expect(reply.status).toBe(documented.http.status);
    expect(reply.status).toBe(200);
    const body = reply.body as { '@odata.type': string; id: string; status: string };
    expect(body['@odata.type']).toBe(`#microsoft.graph.${type}`);
    expect(body.status).toBe(status);
    expect(body.id).not.toBe(RECORDED_OPERATION);
    expect(body.id).toBe(ids.map.get(RECORDED_OPERATION));
    const location = reply.headers?.location ?? '';
    expect(location).toMatch(new RegExp(`^https://graph\\.microsoft\\.com/v1\\.0/communications/calls/${ids.callId}/operations/[0-9a-f-]{36}$`));
    expect(location).not.toContain('57dab8b1');
  });
}

test('a playPrompt reply and its completion notification name one operation, each in the spelling its document shows', () => {
  const ids = runIdsWith(['graph-reference/notification-play-prompt-completed']);
  const { reply } = replyTo(botRequest(ids, 'playPrompt', recording('graph-reference/request-play-prompt').body), stateOf(ids));
  const operation = (reply.body as { id: string }).id;
  expect(reply.headers?.location).toMatch(new RegExp(`/operations/${operation}$`));
  const notification = substituteIds(recording('graph-reference/notification-play-prompt-completed').body, ids) as { value: Array<{ resourceUrl: string }> };
  // call-playprompt.md: 0fe0623f-d628-… in the response, 0FE0623FD628… in the notification.
  expect(notification.value[0]!.resourceUrl).toBe(`/communications/calls/${ids.callId}/operations/${operation.replace(/-/g, '').toUpperCase()}`);
});

test('the cancelMediaProcessing reply keeps the document\'s two operation ids apart (Location 17e3b46c…, body 0fe0623f…)', () => {
  const ids = runIdsWith([]);
  const { reply } = replyTo(botRequest(ids, 'cancelMediaProcessing', { clientContext: 'c' }), stateOf(ids));
  const inLocation = /operations\/([^/]+)$/.exec(reply.headers?.location ?? '')?.[1];
  expect(inLocation).toBe(ids.map.get('17e3b46c-f61d-4f4d-9635-c626ef18e6ad'));
  expect(inLocation).not.toBe((reply.body as { id: string }).id);
});

test.describe('through the fake Graph', () => {
  const APP_ID = '11111111-2222-3333-4444-555555555555';
  const TENANT = 'aa67bd4c-8475-432d-bd41-39f255720e0a';
  let graph: FakeGraph;
  let ids: RunIds;
  test.beforeAll(async () => {
    graph = await startFakeGraph({ listen: '127.0.0.1:0', keys: generateRunKeys(), appId: APP_ID, tenantId: TENANT });
    ids = runIdsWith([]);
    const state = stateOf(ids);
    graph.attach({ owns: (callId) => callId === ids.callId, respond: (req) => replyTo(req, state).reply });
  });
  test.afterAll(() => graph.close());

  async function post(action: string, body: unknown): Promise<Response> {
    const tokenAnswer = await fetch(`${graph.url}/${TENANT}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: APP_ID }) });
    const { access_token: token } = (await tokenAnswer.json()) as { access_token: string };
    return fetch(`${graph.url}/v1.0/communications/calls/${ids.callId}/${action}`, { method: 'POST', body: JSON.stringify(body), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
  }

  test('a documented playPrompt body gets 200 with the Location header on the wire', async () => {
    const res = await post('playPrompt', recording('graph-reference/request-play-prompt').body);
    expect(res.status).toBe(200);
    expect(res.headers.get('location')).toContain(`/communications/calls/${ids.callId}/operations/`);
    expect(((await res.json()) as { status: string }).status).toBe('running');
  });

  const INVALID: Array<[string, unknown, string]> = [
    ['playPrompt', { clientContext: 'c' }, '/prompts'],
    ['recordResponse', { prompts: [], maxRecordDurationInSeconds: 'ten' }, '/maxRecordDurationInSeconds'],
    ['subscribeToTone', { clientContext: 42 }, '/clientContext'],
    ['cancelMediaProcessing', { clientContext: ['c'] }, '/clientContext'],
    ['updateRecordingStatus', { clientContext: 'c', status: 'notRecording | recording | failed' }, '/status'],
  ];
  for (const [action, body, member] of INVALID) {
    test(`an invalid ${action} body gets 400 naming ${member}`, async () => {
      const res = await post(action, body);
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('BadRequest');
      expect(error.message).toContain(member);
    });
  }
});
