/**
 * Ctrl-C during `confcall run`: the run stops promptly (2 s is the target on an idle machine; it waits for Playwright's
 * reports however loaded the machine, up to a cap, and a second signal stops it at once), exits 130 (143 for SIGTERM), stops the
 * bot, and leaves complete reports (valid JSON and XML) and a summary.json that say the run was interrupted.
 * Ctrl-C while the bot is still starting stops it at once, and what it started.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { XMLParser } from 'fast-xml-parser';
import { reportInterruption } from '../harness/cli/interrupted-run.js';
import { DEFAULT_STOP_CAP_MS } from '../harness/cli/playwright-child.js';
import { suiteIdPrefix } from '../harness/report/certification.js';
import { markReportsInterrupted } from '../harness/report/interrupted.js';
import { confcall, portsFor, ROOT, tempDir } from './support/cli.js';
import { readSummary } from './support/summary-file.js';

test.describe.configure({ mode: 'parallel' });

/** Whether nothing listens on the port any more (the bot is gone). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Each test of a Playwright JSON report, by the id summary.json gives it: the status of its last result (`none`: no result) and the status it expected. */
function lastResults(report: { suites?: unknown[] }): Map<string, { result: string; expected: string }> {
  const found = new Map<string, { result: string; expected: string }>();
  const visit = (suite: any, prefix: string): void => {
    const name = suiteIdPrefix(suite.title, prefix);
    for (const spec of suite.specs ?? []) found.set(`${name}${spec.title}`, { result: spec.tests?.[0]?.results?.at(-1)?.status ?? 'none', expected: spec.tests?.[0]?.expectedStatus });
    for (const child of suite.suites ?? []) visit(child, name);
  };
  for (const suite of report.suites ?? []) visit(suite, '');
  return found;
}

/** A count from the summary Playwright's list reporter prints at the end (`  97 did not run`), 0 when it prints none. */
function listed(stdout: string, what: string): number {
  return Number(new RegExp(`^\\s+(\\d+) ${what}\\b`, 'm').exec(stdout)?.[1] ?? 0);
}

// `process`: a CI runner or `kill -INT` signals confcall alone; `group`: a terminal's Ctrl-C signals every process of the run;
// SIGTERM: what a CI job's timeout or `docker stop` sends, and to the group what systemd or `kill -TERM -PGID` sends
// (Playwright, which winds down on SIGINT only, once died of it at once and wrote no report).
for (const [to, signal, exitCode] of [['process', 'SIGINT', 130], ['group', 'SIGINT', 130], ['process', 'SIGTERM', 143], ['group', 'SIGTERM', 143]] as const) {
  test(`${signal} to the ${to} mid-run stops it promptly (2 s target) with complete reports and a summary that say it was interrupted`, async ({}, testInfo) => {
    const out = tempDir('confcall-interrupted-');
    const env = portsFor(testInfo.parallelIndex);
    let signalledAt = 0;
    let signalledClock = 0;
    const { code, stdout, stderr } = await confcall(['run', '--target', 'targets/reference-bot.yaml', '--out', out], {
      env,
      timeoutMs: 120_000,
      onOutput: (text, pid) => {
        // Interrupt once a few scenarios have passed, so the reports have something in them.
        if (signalledAt || (text.match(/✓/g) ?? []).length < 3) return;
        signalledAt = performance.now();
        signalledClock = Date.now();
        process.kill(to === 'group' ? -pid : pid, signal);
      },
    });
    const stoppedWithinMs = performance.now() - signalledAt;
    const said = `${stdout}\n${stderr}`;
    expect(signalledAt, said).toBeGreaterThan(0);
    expect(code, said).toBe(exitCode);
    // Bounds a hang, measures no speed: confcall waits for Playwright to write its reports (0.1 to 1 s on an idle
    // 2-core machine, seconds at a load average over 10) up to the stop cap, then stops the bot (SIGKILL after 3 s).
    expect(stoppedWithinMs, stderr).toBeLessThan(DEFAULT_STOP_CAP_MS + 5000);
    expect(stderr).toContain(`confcall: the run was interrupted by ${signal}`);
    expect(stderr, 'Playwright wrote its reports itself: it was not killed').not.toMatch(/Playwright did not stop in time|stopped Playwright at once/);
    expect(said).not.toMatch(/^\s*at .*\.(m?js|ts):\d+(:\d+)?\)?\s*$|node:internal/m);

    const report = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(report.interrupted.signal).toBe(signal);
    expect(report.stats.expected).toBeGreaterThanOrEqual(3);
    expect(report.stats.skipped).toBeGreaterThan(0); // the tests that never ran
    const junit = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(join(out, 'junit.xml'), 'utf8'), true);
    const suites = [junit.testsuites.testsuite].flat();
    const properties = [suites[0].properties.property].flat();
    expect(properties.find((p: Record<string, string>) => p['@_name'] === 'interrupted')?.['@_value']).toMatch(new RegExp(`interrupted by ${signal}`));
    expect(existsSync(join(out, 'html', 'index.html'))).toBe(true);

    // The CI-gate summary is there too, says the run was interrupted (signal, when), and counts as passed only what finished passing.
    const summary = readSummary(join(out, 'summary.json'));
    expect(summary.result).toBe('interrupted');
    // The reference bot fails nothing: a test the signal cut off, even one that then found the bot gone, did not finish.
    expect(summary.tests.filter((t) => t.status === 'failed'), stdout).toEqual([]);
    expect(summary.interrupted?.signal).toBe(signal);
    expect(Date.parse(summary.interrupted?.at ?? '')).toBeGreaterThanOrEqual(signalledClock);
    expect(Date.parse(summary.interrupted?.at ?? '')).toBeLessThanOrEqual(Date.now());
    // Playwright's own list reporter says how many tests it cut off ("interrupted") and never ran ("did not run"): those are the unfinished.
    const unfinished = listed(stdout, 'interrupted') + listed(stdout, 'did not run');
    expect(unfinished, stdout).toBeGreaterThan(0);
    // A test that found the bot gone after the signal is failed to Playwright and unfinished to confcall.
    // Playwright lists a not-applicable test as skipped; summary.json counts it on its own.
    expect({ ...summary.totals, skipped: summary.totals.skipped + summary.totals.notApplicable, notApplicable: 0 }).toEqual({ passed: listed(stdout, 'passed'), failed: 0, skipped: listed(stdout, 'skipped'), notApplicable: 0, unfinished: unfinished + listed(stdout, 'failed') });
    const last = lastResults(report);
    expect(summary.tests.map((t: { id: string }) => t.id).sort()).toEqual([...last.keys()].sort()); // every test of the run, finished or not
    for (const t of summary.tests as Array<{ id: string; status: string }>) {
      if (t.status === 'passed') expect(last.get(t.id), t.id).toEqual({ result: 'passed', expected: 'passed' });
      if (t.status === 'skipped') expect(last.get(t.id), t.id).toEqual({ result: 'skipped', expected: 'skipped' }); // a skip the test asked for
    }
    expect(summary.requirements.filter((r: { verdict: string }) => r.verdict === 'pass').map((r: { id: string }) => r.id)).not.toContain('NOTIFY-ANSWER-IN-TIME'); // a rule of every test
    const requirementsJunit = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(join(out, 'requirements-junit.xml'), 'utf8'), true);
    const first = [requirementsJunit.testsuites.testsuite].flat()[0];
    expect([first.properties.property].flat()[0]['@_value']).toMatch(new RegExp(`interrupted by ${signal}`));

    // The bot is stopped: its port is free and no pid is left behind.
    expect(await portIsFree(Number(env.CONFCALL_BOT_PORT))).toBe(true);
    expect(existsSync(join(out, 'bot-process.json'))).toBe(false);
  });
}

