/**
 * The status line `confcall run` keeps on a terminal (harness/report/progress-reporter.ts): driven with fake tests,
 * a fake terminal stream and an injected clock; then a real run under a pseudo-terminal (`script`, util-linux),
 * whose output is replayed into a headless terminal emulator (@xterm/headless) to read what the user is left with.
 */
import { spawn } from 'node:child_process';
import { test, expect } from '@playwright/test';
import type { FullConfig, Suite, TestCase, TestResult, TestStep } from '@playwright/test/reporter';
import xterm from '@xterm/headless';
import ProgressReporter, { elapsedText, progressText, type ProgressOptions } from '../harness/report/progress-reporter.js';
import { confcall, portsFor, ROOT, tempDir } from './support/cli.js';

const CLEAR_LINE = '\r\x1b[2K';

/** A fake test; `outcomeNow` is what test.outcome() answers (set it before each result). */
function fakeTest(retries = 0): TestCase & { outcomeNow: 'expected' | 'unexpected' | 'flaky' | 'skipped' } {
  const t = { retries, outcomeNow: 'expected' as 'expected' | 'unexpected' | 'flaky' | 'skipped', outcome: () => t.outcomeNow };
  return t as unknown as TestCase & { outcomeNow: typeof t.outcomeNow };
}
const result = (status: TestResult['status'], retry = 0) => ({ status, retry }) as TestResult;
const suiteOf = (tests: TestCase[]) => ({ allTests: () => tests }) as unknown as Suite;
const step = (category: string) => ({ category }) as TestStep;

/** A reporter on a fake terminal: `visible()` is what the status row shows (the text after the last clear). */
function onFakeTerminal(terminal: { isTTY?: boolean; outputIsTTY?: boolean; columns?: number; env?: NodeJS.ProcessEnv } = {}) {
  let clock = 0;
  const writes: string[] = [];
  const ticks: Array<() => void> = [];
  const pending: Array<() => void> = [];
  let timerRunning = false;
  const options: ProgressOptions = {
    stream: { isTTY: terminal.isTTY ?? true, columns: terminal.columns ?? 100, write: (text) => writes.push(text) },
    output: { isTTY: terminal.outputIsTTY ?? true },
    env: terminal.env ?? {},
    now: () => clock,
    every: (ms, tick) => {
      expect(ms).toBeLessThanOrEqual(1000); // the elapsed seconds must move
      ticks.push(tick);
      timerRunning = true;
      return () => (timerRunning = false);
    },
    afterEvent: (draw) => pending.push(draw),
  };
  const reporter = new ProgressReporter(options);
  return {
    reporter,
    writes,
    at: (ms: number) => (clock = ms),
    /** The timer fires (if it still runs). */
    tick: () => timerRunning && ticks.forEach((t) => t()),
    /** Every reporter has handled the event: the deferred redraws run. */
    settle: () => pending.splice(0).forEach((draw) => draw()),
    visible: () => {
      const all = writes.join('');
      const last = all.lastIndexOf(CLEAR_LINE);
      return last < 0 ? all : all.slice(last + CLEAR_LINE.length);
    },
    timerRunning: () => timerRunning,
  };
}

test('nothing shows in the first 2 s; then tests done / total, failures so far and elapsed time', () => {
  const [a, b, c] = [fakeTest(), fakeTest(), fakeTest()];
  const t = onFakeTerminal();
  t.reporter.onBegin({} as FullConfig, suiteOf([a, b, c]));
  t.at(500);
  t.reporter.onTestBegin();
  t.reporter.onTestEnd(a, result('passed'));
  t.settle();
  t.at(1999);
  t.tick();
  expect(t.writes).toEqual([]);

  t.at(2000);
  t.tick();
  expect(t.visible()).toBe('confcall: 1/3 tests done, 0 failed, 2 s');

  t.at(2600);
  t.reporter.onTestBegin();
  b.outcomeNow = 'unexpected';
  t.reporter.onTestEnd(b, result('failed'));
  t.settle();
  expect(t.visible()).toBe('confcall: 2/3 tests done, 1 failed, 2 s');

  t.at(65_400);
  t.tick();
  expect(t.visible()).toBe('confcall: 2/3 tests done, 1 failed, 1 min 05 s');
});

