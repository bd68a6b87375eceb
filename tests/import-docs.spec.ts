import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect } from '@playwright/test';
import { Ajv } from 'ajv';
import { collectRecordings, importDocuments, serializeRecording, writeRecordings } from '../harness/import/import-docs.js';
import { scanDocument } from '../harness/import/scan-document.js';
import { parseTolerantJson } from '../harness/import/tolerant-json.js';
import { exampleTitle, translateHeading } from '../harness/import/titles.js';
import type { Recording } from '../harness/model/recording.js';

const root = join(fileURLToPath(import.meta.url), '..', '..');

// A small Russian transfer page: a request with trailing commas, a C# and a CLI snippet (which
// hold JSON but are not examples), a 202 with no body, and two notifications.
const transferPage = [
  'Пример 1. Передача звонка из однорангового вызова',
  'Запрос',
  'Ниже показан пример запроса.',
  'POST https://graph.microsoft.com/beta/communications/calls/{id}/transfer',
  'Content-Type: application/json',
  '{',
  '"transferTarget": {',
  '"endpointType": "default",',
  '"languageId": "languageId-value",',
  '},',
  '}',
  'var requestBody = new TransferPostRequestBody',
  '{',
  'EndpointType = EndpointType.Default,',
  '};',
  "mgc-beta communications calls transfer post --call-id {call-id} --body '{\\",
  '"transferTarget": {\\',
  '}\\',
  "'",
  'await graph_client.communications.calls.by_call_id(\'call-id\').transfer.post(request_body)',
  'Отклик',
  'HTTP/1.1 202 Accepted',
  'Уведомление — передача',
  'POST https://bot.contoso.com/api/calls',
  'Content-Type: application/json',
  '{',
  '"@odata.type": "#microsoft.graph.commsNotifications",',
  '"value": [{ "changeType": "updated", "resourceData": { "state": "transferring" } }]',
  '}',
  'Уведомление — сбой передачи',
  'Примечание: Если передача вызова завершается сбоем, состояние вызова будет иметь значение established.',
  'POST https://bot.contoso.com/api/calls',
  'Content-Type: application/json',
  '{',
  '"value": [{ "resourceData": { "state": "established", "resultInfo": { "code": 500, "subCode": 7000, "message": "<message>" } } }]',
  '}',
].join('\n');

// A second page (English) showing the same "transferring" notification again, and a different failure.
const secondPage = [
  'Example 2: Something else',
  'Request',
  'POST https://graph.microsoft.com/beta/communications/calls/abc/transfer',
  'Content-Type: application/json',
  '{ "transferTarget": {} }',
  'Notification - transferring',
  'POST https://bot.contoso.com/api/calls',
  'Content-Type: application/json',
  '{',
  '"@odata.type": "#microsoft.graph.commsNotifications",',
  '"value": [{ "changeType": "updated", "resourceData": { "state": "transferring" } }]',
  '}',
  'Notification - transfer failed',
  'POST https://bot.contoso.com/api/calls',
  'Content-Type: application/json',
  '{',
  '"value": [{ "resourceData": { "state": "established", "resultInfo": { "code": 500, "subCode": 7700 } } }]',
  '}',
].join('\n');

const byId = (recordings: Recording[], id: string): Recording => {
  const found = recordings.find((r) => r.id === id);
  if (!found) throw new Error(`no recording ${id}; have ${recordings.map((r) => r.id).join(', ')}`);
  return found;
};

test.describe('tolerant JSON', () => {
  test('removes trailing commas outside strings and reports where', () => {
    const result = parseTolerantJson('{\n"a": [1, 2,],\n"b": "x,}",\n}', 10);
    expect(result).toEqual({
      ok: true,
      value: { a: [1, 2], b: 'x,}' },
      fixes: [
        { line: 11, col: 11, what: 'removed trailing comma' },
        { line: 12, col: 11, what: 'removed trailing comma' },
      ],
    });
  });

  test('keeps placeholders, numbers, nulls and key order as shown', () => {
    const result = parseTolerantJson('{"z": "<message>", "code": "200", "subcode": 7015, "a": null}');
    expect(result.ok && JSON.stringify(result.value)).toBe('{"z":"<message>","code":"200","subcode":7015,"a":null}');
  });

  test('an error that remains names its line and column', () => {
    const result = parseTolerantJson('{\n"a": 1\n"b": 2\n}', 40);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ line: 42, col: 1, message: expect.stringContaining("expected ','") });
  });
});