/** The Playwright runner confcall started (its child with the SIGTERM-as-SIGINT preload), 0 while there is none. */
function playwrightRunnerOf(confcallPid: number): number {
  let children: string;
  try {
    children = readFileSync(`/proc/${confcallPid}/task/${confcallPid}/children`, 'utf8');
  } catch {
    return 0;
  }
  for (const pid of children.split(/\s+/).filter(Boolean).map(Number)) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('sigterm-as-sigint')) return pid;
    } catch {
      // gone meanwhile
    }
  }
  return 0;
}

// A runner that cannot write its reports (here: stopped with SIGSTOP, as a runner starved on a loaded machine would
// be slow): confcall waits for it and says so, and a second signal, or the cap, ends the wait at once. Linux only (/proc).
for (const [how, env] of [['a second SIGINT', {}], ['the stop cap', { CONFCALL_STOP_GRACE_MS: '4000' }]] as const) {
  test(`a runner that does not stop after SIGINT is waited for, then killed by ${how}; the reports are still complete`, async ({}, testInfo) => {
    const out = tempDir('confcall-forced-');
    let confcallPid = 0;
    let passed = 0;
    const running = confcall(['run', '--target', 'targets/reference-bot.yaml', '--out', out], {
      env: { ...portsFor(testInfo.parallelIndex), ...env },
      timeoutMs: 120_000,
      onOutput: (text, pid) => {
        confcallPid = pid;
        passed = (text.match(/✓/g) ?? []).length; // text: all the output so far
      },
    });
    await expect.poll(() => passed >= 3, { timeout: 90_000 }).toBe(true);
    const runner = playwrightRunnerOf(confcallPid);
    expect(runner, 'the Playwright runner is found').toBeGreaterThan(0);
    process.kill(runner, 'SIGSTOP');
    process.kill(confcallPid, 'SIGINT');
    // confcall waits for the reports, and after 2 s says how to stop at once.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(gone(confcallPid), 'confcall still waits for the runner').toBe(false);
    if (how === 'a second SIGINT') process.kill(confcallPid, 'SIGINT');
    const { code, stdout, stderr } = await running;
    expect(code, stdout + stderr).toBe(130);
    expect(stderr).toContain('confcall: waiting for Playwright to write its reports');
    expect(stderr).toContain(how === 'a second SIGINT' ? 'a second signal stopped Playwright at once' : 'Playwright did not stop in time and was killed');
    // What the runner did not write, confcall completes: the reports parse and say the run was interrupted.
    expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).interrupted.signal).toBe('SIGINT');
    expect(readSummary(join(out, 'summary.json')).result).toBe('interrupted');
    expect(await portIsFree(Number(portsFor(testInfo.parallelIndex).CONFCALL_BOT_PORT))).toBe(true);
  });
}

