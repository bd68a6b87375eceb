/**
 * Issue 12 class 7, end to end: a bot that never answers an `updated` notification (each request
 * hangs) earned NOTIFY-ANSWER-IN-TIME `pass`, because the rule left out deliveries that got no
 * answer at all. No answer within the deadline is a finding of the deadline rule, and the
 * requirement's verdict says so: `warning` (the rule is inferred; bad-inputs.spec.ts shows
 * `--strict` failing on it), never `pass`. NOTIFY-ACKNOWLEDGED warns besides (no 2xx answer at all), and
 * neither is a MUST: the run passes, with both warnings.
 */
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { confcall, portsFor, tempDir } from './support/cli.js';
import { readSummary } from './support/summary-file.js';

test('a bot that never answers an updated notification gets NOTIFY-ANSWER-IN-TIME, not a pass', async ({}, testInfo) => {
  test.setTimeout(150_000); // the bound on "no hang": the answer is waited for 10 s, the rest is start-up under load
  const out = tempDir('confcall-deadline-');
  const args = ['run', '--target', 'tests/fixtures/bad-inputs/targets/never-answers.yaml', '--suite', 'tests/fixtures/bad-inputs/suites/one-notification.yaml', '--out', out, '--reporter', 'json'];
  const { code, stdout, stderr } = await confcall(args, { env: portsFor(testInfo.parallelIndex), timeoutMs: 120_000 });
  // Both rules are inferred: warnings, and the run passes (bad-inputs.spec.ts runs the same bot with --strict).
  expect(code, stdout + stderr).toBe(0);
  const summary = readSummary(join(out, 'summary.json'));
  const [only] = summary.tests;
  const deadline = only!.findings.filter((f) => f.rule === 'NOTIFY-ANSWER-IN-TIME');
  expect(deadline.map((f) => [f.requirements, f.severity])).toEqual([[['NOTIFY-ANSWER-IN-TIME'], 'warning']]);
  expect(deadline[0]!.actual).toMatch(/gave no answer to notification graph-reference\/notification-established within 5000 ms/);
  expect(summary.requirements.find((r) => r.id === 'NOTIFY-ANSWER-IN-TIME')!.verdict).toBe('warning');
  expect(only!.findings.filter((f) => f.rule === 'NOTIFY-ACKNOWLEDGED').map((f) => f.severity)).toEqual(['warning']);
  expect(summary.requirements.find((r) => r.id === 'NOTIFY-ACKNOWLEDGED')!.verdict).toBe('warning');
});