test('the line is cleared before each event other reporters write on, and drawn again once they have', () => {
  const t = onFakeTerminal();
  t.reporter.onBegin({} as FullConfig, suiteOf([fakeTest()]));
  t.at(3000);
  t.tick();
  const shown = 'confcall: 0/1 tests done, 0 failed, 3 s';
  expect(t.visible()).toBe(shown);
  const events: Array<[string, () => void]> = [
    ['test begin', () => t.reporter.onTestBegin()],
    ['test.step begin', () => t.reporter.onStepBegin({} as TestCase, result('passed'), step('test.step'))],
    ['test.step end', () => t.reporter.onStepEnd({} as TestCase, result('passed'), step('test.step'))],
    ['a whole line of test output', () => t.reporter.onStdOut('hello\n')],
    ['a whole line on stderr', () => t.reporter.onStdErr(Buffer.from('oops\n'))],
    ['an error', () => t.reporter.onError()],
  ];
  for (const [name, event] of events) {
    event();
    expect(t.visible(), `cleared on ${name}`).toBe('');
    t.settle();
    expect(t.visible(), `back after ${name}`).toBe(shown);
  }
  // Steps the list reporter does not draw (hooks, expect, fixtures) change nothing on the screen.
  const before = t.writes.length;
  t.reporter.onStepBegin({} as TestCase, result('passed'), step('expect'));
  t.settle();
  expect(t.writes.length).toBe(before);
});

test('test output that ends mid-line is never erased: the line waits for the next test', () => {
  const t = onFakeTerminal();
  t.reporter.onBegin({} as FullConfig, suiteOf([fakeTest(), fakeTest()]));
  t.at(3000);
  t.tick();
  t.reporter.onStdOut('progress: 50%');
  t.settle();
  t.at(4000);
  t.tick();
  expect(t.visible()).toBe(''); // the cursor is after "progress: 50%"; a redraw would wipe it
  t.reporter.onTestBegin();
  t.settle();
  expect(t.visible()).toBe('confcall: 0/2 tests done, 0 failed, 4 s');
});

test('a test counts once, when its last retry ends; one that passes on a retry is no failure', () => {
  const [flaky, broken] = [fakeTest(1), fakeTest(1)];
  const t = onFakeTerminal();
  t.reporter.onBegin({} as FullConfig, suiteOf([flaky, broken]));
  t.at(2000);
  flaky.outcomeNow = 'unexpected';
  t.reporter.onTestEnd(flaky, result('failed', 0));
  broken.outcomeNow = 'unexpected';
  t.reporter.onTestEnd(broken, result('timedOut', 0));
  t.settle();
  expect(t.visible()).toBe('confcall: 0/2 tests done, 0 failed, 2 s');
  flaky.outcomeNow = 'flaky';
  t.reporter.onTestEnd(flaky, result('passed', 1));
  t.reporter.onTestEnd(broken, result('failed', 1));
  t.settle();
  expect(t.visible()).toBe('confcall: 2/2 tests done, 1 failed, 2 s');
});

test('at the end the line is cleared and never drawn again, so the summaries after it start on a clean row', async () => {
  const t = onFakeTerminal();
  t.reporter.onBegin({} as FullConfig, suiteOf([fakeTest()]));
  t.at(2500);
  t.reporter.onTestBegin(); // its redraw is still pending when the run ends
  t.tick();
  expect(t.visible()).toBe('confcall: 0/1 tests done, 0 failed, 2 s');
  t.reporter.onEnd();
  expect(t.writes.at(-1)).toBe(CLEAR_LINE);
  expect(t.timerRunning()).toBe(false);
  const count = t.writes.length;
  t.settle();
  t.at(9000);
  t.tick();
  t.reporter.onError();
  t.settle();
  expect(t.writes.length).toBe(count);
});

test('nothing at all on a stream that is no terminal, beside a piped stdout, or with CI set', () => {
  const cases = [
    { name: 'stderr not a TTY (CI log, 2>file)', terminal: { isTTY: false } },
    { name: 'stdout piped (| tee): its lines would land in the status row', terminal: { outputIsTTY: false } },
    { name: 'CI set on a pseudo-terminal', terminal: { env: { CI: 'true' } } },
  ];
  for (const { name, terminal } of cases) {
    const t = onFakeTerminal(terminal);
    const a = fakeTest();
    t.reporter.onBegin({} as FullConfig, suiteOf([a]));
    t.at(5000);
    t.tick();
    t.reporter.onTestBegin();
    t.reporter.onStdOut('out\n');
    t.reporter.onTestEnd(a, result('passed'));
    t.settle();
    t.tick();
    t.reporter.onEnd();
    expect(t.writes, name).toEqual([]);
  }
});

