/**
 * Ctrl-C during `confcall run`: the run stops promptly (2 s is the target), exits 130, stops the bot, and leaves
 * complete reports (valid JSON and XML) that say the run was interrupted.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { XMLParser } from 'fast-xml-parser';
import { markReportsInterrupted } from '../harness/report/interrupted.js';
import { confcall, portsFor, tempDir } from './support/cli.js';

test.describe.configure({ mode: 'parallel' });

/** Whether nothing listens on the port any more (the bot is gone). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// `process`: a CI runner or `kill -INT` signals confcall alone; `group`: a terminal's Ctrl-C signals every process of the run.
for (const to of ['process', 'group'] as const) {
  test(`SIGINT to the ${to} mid-run stops it promptly (2 s target) with complete reports that say it was interrupted`, async ({}, testInfo) => {
    const out = tempDir('confcall-interrupted-');
    const env = portsFor(testInfo.parallelIndex);
    let signalledAt = 0;
    const { code, stdout, stderr } = await confcall(['run', '--target', 'targets/reference-bot.yaml', '--out', out], {
      env,
      timeoutMs: 120_000,
      onOutput: (text, pid) => {
        // Interrupt once a few scenarios have passed, so the reports have something in them.
        if (signalledAt || (text.match(/✓/g) ?? []).length < 3) return;
        signalledAt = performance.now();
        process.kill(to === 'group' ? -pid : pid, 'SIGINT');
      },
    });
    const stoppedWithinMs = performance.now() - signalledAt;
    const said = `${stdout}\n${stderr}`;
    expect(signalledAt, said).toBeGreaterThan(0);
    expect(code, said).toBe(130);
    // The bound is 2 s, and confcall kills Playwright 1.2 s after the signal. The margin is for a
    // 2-core machine running other tests at the same time: this bounds a hang, it measures no speed.
    expect(stoppedWithinMs, stderr).toBeLessThan(3000);
    expect(stderr).toContain('confcall: the run was interrupted by SIGINT');
    expect(said).not.toMatch(/^\s*at .*\.(m?js|ts):\d+(:\d+)?\)?\s*$|node:internal/m);

    const report = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(report.interrupted.signal).toBe('SIGINT');
    expect(report.stats.expected).toBeGreaterThanOrEqual(3);
    expect(report.stats.skipped).toBeGreaterThan(0); // the tests that never ran
    const junit = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(join(out, 'junit.xml'), 'utf8'), true);
    const suites = [junit.testsuites.testsuite].flat();
    const properties = [suites[0].properties.property].flat();
    expect(properties.find((p: Record<string, string>) => p['@_name'] === 'interrupted')?.['@_value']).toMatch(/interrupted by SIGINT/);
    expect(existsSync(join(out, 'html', 'index.html'))).toBe(true);

    // The bot is stopped: its port is free and no pid is left behind.
    expect(await portIsFree(Number(env.CONFCALL_BOT_PORT))).toBe(true);
    expect(existsSync(join(out, 'bot-process.json'))).toBe(false);
  });
}

test('reports cut off mid-write (Playwright killed after the grace time) are replaced by minimal ones that say so', async () => {
  const out = tempDir('confcall-cut-');
  writeFileSync(join(out, 'results.json'), '{"suites": [{"title": "harness/run/conf');
  writeFileSync(join(out, 'junit.xml'), '<testsuites id="" name="" tests="3">\n<testsuite name="x" tests="3">\n<testcase name="a"');
  markReportsInterrupted(out, { signal: 'SIGINT', at: new Date(0).toISOString(), message: 'the run was interrupted by SIGINT (Playwright did not stop in time and was killed)' }, ['junit', 'json']);
  const report = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  expect(report.interrupted.message).toContain('was killed');
  expect(report.stats).toEqual({ expected: 0, unexpected: 0, skipped: 0, flaky: 0 });
  const junit = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(join(out, 'junit.xml'), 'utf8'), true);
  expect(junit.testsuites.testsuite.properties.property['@_value']).toContain('was killed');
});