test.describe('scanning a document', () => {
  test('finds the examples and skips code snippets', () => {
    const { examples, language, problems } = scanDocument('t.txt', transferPage);
    expect(problems).toEqual([]);
    expect(language).toBe('ru');
    expect(examples.map((e) => [e.kind, e.line])).toEqual([
      ['request', 4],
      ['response', 22],
      ['notification', 24],
      ['notification', 32],
    ]);
    expect(examples[0]!.example.heading?.text).toBe('Пример 1. Передача звонка из однорангового вызова');
    expect(examples[1]).toMatchObject({ status: 202, reason: 'Accepted', headers: [], json: undefined });
    expect(examples[3]!.linesAbove.map((l) => l.text)[0]).toBe('Уведомление — сбой передачи');
  });

  test('reads a stray title line before the JSON, and a further body under its own title', () => {
    const page = [
      'Request',
      'POST https://graph.microsoft.com/beta/communications/calls',
      '{ "a": 1 }',
      '通知 - 名单',
      'POST https://bot.contoso.com/callback',
      'Content-Type: application/json',
      '默认) 禁用增量名单 (',
      '{',
      '"full": true',
      '}',
      '已启用增量名单',
      '{',
      '"delta": true',
      '}',
    ].join('\n');
    const [, full, delta] = scanDocument('zh.txt', page).examples;
    expect(full).toMatchObject({ kind: 'notification', line: 5, inlineTitle: { line: 7, text: '默认) 禁用增量名单 (' }, json: { line: 8 } });
    expect(delta).toMatchObject({ kind: 'notification', line: 12, framingFrom: 5, inlineTitle: { line: 11, text: '已启用增量名单' } });
    expect(delta!.headers).toEqual([['Content-Type', 'application/json']]);
  });
});

test.describe('titles', () => {
  test('maps Russian and Chinese headings to English, and keeps unknown ones', () => {
    expect(translateHeading('Уведомление — сбой передачи')).toMatchObject({ en: 'Notification - transfer failed', slug: 'transfer-failed' });
    expect(translateHeading('通知 - 已建立').en).toBe('Notification - established');
    expect(translateHeading('Пример 2. Консультативная передача из однорангового вызова').en).toBe(
      'Example 2: Consultative transfer from a peer-to-peer call',
    );
    expect(translateHeading('Совсем новый раздел')).toMatchObject({ en: 'Совсем новый раздел', known: false });
  });

  test('names an example whose heading the document lost by its place in the page', () => {
    expect(exampleTitle('calls', 3).en).toBe('Example 3: Create a group call with service hosted media');
    expect(exampleTitle('calls', 1, '示例').slug).toBe('peer-to-peer-service-hosted-media');
    expect(exampleTitle('unknownPage', 4)).toEqual({ en: 'Example 4', slug: 'example-4' });
  });
});