test('the line never wraps: cut to one column less than the terminal, 80 when the width is unknown', () => {
  const long = { done: 123, total: 456, failed: 78, elapsedMs: 3_600_000 };
  expect(progressText(long, 20)).toBe('confcall: 123/456 t');
  expect(progressText(long, 0)).toBe('confcall: 123/456 tests done, 78 failed, 60 min 00 s');
  expect(progressText({ ...long, done: 10 ** 20, total: 10 ** 20 }).length).toBe(79);
  expect([elapsedText(0), elapsedText(59_999), elapsedText(60_000), elapsedText(125_500)]).toEqual(['0 s', '59 s', '1 min 00 s', '2 min 05 s']);
  const t = onFakeTerminal({ columns: 30 });
  t.reporter.onBegin({} as FullConfig, suiteOf([fakeTest()]));
  t.at(2000);
  t.tick();
  expect(t.visible()).toBe('confcall: 0/1 tests done, 0 f');
});

/** Runs `args` of confcall under a pseudo-terminal of `cols` × `rows`; resolves with everything the terminal got. */
function confcallOnTerminal(args: string[], env: Record<string, string>, size = { cols: 150, rows: 30 }): Promise<{ code: number; transcript: string }> {
  const quoted = args.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  // `script` gives the command a pseudo-terminal; stty sizes it (an unsized one reports 0 columns).
  const command = `stty cols ${size.cols} rows ${size.rows} && exec '${process.execPath}' bin/confcall.js ${quoted}`;
  return new Promise((done, fail) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: ROOT, env: { ...process.env, CI: '', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let transcript = '';
    child.stdout.on('data', (chunk) => (transcript += chunk));
    child.on('error', fail);
    child.on('exit', (code) => done({ code: code ?? -1, transcript }));
  });
}

/** The rows a terminal of `cols` × `rows` shows, scrollback included, after receiving `transcript`. */
function screenAfter(transcript: string, size = { cols: 150, rows: 30 }): Promise<string[]> {
  const terminal = new xterm.Terminal({ cols: size.cols, rows: size.rows, scrollback: 10_000, allowProposedApi: true });
  return new Promise((done) =>
    terminal.write(transcript, () => {
      const buffer = terminal.buffer.active;
      const rows = Array.from({ length: buffer.length }, (_, i) => buffer.getLine(i)!.translateToString(true));
      terminal.dispose();
      done(rows.filter((row) => row !== ''));
    }),
  );
}

const ONE_SUITE = ['run', '--suite', 'suites/content-sharing.yaml', '--reporter', 'list,json'];

test('on a terminal, a run shows the line under the list output and leaves every row clean', async ({}, testInfo) => {
  test.setTimeout(180_000);
  const out = tempDir('confcall-progress-tty-');
  // The threshold at 0: the line shows whatever this machine's speed, and the test asserts no timing.
  const run = await confcallOnTerminal([...ONE_SUITE, '--out', out], { ...portsFor(testInfo.parallelIndex, 5), CONFCALL_PROGRESS_AFTER_MS: '0' });
  expect(run.code, run.transcript).toBe(0);
  const drawn = [...run.transcript.matchAll(/confcall: (\d+)\/(\d+) tests done, 0 failed, \d+ s/g)];
  expect(drawn.length, run.transcript).toBeGreaterThan(0);
  const total = Number(drawn[0][2]);
  expect(total).toBeGreaterThan(0);
  expect(drawn.map((d) => Number(d[1]))).toEqual([...drawn.map((d) => Number(d[1]))].sort((x, y) => x - y)); // only ever counts up

  const screen = await screenAfter(run.transcript);
  expect(screen.filter((row) => row.includes('tests done')), screen.join('\n')).toEqual([]);
  // Each test's row, rewritten in place by the list reporter, is there once and whole.
  for (let i = 1; i <= total; i++) {
    expect(screen.filter((row) => new RegExp(`^  ✓  +${i} .*\\(\\d+(\\.\\d+)?m?s\\)$`).test(row)), `${screen.join('\n')}\nrow ${i}`).toHaveLength(1);
  }
  expect(screen.filter((row) => new RegExp(`^  ${total} passed \\(`).test(row)), screen.join('\n')).toHaveLength(1);
  // confcall's own summary starts its row (the path in it may wrap onto the next).
  expect(screen).toContainEqual(expect.stringMatching(new RegExp(`^confcall: ${total} passed, 0 failed, 0 skipped; reports in `)));
});

test('off a terminal (a CI log), the output carries no status line and no terminal control', async ({}, testInfo) => {
  test.setTimeout(180_000);
  const out = tempDir('confcall-progress-pipe-');
  const run = await confcall([...ONE_SUITE, '--out', out], { env: { ...portsFor(testInfo.parallelIndex, 6), CONFCALL_PROGRESS_AFTER_MS: '0' } });
  expect(run.code, run.stdout + run.stderr).toBe(0);
  expect(run.stdout).toMatch(/passed/);
  for (const text of [run.stdout, run.stderr]) {
    expect(text).not.toContain('tests done');
    expect(text).not.toContain('\x1b[2K');
  }
});
