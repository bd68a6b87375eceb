import { existsSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { test, expect, chromium, type Browser } from '@playwright/test';
import { sequenceDiagramHtml } from '../harness/report/sequence-diagram.js';
import type { Finding, TranscriptEvent } from '../harness/model/transcript.js';

/** Debian's chromium: Playwright's own browser download is not available where this runs. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const callId = '2e1a0b00-b3c5-4b0f-99b3-c133bc1e6116';
const participantId = '7c4a8d09-ca37-4f1b-9a3e-1f2d3c4b5a69';

/** A roster scenario that fails: the bot answers a duplicate with 500, sends a bad invite, and its probe lags. */
function failingRun(): { transcript: TranscriptEvent[]; schedule: string[]; findings: Finding[] } {
  const events: TranscriptEvent[] = [];
  let seq = 0;
  let at = 0;
  const next = (ms: number): { seq: number; at: number } => ({ seq: ++seq, at: Math.round((at += ms) * 10) / 10 });
  const notify = (stepIndex: number, recording: string, status = 202): void =>
    void events.push({ type: 'notification', ...next(6.3), stepIndex, recording, url: 'http://127.0.0.1:9441/callback', body: { value: [{ changeType: 'updated', resourceUrl: `/communications/calls/${callId}` }] }, status, latencyMs: 2.4 + (seq % 5) });
  const graph = (method: string, rest: string, status = 200, extra: Partial<Extract<TranscriptEvent, { type: 'graph' }>> = {}): void =>
    void events.push({ type: 'graph', ...next(11.7), method, rawPath: `/v1.0/communications/calls/${callId}${rest}`, path: `/communications/calls/${callId}${rest}`, version: 'v1.0', schemaProblems: [], response: { status, headers: {} }, ...extra });

  events.push({ type: 'control', ...next(1), stepIndex: 0, method: 'POST', url: 'http://127.0.0.1:9442/calls', body: { kind: 'groupCall' }, status: 201, responseBody: { callId } });
  events.push({ type: 'graph', ...next(8.4), method: 'POST', rawPath: '/v1.0/communications/calls', path: '/communications/calls', version: 'v1.0', requestKind: 'createCall', schemaProblems: [], response: { status: 201, headers: {} } });
  notify(1, 'create-call/notification-establishing');
  notify(2, 'create-call/notification-established');
  notify(1, 'create-call/notification-establishing', 500);
  notify(3, 'create-call/notification-roster');
  notify(4, 'create-call/notification-delta-roster');
  for (let i = 0; i < 12; i++) {
    graph('GET', `/participants/${participantId.slice(0, 8)}-${String(i).padStart(4, '0')}-4f1b-9a3e-1f2d3c4b5a69`, 200);
    if (i % 4 === 3) notify(5, 'create-call/notification-delta-roster');
  }
  graph('POST', '/participants/invite', 400, {
    requestKind: 'inviteParticipants',
    schemaProblems: [{ path: '/participants/0/identity', message: 'must have required property user' }, { path: '/clientContext', message: 'must be string' }],
    response: { status: 400, headers: {}, body: { error: { code: 'BadRequest' } } },
  });
  graph('POST', `/participants/${participantId}/startHoldMusic`, 200, { requestKind: 'startHoldMusic' });
  graph('POST', '/mute', 401, { authProblem: 'the token audience is not https://graph.microsoft.com' });
  for (let i = 0; i < 10; i++) events.push({ type: 'probe', ...next(20), stepIndex: 6, url: `http://127.0.0.1:9442/calls/${callId}`, status: 200, view: { state: i < 9 ? 'establishing' : 'established' } });
  events.push({ type: 'probe', ...next(20), stepIndex: 7, url: `http://127.0.0.1:9442/calls/${callId}`, status: 200, view: { state: 'establishing' } });
  graph('DELETE', '', 204);
  events.push({ type: 'control', ...next(3), stepIndex: 8, method: 'POST', url: `http://127.0.0.1:9442/calls/${callId}/hangup`, status: 0, error: 'ECONNRESET: other side closed' });

  const findings: Finding[] = [
    { rule: 'NOTIFY-ACKNOWLEDGED', stepIndex: 1, where: 'suites/roster.yaml:14:7', actual: 'answered the duplicate establishing notification with HTTP 500', expected: 'a 2xx answer (Graph retries or drops the call otherwise)', because: 'Notifications can be delivered more than once.', severity: 'failure' },
    { rule: 'STEP', stepIndex: 7, where: 'suites/roster.yaml:31:7', actual: 'reports state "establishing"', expected: 'its view to show {"state":"established"}', severity: 'failure' },
    { rule: 'ROSTER-ORDER', actual: 'kept roster#2 after roster#1 arrived', expected: 'the newest roster by sequenceNumber', severity: 'warning' },
  ];
  return { transcript: events, schedule: ['establishing', 'established', 'establishing(dup)', 'roster#2', 'roster#1'], findings };
}

let browser: Browser | undefined;

test.beforeAll(async () => {
  // Failing, not skipping: a missing browser would otherwise hide that the report was never looked at.
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get update && apt-get install -y chromium) to run the report-in-browser tests`);
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

test.afterAll(async () => {
  await browser?.close();
});

test('a failing run reads as a sequence diagram in a real browser', async ({}, testInfo) => {
  const run = failingRun();
  const file = testInfo.outputPath('diagram.html');
  writeFileSync(file, sequenceDiagramHtml({ title: 'create-call/roster-duplicates: roster updates out of order', ...run }));

  const page = await browser!.newPage({ viewport: { width: 1000, height: 800 } });
  const requested: string[] = [];
  page.on('request', (r) => requested.push(r.url()));
  await page.goto(pathToFileURL(file).href);

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('create-call/roster-duplicates: roster updates out of order');
  await expect(page.getByTestId('sequence-diagram')).toBeVisible();
  await expect(page.getByTestId('schedule')).toHaveText('Schedule establishing → established → establishing(dup) → roster#2 → roster#1');
  await expect(page.getByTestId('findings')).toContainText('NOTIFY-ACKNOWLEDGED');
  await expect(page.getByTestId('findings')).toContainText('answered the duplicate establishing notification with HTTP 500');
  await expect(page.getByTestId('findings')).toContainText('a 2xx answer (Graph retries or drops the call otherwise)');
  await expect(page.getByTestId('event')).toHaveCount(run.transcript.length);
  await expect(page.locator('[data-testid="event"][data-failing="true"]')).toHaveCount(5);
  await expect(page.locator('[data-testid="event"][data-seq="5"]')).toContainText('→ 500');

  // Fixed width, growing height: every arrow inside the page's 900 px diagram, none overlapping the next.
  const box = (await page.getByTestId('sequence-diagram').boundingBox())!;
  expect(box.width).toBe(900);
  const rows = await page.getByTestId('event').evaluateAll((gs) => gs.map((g) => {
    const { x, y, width, height } = (g as unknown as { getBBox(): { x: number; y: number; width: number; height: number } }).getBBox();
    return { x, y, width, height };
  }));
  for (const [i, r] of rows.entries()) {
    expect(r.x, `event ${i + 1} starts inside the diagram`).toBeGreaterThanOrEqual(0);
    expect(r.x + r.width, `event ${i + 1} ends inside the diagram`).toBeLessThanOrEqual(900);
    if (i > 0) expect(r.y, `event ${i + 1} is below event ${i}`).toBeGreaterThanOrEqual(rows[i - 1]!.y + rows[i - 1]!.height - 0.5);
  }
  expect(requested, 'the page loads nothing but itself').toEqual([pathToFileURL(file).href]);

  const screenshot = testInfo.outputPath('diagram.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  await testInfo.attach('diagram', { path: screenshot, contentType: 'image/png' });
  await testInfo.attach('diagram.html', { path: file, contentType: 'text/html' });
  await page.close();
});
