import { test, expect } from '@playwright/test';
import { sequenceDiagramHtml, sequenceDiagramSvg } from '../harness/report/sequence-diagram.js';
import type { Finding, GraphExchange, NotificationDelivery, ProbeRead, TranscriptEvent } from '../harness/model/transcript.js';

const callId = '2e1a0b00-b3c5-4b0f-99b3-c133bc1e6116';

/** A short run: the bot got a notification, sent a transfer with a schema problem, and its probe says established. */
function sampleRun(hostile = 'transfer'): TranscriptEvent[] {
  const notification: NotificationDelivery = {
    type: 'notification', seq: 1, at: 3.2, stepIndex: 0, recording: 'create-call/notification-established',
    url: 'http://127.0.0.1:9441/callback', body: { value: [{ resourceData: { state: 'established' } }] }, status: 202, latencyMs: 4.1,
  };
  const request: GraphExchange = {
    type: 'graph', seq: 2, at: 17.9, method: 'POST', rawPath: `/v1.0/communications/calls/${callId}/${hostile}`, path: `/communications/calls/${callId}/${hostile}`,
    version: 'v1.0', requestKind: 'transfer', body: { transferTarget: { note: '<script>alert("body")</script>' } },
    schemaProblems: [{ path: '/transferTarget', message: 'must have required property endpointType' }], response: { status: 202, headers: {} },
  };
  const probe: ProbeRead = { type: 'probe', seq: 3, at: 40, stepIndex: 2, url: `http://127.0.0.1:9442/calls/${callId}`, status: 200, view: { state: 'established' } };
  // Out of order on purpose: the diagram orders by seq.
  return [request, probe, notification];
}

const eventGroups = (html: string): string[] => [...html.matchAll(/<g [^>]*data-testid="event"[^>]*>/g)].map((m) => m[0]);

test('one event group per transcript event, in seq order, each labelled', () => {
  const html = sequenceDiagramHtml({ title: 'create-call/transfer', transcript: sampleRun() });
  const groups = eventGroups(html);
  expect(groups).toHaveLength(3);
  expect(groups.map((g) => /data-seq="(\d+)"/.exec(g)![1])).toEqual(['1', '2', '3']);
  expect(html).toContain('notify create-call/notification-established');
  expect(html).toContain('→ 202 in 4.1 ms');
  // Ids are cut to their first 8 characters; Graph's own segment names stay whole.
  expect(html).toContain('POST /v1.0/communications/calls/2e1a0b00…/transfer');
  expect(html).toContain('probe → established');
  expect(html).toContain('data-testid="sequence-diagram"');
});

test('a request with schema problems is marked failing; the good notification and probe are not', () => {
  const html = sequenceDiagramHtml({ title: 't', transcript: sampleRun() });
  const failing = eventGroups(html).filter((g) => g.includes('data-failing="true"'));
  expect(failing).toHaveLength(1);
  expect(failing[0]).toContain('data-seq="2"');
  expect(html).toContain('schema: /transferTarget must have required property endpointType');
});

test('a failed step marks the event it made, and findings and schedule are listed', () => {
  const finding: Finding = { rule: 'STEP', stepIndex: 2, where: 'suites/transfer.yaml:30:7', actual: 'reports state "established"', expected: 'its view to show {"state":"terminated"}', severity: 'failure' };
  const html = sequenceDiagramHtml({ title: 't', transcript: sampleRun(), schedule: ['established', 'establishing(dup)'], findings: [finding] });
  const failing = eventGroups(html).filter((g) => g.includes('data-failing="true"'));
  expect(failing.map((g) => /data-seq="(\d+)"/.exec(g)![1])).toEqual(['2', '3']);
  expect(html).toMatch(/data-testid="schedule"[^>]*>.*established.*→.*establishing\(dup\)/);
  expect(html).toContain('data-testid="findings"');
  expect(html).toContain('reports state &quot;established&quot;');
});

test('of a duplicate delivery, only the failing one is marked, though both came from the same step', () => {
  const first = sampleRun().find((e) => e.type === 'notification')!;
  const duplicate = { ...first, seq: 4, at: 50, status: 500 };
  const finding: Finding = { rule: 'NOTIFY-ANSWER-2XX', stepIndex: 0, actual: 'answered with HTTP 500', expected: 'a 2xx answer', severity: 'failure' };
  const html = sequenceDiagramHtml({ title: 't', transcript: [first, duplicate], findings: [finding] });
  expect(eventGroups(html).map((g) => g.includes('data-failing="true"'))).toEqual([false, true]);
  expect(html).toContain('→ 500 in 4.1 ms · step 1 failed');
});

test('text from the bot is escaped: an injected <script> in a path or body never becomes markup', () => {
  const html = sequenceDiagramHtml({ title: '<script>alert("title")</script>', transcript: sampleRun('<script>alert(1)</script>') });
  expect(html).not.toMatch(/<script/i);
  expect(html).toContain('&lt;script&gt;');
  expect(html).toContain('&lt;script&gt;alert(\\&quot;body\\&quot;)&lt;/script&gt;');
  // Control characters never reach the page.
  const controls = sequenceDiagramSvg({ transcript: [{ ...sampleRun()[0]!, method: 'PO\u0000ST\u001b' } as GraphExchange] });
  expect(controls).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
});

test('the same input gives the same bytes, whatever the key order of payloads', () => {
  const a = sequenceDiagramHtml({ title: 'same', transcript: sampleRun(), schedule: ['a', 'b'] });
  const b = sequenceDiagramHtml({ title: 'same', transcript: sampleRun(), schedule: ['a', 'b'] });
  expect(b).toBe(a);
  const reordered = sampleRun().map((e) => (e.type === 'probe' ? { ...e, view: { participants: [], state: 'established' } } : e));
  const withKeys = sampleRun().map((e) => (e.type === 'probe' ? { ...e, view: { state: 'established', participants: [] } } : e));
  expect(sequenceDiagramHtml({ title: 'k', transcript: reordered })).toBe(sequenceDiagramHtml({ title: 'k', transcript: withKeys }));
});

test('the page is self-contained: no scripts, no external resources', () => {
  const html = sequenceDiagramHtml({ title: 't', transcript: sampleRun() });
  expect(html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|url\(/i);
  expect(html).toMatch(/^<!DOCTYPE html>/);
});

test('an empty transcript still gives a diagram, saying nothing happened', () => {
  const html = sequenceDiagramHtml({ title: 'empty', transcript: [] });
  expect(eventGroups(html)).toHaveLength(0);
  expect(html).toContain('no events');
});