test.describe('importing documents', () => {
  const recordings = importDocuments([
    { name: 'b.txt', text: secondPage },
    { name: 'a.txt', text: transferPage },
  ]);

  test('makes valid JSON of trailing commas and says so', () => {
    const request = byId(recordings, 'transfer/request-peer-to-peer');
    expect(request.body).toEqual({ transferTarget: { endpointType: 'default', languageId: 'languageId-value' } });
    expect(request.notes).toContain('removed trailing commas to make the JSON valid, at a.txt:9:33, a.txt:10:2');
    expect(request.http).toEqual({
      method: 'POST',
      url: 'https://graph.microsoft.com/beta/communications/calls/{id}/transfer',
      headers: { 'Content-Type': 'application/json' },
    });
  });

  test('keeps placeholders verbatim and the Russian title beside its English one', () => {
    const failed = byId(recordings, 'transfer/notification-transfer-failed');
    expect(JSON.stringify(failed.body)).toContain('"subCode":7000,"message":"<message>"');
    expect(failed.notes).toContain('placeholders kept verbatim: "<message>"');
    expect(failed.sources).toEqual([
      {
        document: 'a.txt',
        line: 32,
        language: 'ru',
        example: 'Example 1: Call transfer from a peer-to-peer call',
        section: 'Notification - transfer failed',
        sectionOriginal: 'Уведомление — сбой передачи',
      },
    ]);
    expect(failed.title).toBe('Notification - transfer failed — Example 1: Call transfer from a peer-to-peer call');
  });

  test('one recording for the same payload in two documents; a different one gets its own id', () => {
    const transferring = recordings.filter((r) => r.kind === 'notification' && JSON.stringify(r.body).includes('"transferring"'));
    expect(transferring).toHaveLength(1);
    expect(transferring[0]!.id).toBe('transfer/notification-transferring');
    expect(transferring[0]!.sources.map((s) => [s.document, s.line, s.language])).toEqual([
      ['a.txt', 24, 'ru'],
      ['b.txt', 7, 'en'],
    ]);
    expect(byId(recordings, 'transfer/notification-transfer-failed-example-2-something-else').sources[0]!.document).toBe('b.txt');
  });

  test('a response without a body has no body', () => {
    const accepted = byId(recordings, 'transfer/response-peer-to-peer');
    expect(accepted.http).toEqual({ status: 202, reason: 'Accepted' });
    expect('body' in accepted).toBe(false);
    expect(serializeRecording(accepted)).not.toContain('"body"');
  });

  test('code snippets make no recordings', () => {
    expect(recordings.map((r) => r.kind).sort()).toEqual(['notification', 'notification', 'notification', 'request', 'request', 'response']);
  });

  test('ids do not depend on the order the documents are given in', () => {
    const again = importDocuments([
      { name: 'a.txt', text: transferPage },
      { name: 'b.txt', text: secondPage },
    ]);
    expect(again).toEqual(recordings);
  });

  test('unreadable JSON is a problem with file, line and column', () => {
    const page = ['Request', 'POST https://graph.microsoft.com/v1.0/communications/calls', '{', '"a": 1', '"b": 2', '}'].join('\n');
    const { recordings: none, problems } = collectRecordings([{ name: 'bad.txt', text: page }]);
    expect(none).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ file: 'bad.txt', line: 5, col: 1 })]);
    expect(() => importDocuments([{ name: 'bad.txt', text: page }])).toThrow(/bad\.txt:5:1/);
  });

  test('JSON that is never closed is a problem, not a recording without a body', () => {
    const page = ['Request', 'POST https://graph.microsoft.com/v1.0/communications/calls', '{', '"a": {', '"b": 2', '}'].join('\n');
    const { recordings: none, problems } = collectRecordings([{ name: 'open.txt', text: page }]);
    expect(none).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ file: 'open.txt', line: 3, message: expect.stringContaining('never closed') })]);
  });

  test('writing twice changes nothing the second time', () => {
    const dir = mkdtempSync(join(tmpdir(), 'confcall-import-'));
    try {
      const first = writeRecordings(dir, recordings);
      expect(first.every((o) => o.status === 'written')).toBe(true);
      const file = join(dir, 'transfer', 'notification-transferring.json');
      const before = { text: readFileSync(file, 'utf8'), mtime: statSync(file).mtimeMs };
      const second = writeRecordings(dir, recordings);
      expect(second.map((o) => o.status)).toEqual(recordings.map(() => 'unchanged'));
      expect({ text: readFileSync(file, 'utf8'), mtime: statSync(file).mtimeMs }).toEqual(before);
      expect(Object.keys(JSON.parse(before.text))).toEqual(['$schema', 'id', 'kind', 'title', 'http', 'body', 'sources']);
      expect(JSON.parse(before.text).$schema).toBe('../../harness/schema/recording.schema.json');
      expect(before.text.endsWith('}\n')).toBe(true);
      expect(before.text).toContain('\n  "kind": "notification",\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test.describe('shipped recordings', () => {
  const dir = join(root, 'recordings');
  const files = listJson(dir);
  const shipped = files.map((rel) => ({ rel, value: JSON.parse(readFileSync(join(dir, rel), 'utf8')) as Recording & { $schema: string } }));

  test('every file validates against recording.schema.json and its id is its path', () => {
    const schema = JSON.parse(readFileSync(join(root, 'harness', 'schema', 'recording.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true }).compile(schema);
    for (const { rel, value } of shipped) {
      expect(validate(value) ? [] : validate.errors, rel).toEqual([]);
      expect(value.id, rel).toBe(rel.replace(/\.json$/, ''));
      expect(serializeRecording(value), `${rel} is written in the canonical form`).toBe(readFileSync(join(dir, rel), 'utf8'));
    }
  });

  test('the documents give 53 distinct examples: 19 requests, 15 responses, 19 notifications', () => {
    const fromDocuments = shipped.map((s) => s.value).filter((r) => /^(transfer|create-call|hold-music)\//.test(r.id));
    const count = (topic: string, kind: string) => fromDocuments.filter((r) => r.id.startsWith(`${topic}/`) && r.kind === kind).length;
    expect({
      transfer: [count('transfer', 'request'), count('transfer', 'response'), count('transfer', 'notification')],
      createCall: [count('create-call', 'request'), count('create-call', 'response'), count('create-call', 'notification')],
      holdMusic: [count('hold-music', 'request'), count('hold-music', 'response'), count('hold-music', 'notification')],
    }).toEqual({ transfer: [5, 1, 7], createCall: [12, 12, 11], holdMusic: [2, 2, 1] });
    expect(fromDocuments).toHaveLength(53);
    // Every occurrence in the four documents is accounted for: 70 examples shown, 53 distinct.
    expect(fromDocuments.flatMap((r) => r.sources)).toHaveLength(70);
  });

  test('the hand-written graph-reference flows are there', () => {
    const ids = shipped.map((s) => s.value.id).filter((id) => id.startsWith('graph-reference/'));
    expect(ids).toEqual(
      expect.arrayContaining([
        'graph-reference/notification-incoming-call',
        'graph-reference/request-answer',
        'graph-reference/response-answer-accepted',
        'graph-reference/notification-establishing',
        'graph-reference/notification-established',
        'graph-reference/request-delete-call',
        'graph-reference/response-delete-call',
        'graph-reference/notification-terminating',
        'graph-reference/notification-terminated',
      ]),
    );
    const terminated = shipped.find((s) => s.value.id === 'graph-reference/notification-terminated')!.value;
    expect(JSON.stringify(terminated.body)).toContain('"code":"200","subcode":"5001"');
  });
});

function listJson(dir: string): string[] {
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.json') ? [join(d, e.name)] : []));
  return walk(dir)
    .map((f) => relative(dir, f).split(sep).join('/'))
    .sort();
}