/** Whether a process is gone (a zombie its parent has yet to reap counts as gone). */
function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return /^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

// A bot that takes long to start (a JVM behind `npm start`): Ctrl-C must not wait out start.timeoutSeconds (120 s here).
// To confcall alone: its own bot stop, not the terminal's signal to the group, must end the bot and what it started.
for (const [signal, exitCode] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  test(`${signal} while the bot is still starting stops the bot and its helper at once and exits ${exitCode}, nothing run`, async ({}, testInfo) => {
    const out = tempDir('confcall-interrupted-start-');
    const pidsFile = join(tempDir('starts-slowly-'), 'pids.json');
    let confcallPid = 0;
    const running = confcall(['run', '--target', 'tests/fixtures/bad-inputs/targets/starts-slowly.yaml', '--suite', 'tests/fixtures/bad-inputs/suites/one-notification.yaml', '--out', out], {
      env: { ...portsFor(testInfo.parallelIndex), STARTS_SLOWLY_PIDS: pidsFile },
      timeoutMs: 90_000,
      onOutput: (_text, pid) => (confcallPid = pid),
    });
    await expect.poll(() => existsSync(pidsFile) && confcallPid > 0, { timeout: 30_000 }).toBe(true);
    const pids = JSON.parse(readFileSync(pidsFile, 'utf8')) as number[];
    expect(pids.some(gone), 'the bot and its helper run before the signal').toBe(false);
    const signalledAt = performance.now();
    process.kill(confcallPid, signal);
    const { code, stdout, stderr } = await running;
    const stoppedWithinMs = performance.now() - signalledAt;
    expect(code, stdout + stderr).toBe(exitCode);
    expect(stderr).toContain(`confcall: the run was interrupted by ${signal} before its first test; nothing was run`);
    expect(stderr).not.toMatch(/could not be reached|did not become ready/);
    // Bounds a hang, measures no speed: the start's own limit is 120 s; the bot gets SIGTERM, and SIGKILL after 3 s.
    expect(stoppedWithinMs, stderr).toBeLessThan(20_000);
    await expect.poll(() => pids.filter((pid) => !gone(pid)), { timeout: 5_000 }).toEqual([]);
    expect(existsSync(join(out, 'bot-process.json'))).toBe(false);
    expect(existsSync(join(out, 'unreachable.json'))).toBe(false);
    // What the bot said while it started is kept beside the reports.
    expect(readFileSync(join(out, 'bot-output.log'), 'utf8')).toContain('starting (this takes a minute)');
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

test('killed before it wrote its JSON report, an interrupted run still leaves a summary: interrupted, with no test counted', async () => {
  const out = tempDir('confcall-cut-');
  writeFileSync(join(out, 'results.json'), '{"suites": [{"title": "harness/run/conf');
  const at = new Date('2026-01-02T03:04:05.000Z');
  const exit = reportInterruption({ outDir: out, requirements: [], target: 'reference-bot', seed: 7, signal: 'SIGTERM', at, killed: true, reporters: ['json'] });
  expect(exit).toBe(143);
  const summary = readSummary(join(out, 'summary.json'));
  expect(summary).toMatchObject({ tool: 'confcall', result: 'interrupted', target: 'reference-bot', seed: 7, totals: { passed: 0, failed: 0, skipped: 0, notApplicable: 0, unfinished: 0 }, tests: [] });
  expect(summary.interrupted).toMatchObject({ signal: 'SIGTERM', at: at.toISOString() });
  expect(summary.interrupted?.message).toContain('was killed');
  expect(existsSync(join(out, 'requirements-junit.xml'))).toBe(true);
});

test("a SIGINT that comes after Playwright's own one-second window does not kill the runner before its reports", async () => {
  // Like Playwright's runner: it handles the first SIGINT and stops listening, then takes 2.5 s to write its reports.
  // A terminal's Ctrl-C reaches it at once, confcall's forward of it later on a loaded machine (here: 1.5 s).
  const reports = join(tempDir('confcall-late-sigint-'), 'reports');
  const runner = `const onSigint = () => { process.off('SIGINT', onSigint); setTimeout(() => { require('node:fs').writeFileSync(${JSON.stringify(reports)}, 'written'); process.exit(0); }, 2500); };
process.on('SIGINT', onSigint); setTimeout(() => undefined, 30000); console.log('listening');`;
  const preload = join(ROOT, 'dist/harness/cli/sigterm-as-sigint.cjs');
  const child = spawn(process.execPath, ['--require', preload, '-e', runner], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => child.stdout.once('data', resolve));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  child.kill('SIGINT');
  await new Promise((resolve) => setTimeout(resolve, 1500));
  child.kill('SIGINT');
  expect(await exited).toEqual({ code: 0, signal: null });
  expect(readFileSync(reports, 'utf8')).toBe('written');
});
