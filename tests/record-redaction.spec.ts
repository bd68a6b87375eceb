/**
 * What `confcall record` writes, without a network: redaction rules (built-in and from a file),
 * their file:line:col errors, and how a capture becomes a suite (one scenario per call).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { DEFAULT_REDACTION_RULES, literalSecretRule } from '../harness/record/default-redaction-rules.js';
import { newPlaceholders, pointerMatches, redactValue } from '../harness/record/redact.js';
import { parseRedactionRules } from '../harness/load/load-redaction-rules.js';
import { captureToSuite } from '../harness/record/capture-to-suite.js';
import type { CapturedExchange } from '../harness/model/capture.js';
import { confcall, tempDir } from './support/cli.js';

const JWT = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJhdWQiOiJib3QifQ.c2lnbmF0dXJl';
const APP_ID = '11111111-2222-3333-4444-555555555555';

test('the built-in rules replace credentials and personal identifiers, the same value by the same placeholder', () => {
  const placeholders = newPlaceholders();
  const roster = {
    value: [
      {
        resourceData: [
          { info: { identity: { user: { id: 'aa-user-1', displayName: 'Heidi Steen', userPrincipalName: 'heidi@contoso.com' } } } },
          { info: { identity: { phone: { id: '+12345678901' } } } },
          { info: { identity: { application: { id: APP_ID, displayName: 'Contoso bot' } } } },
        ],
      },
    ],
    note: `sent with Bearer ${JWT} by heidi@contoso.com`,
    client_secret: 'hunter2',
  };
  const transfer = { transferTarget: { identity: { user: { id: 'aa-user-1', displayName: 'Heidi Steen' } } } };
  const [a, b] = [redactValue(roster, DEFAULT_REDACTION_RULES, placeholders), redactValue(transfer, DEFAULT_REDACTION_RULES, placeholders)];
  const text = JSON.stringify([a, b]);
  for (const secret of ['Heidi', 'aa-user-1', 'heidi@contoso.com', '+12345678901', JWT, 'hunter2', 'Bearer e']) expect(text).not.toContain(secret);
  const user = a.value[0]!.resourceData[0]!.info.identity.user!;
  expect(user).toEqual({ id: '00000000-0000-4000-8000-000000000001', displayName: 'Person 1', userPrincipalName: 'person1@example.invalid' });
  expect(b.transferTarget.identity.user).toEqual({ id: user.id, displayName: user.displayName }); // correlation survives
  expect(a.value[0]!.resourceData[1]!.info.identity.phone!.id).toBe('+15550000001');
  // The bot finds itself in a roster by its app id: application identities stay.
  expect(a.value[0]!.resourceData[2]!.info.identity.application!.id).toBe(APP_ID);
  expect(a.note).toBe('sent with <redacted token> by person1@example.invalid');
  expect(a.client_secret).toBe('<redacted secret>');
});

test('a known secret is redacted wherever it appears, special characters and all', () => {
  const rules = [literalSecretRule('s3cr.t+(x)'), ...DEFAULT_REDACTION_RULES];
  expect(redactValue({ deep: ['token s3cr.t+(x) here', 's3crXt+(x)'] }, rules, newPlaceholders())).toEqual({ deep: ['token <redacted secret> here', 's3crXt+(x)'] });
});

test('JSON pointers with wildcards: * is one member or index, ** any depth', () => {
  expect(pointerMatches('/**/user/id', ['value', '0', 'source', 'identity', 'user', 'id'])).toBe(true);
  expect(pointerMatches('/**/user/id', ['user', 'id'])).toBe(true);
  expect(pointerMatches('/value/*/resourceUrl', ['value', '3', 'resourceUrl'])).toBe(true);
  expect(pointerMatches('/value/*/resourceUrl', ['value', '3', 'x', 'resourceUrl'])).toBe(false);
  expect(pointerMatches('/a~1b', ['a/b'])).toBe(true);
  expect(pointerMatches('/**/id', ['user', 'ids'])).toBe(false);
});

test('a rules file adds rules, and can turn the built-in ones off', () => {
  const { value, problems } = parseRedactionRules('rules.yaml', 'defaults: false\nrules:\n  - pointer: /**/clientContext\n    as: secret\n  - pattern: "room-[0-9]+"\n    as: name\n');
  expect(problems).toEqual([]);
  expect(value!.defaults).toBe(false);
  const placeholders = newPlaceholders();
  expect(redactValue({ clientContext: 'abc', where: 'room-12 and room-12', displayName: 'kept' }, value!.rules, placeholders)).toEqual({ clientContext: '<redacted secret>', where: 'Person 1 and Person 1', displayName: 'kept' });
});

test('a bad rules file is refused with file:line:col, before anything is recorded', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'rules.yaml'), 'rules:\n  - pointer: /**/x\n    as: secret\n  - pattern: "([unclosed"\n    as: name\n  - pointer: /a\n    as: nickname\n');
  const result = await confcall(['record', '--upstream', 'http://127.0.0.1:9', '--bot', 'http://127.0.0.1:9/api/calls', '--redact', 'rules.yaml'], { cwd: dir });
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('rules.yaml:7:9: rules[2].as: must be one of');
  expect(result.stderr).toContain('nothing was recorded');
  expect(result.stderr).not.toMatch(/\n\s+at .*\.(js|ts):\d+/);

  writeFileSync(join(dir, 'rules.yaml'), 'rules:\n  - pattern: "([unclosed"\n    as: name\n');
  const regex = await confcall(['record', '--upstream', 'http://127.0.0.1:9', '--bot', 'http://127.0.0.1:9/api/calls', '--redact', 'rules.yaml'], { cwd: dir });
  expect(regex.code).toBe(2);
  expect(regex.stderr).toMatch(/rules\.yaml:2:14: rules\[0\]\.pattern: not a valid regular expression/);
});

