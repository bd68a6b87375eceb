/**
 * A bot may answer a notification with a redirect to another deployment (call-notifications.md,
 * "region affinity": 302 and a Location; Microsoft's PolicyRecordingBot sample answers 307), and
 * Graph posts the notification there. confcall follows such redirects, as Graph does: a bot that
 * redirects is judged by what the deployment holding the call does, not failed for never acting.
 */
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { confcall, portsFor, tempDir } from './support/cli.js';
import { readSummary } from './support/summary-file.js';

test('a bot that redirects every notification to the deployment holding the call passes, and the redirect is no warning', async ({}, testInfo) => {
  test.setTimeout(180_000);
  const out = tempDir('confcall-redirect-');
  const env = { ...portsFor(testInfo.parallelIndex), CONFCALL_REFERENCE_PORT: portsFor(testInfo.parallelIndex, 1).CONFCALL_BOT_PORT };
  const args = ['run', '--target', 'tests/fixtures/bad-inputs/targets/redirects-notifications.yaml', '--suite', 'suites/incoming-call.yaml', '--suite', 'suites/transfer.yaml', '--out', out, '--reporter', 'json'];
  const { code, stdout, stderr } = await confcall(args, { env, timeoutMs: 150_000 });
  expect(code, stdout + stderr).toBe(0);
  const summary = readSummary(join(out, 'summary.json'));
  expect(summary.tests.filter((t) => t.status !== 'passed').map((t) => t.id)).toEqual([]);
  expect(summary.tests.length).toBeGreaterThan(10);
  expect(summary.tests.flatMap((t) => t.findings).filter((f) => f.rule === 'NOTIFY-ACKNOWLEDGED')).toEqual([]);
  expect(summary.requirements.find((r) => r.id === 'NOTIFY-ACKNOWLEDGED')!.verdict).toBe('pass');
});
