/**
 * Where notifications go and what a run leaves when its bot is lost: a bot's foreign callbackUri is a
 * test-hook deviation (notifications go to the profile's loopback callbackUri, the run judges the rest), and a
 * bot that dies mid-run (exit 3) still leaves summary.json and requirements-junit.xml with the tests before it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { confcall, portsFor, readResults, tempDir } from './support/cli.js';
import { readSummary } from './support/summary-file.js';

const FIXTURES = 'tests/fixtures/bad-inputs';

test.describe.configure({ mode: 'parallel' });

/** Every `test-hook deviation` annotation of a Playwright JSON report, first lines. */
function warningsOf(outDir: string): string[] {
  const report = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8'));
  const found: string[] = [];
  const walk = (suite: any): void => {
    for (const spec of suite.specs ?? []) for (const t of spec.tests) for (const a of t.annotations) if (a.type === 'test-hook deviation') found.push(a.description);
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of report.suites) walk(suite);
  return found;
}

test('a bot that answers with a production callbackUri gets a CALLBACK-URI test-hook deviation naming it, and the run still judges it (delivering on loopback)', async ({}, testInfo) => {
  const out = tempDir('confcall-foreign-callback-');
  const run = await confcall(['run', '--target', `${FIXTURES}/targets/foreign-callback-uri.yaml`, '--suite', 'suites/incoming-call.yaml', '--grep', 'answer @', '--out', out, '--reporter', 'list,json'], { env: portsFor(testInfo.parallelIndex) });
  const said = run.stdout + run.stderr;
  expect(run.code, said).toBe(0); // conformant but for the setup: judged, not "could not be reached"
  expect(said).not.toContain('could not be reached');
  expect(existsSync(join(out, 'unreachable.json'))).toBe(false);
  expect([...readResults(out).values()].map((o) => o.status)).toContain('passed');
  const warnings = warningsOf(out).filter((w) => w.includes('CALLBACK-URI'));
  expect(warnings.length, warningsOf(out).join('\n')).toBeGreaterThan(0);
  expect(warnings[0]).toContain('https://bot.example.invalid/api/calls');
  expect(warnings[0]).toMatch(/went to the profile's callbackUri http:\/\/127\.0\.0\.1:\d+\/api\/calls instead/);
  expect(readSummary(join(out, 'summary.json')).result).toBe('pass');
});

test('a bot that dies mid-run: exit 3, and summary.json and requirements-junit.xml keep the tests that ran before', async ({}, testInfo) => {
  const out = tempDir('confcall-dies-');
  const run = await confcall(['run', '--target', `${FIXTURES}/targets/dies-after-first-notification.yaml`, '--suite', `${FIXTURES}/suites/one-per-scenario.yaml`, '--grep', 'acknowledged$', '--out', out, '--reporter', 'list,json'], { env: portsFor(testInfo.parallelIndex) });
  expect(run.code, run.stdout + run.stderr).toBe(3);
  expect(run.stderr).toMatch(/the bot could not be reached: http:\/\/127\.0\.0\.1:\d+\/api\/calls: ECONNREFUSED/);
  const summary = readSummary(join(out, 'summary.json'));
  const status = Object.fromEntries(summary.tests.map((t) => [t.id, t.status]));
  expect(status['one-per-scenario/first-acknowledged']).toBe('passed');
  expect(status['one-per-scenario/second-acknowledged']).toBe('failed');
  expect(status['one-per-scenario/third-acknowledged']).toBe('skipped'); // the bot is gone: later tests skip, as before
  expect(summary.result).toBe('fail');
  expect(readFileSync(join(out, 'requirements-junit.xml'), 'utf8')).toContain('one-per-scenario/first-acknowledged');
});