test('bad usage of record says what is wrong and exits 2', async () => {
  for (const [args, message] of [
    [['record', '--bot', 'http://127.0.0.1:9/api/calls'], 'record needs --upstream URL'],
    [['record', '--upstream', 'graph.microsoft.com', '--bot', 'http://127.0.0.1:9/'], '--upstream must be an http(s) URL'],
    [['record', '--upstream', 'http://127.0.0.1:9', '--bot', 'http://127.0.0.1:9/', '--name', 'My Capture'], '--name must be lower-case words joined by dashes'],
  ] as const) {
    const result = await confcall([...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  }
});

const CALL = '11aa0000-0000-4000-8000-000000000001';
const OTHER = '22bb0000-0000-4000-8000-000000000002';
const STRANGER = '0c0ffee0-0000-4000-8000-00000000dead';

function notification(seq: number, ...calls: string[]): CapturedExchange {
  return { type: 'notification', seq, status: 202, body: { value: calls.map((id) => ({ changeType: 'updated', resourceUrl: `/communications/calls/${id}`, resourceData: { '@odata.type': '#microsoft.graph.call', state: 'established' } })) } };
}

test('a capture becomes one scenario per call: notifications, control calls, expected requests answered as captured, the last probe of a poll', () => {
  const captured: CapturedExchange[] = [
    notification(1, CALL),
    { type: 'graph', seq: 2, method: 'POST', rawPath: `/v1.0/communications/calls/${CALL}/answer`, body: { callbackUri: 'http://bot/api/calls', acceptedModalities: ['audio'] }, status: 202, responseHeaders: {} },
    notification(3, OTHER),
    { type: 'control', seq: 4, method: 'GET', path: `/calls/${CALL}`, status: 200, responseBody: { state: 'establishing', participants: [] } },
    { type: 'control', seq: 5, method: 'GET', path: `/calls/${CALL}`, status: 200, responseBody: { state: 'established', resultInfo: { code: 0 }, participants: [{ id: 'p1', isInLobby: false, isMuted: true }] } },
    { type: 'control', seq: 6, method: 'DELETE', path: `/calls/${CALL}`, status: 204 },
    { type: 'graph', seq: 7, method: 'DELETE', rawPath: `/beta/communications/calls/${CALL}`, status: 204, responseHeaders: { 'content-type': 'application/json' } },
    { type: 'graph', seq: 8, method: 'GET', rawPath: '/v1.0/communications/callRecords', status: 200, responseHeaders: {} },
  ];
  const { suite, recordings, notes } = captureToSuite(captured, 'unit', { startedAt: '2026-01-01T00:00:00Z', upstream: 'http://graph', bot: 'http://bot/api/calls' });
  const scenarios = suite.scenarios as Array<{ id: string; steps: Array<Record<string, any>> }>;
  expect(scenarios.map((s) => s.id)).toEqual(['call-1', 'call-2']);
  const steps = scenarios[0]!.steps.filter((s) => !s.expectNo);
  expect(steps).toEqual([
    { notify: 'captured/unit/notification-001-updated-established' },
    { expect: { method: 'POST', path: `/communications/calls/${CALL}/answer`, body: { $recording: 'captured/unit/request-002-answer' }, ignore: ['callbackUri'] }, respond: 'captured/unit/response-002-answer', times: 1 },
    { probe: { state: 'established', resultInfo: { code: 0 }, participants: [{ id: 'p1', isInLobby: false, isMuted: true }], exactParticipants: true } },
    { control: { method: 'DELETE', path: `/calls/${CALL}` }, expectStatus: [204] },
    { expect: { method: 'DELETE', path: `/communications/calls/${CALL}` }, respond: `captured/unit/response-007-call`, times: 1 },
  ]);
  // What the bot did not send about this call, it must not send at replay.
  expect(scenarios[0]!.steps.filter((s) => s.expectNo).map((s) => s.expectNo.path.split('/').at(-1))).toEqual(['reject', 'redirect', 'transfer', '**']);
  expect(notes).toEqual(['exchange 8 (GET /communications/callRecords) names no call: left out of the suite']);
  const response = recordings.find((r) => r.id === 'captured/unit/response-007-call')!;
  expect(response).toMatchObject({ kind: 'response', http: { status: 204, headers: { 'content-type': 'application/json' } }, captured: { upstream: 'http://graph', exchange: 7 } });
});

test('a call named beside call after call (a stranger) ties no calls together; a real link does', () => {
  const captured: CapturedExchange[] = [notification(1, STRANGER, CALL), notification(2, STRANGER, OTHER), { type: 'graph', seq: 3, method: 'POST', rawPath: `/v1.0/communications/calls/${STRANGER}/answer`, status: 404, responseHeaders: {} }];
  const split = captureToSuite(captured, 'unit', { startedAt: 'now', upstream: 'http://graph', bot: 'http://bot' }).suite.scenarios as Array<{ steps: Array<Record<string, any>> }>;
  expect(split).toHaveLength(2);
  // The stranger's answer goes with the call it was last seen beside.
  expect(split[1]!.steps.some((s) => s.expect?.path.includes(STRANGER))).toBe(true);

  const consultative: CapturedExchange[] = [notification(1, CALL), notification(2, OTHER), { type: 'graph', seq: 3, method: 'POST', rawPath: `/v1.0/communications/calls/${CALL}/transfer`, body: { transferTarget: {}, replacesCallId: OTHER }, status: 202, responseHeaders: {} }];
  expect((captureToSuite(consultative, 'unit', { startedAt: 'now', upstream: 'http://graph', bot: 'http://bot' }).suite.scenarios as unknown[]).length).toBe(1);
});
