/**
 * The status line `confcall run` keeps on a terminal (harness/report/progress-reporter.ts): driven with fake tests,
 * a fake terminal stream, fake writes of other reporters and an injected clock; then a real run under a
 * pseudo-terminal (`script`, util-linux). What reaches the terminal is replayed into a headless terminal emulator
 * (@xterm/headless) to read the rows the user sees.
 */
import { spawn } from 'node:child_process';
import { test, expect } from '@playwright/test';
import type { FullConfig, Suite, TestCase, TestResult } from '@playwright/test/reporter';
import xterm from '@xterm/headless';
import ProgressReporter, { elapsedText, progressText, type ProgressOptions } from '../harness/report/progress-reporter.js';
import { confcall, portsFor, ROOT, tempDir } from './support/cli.js';

type Outcome = ReturnType<TestCase['outcome']>;
/** A fake test; `outcomeNow` is what test.outcome() answers (set it before each result). */
function fakeTest(retries = 0): TestCase & { outcomeNow: Outcome } {
  const t = { retries, outcomeNow: 'expected' as Outcome, outcome: () => t.outcomeNow };
  return t as unknown as TestCase & { outcomeNow: Outcome };
}
const result = (status: TestResult['status'], retry = 0) => ({ status, retry }) as TestResult;
const suiteOf = (tests: TestCase[]) => ({ allTests: () => tests }) as unknown as Suite;

/**
 * A reporter on a fake terminal. `other(text)` is a write by anyone else (the list reporter, the global setup),
 * through the reporter's interception when it has one installed; `screen()` is what the terminal then shows.
 */
function onFakeTerminal(terminal: { isTTY?: boolean; outputIsTTY?: boolean; columns?: number; env?: NodeJS.ProcessEnv } = {}) {
  let clock = 0;
  let bytes = '';
  const ownWrites: string[] = [];
  const ticks: Array<() => void> = [];
  const pending: Array<() => void> = [];
  let timerRunning = false;
  let around: ((text: string, write: () => void) => void) | undefined;
  const options: ProgressOptions = {
    stream: {
      isTTY: terminal.isTTY ?? true,
      columns: terminal.columns ?? 100,
      write: (text) => {
        ownWrites.push(text);
        bytes += text;
      },
    },
    output: { isTTY: terminal.outputIsTTY ?? true },
    interceptWrites: (wrap) => {
      around = wrap;
      return () => (around = undefined);
    },
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
    ownWrites,
    at: (ms: number) => (clock = ms),
    /** The timer fires (if it still runs). */
    tick: () => timerRunning && ticks.forEach((t) => t()),
    /** The event is over: the deferred redraws run. */
    settle: () => pending.splice(0).forEach((draw) => draw()),
    other: (text: string) => (around ? around(text, () => (bytes += text)) : (bytes += text)),
    intercepting: () => around !== undefined,
    timerRunning: () => timerRunning,
    screen: () => screenAfter(bytes, { cols: terminal.columns || 100, rows: 20 }),
  };
}

test('nothing shows in the first 2 s; then tests done / total, failures so far and elapsed time', async () => {
  const [a, b, c] = [fakeTest(), fakeTest(), fakeTest()];
  const t = onFakeTerminal();
  t.reporter.onBegin({} as FullConfig, suiteOf([a, b, c]));
  t.at(500);
  t.other('  ✓ 1 a\n');
  t.reporter.onTestEnd(a, result('passed'));
  t.settle();
  t.at(1999);
  t.tick();
  expect(t.ownWrites).toEqual([]);

  t.at(2000);
  t.tick();
  expect(await t.screen()).toEqual(['  ✓ 1 a', 'confcall: 1/3 tests done, 0 failed, 2 s']);

  t.at(2600);
  b.outcomeNow = 'unexpected';
  t.reporter.onTestEnd(b, result('failed'));
  t.settle();
  expect((await t.screen()).at(-1)).toBe('confcall: 2/3 tests done, 1 failed, 2 s');

  t.at(65_400);
  t.tick();
  expect((await t.screen()).at(-1)).toBe('confcall: 2/3 tests done, 1 failed, 1 min 05 s');
});

test("the line is gone before anything else writes and back once the event is over; the list reporter's in-place updates stay whole", async () => {
  const t = onFakeTerminal();
  t.reporter.onBegin({} as FullConfig, suiteOf([fakeTest(), fakeTest()]));
  t.at(3000);
  t.other('     1 first test\n');
  t.settle();
  const status = 'confcall: 0/2 tests done, 0 failed, 3 s';
  expect(await t.screen()).toEqual(['     1 first test', status]);
  // Appended rows (a test begins), and the list reporter rewriting row 1 in place: up, erase, text, back down.
  t.other('     2 second test');
  t.other('\n');
  expect(await t.screen(), 'cleared before the first write').toEqual(['     1 first test', '     2 second test']);
  t.settle();
  for (const write of ['\x1b[2A', '\x1b[2K\x1b[0G', '  ✓  1 first test (5ms)', '\x1b[2E']) t.other(write);
  t.settle();
  expect(await t.screen()).toEqual(['  ✓  1 first test (5ms)', '     2 second test', status]);
  // One clear per event, not one per write.
  expect(t.ownWrites.filter((w) => w === '\r\x1b[2K')).toHaveLength(2);
});

test('output that leaves the cursor mid-row (test output without a newline, a dot reporter) is never erased', async () => {
  const t = onFakeTerminal();
  t.reporter.onBegin({} as FullConfig, suiteOf([fakeTest(), fakeTest()]));
  t.at(3000);
  t.tick();
  t.other('progress: 50%');
  t.settle();
  t.at(4000);
  t.tick();
  expect(await t.screen()).toEqual(['progress: 50%']);
  t.other('··');
  t.settle();
  expect(await t.screen()).toEqual(['progress: 50%··']);
  t.other('\n');
  t.settle();
  expect(await t.screen()).toEqual(['progress: 50%··', 'confcall: 0/2 tests done, 0 failed, 4 s']);
});

test('a test counts once, when its last retry ends; one that passes on a retry is no failure', async () => {
  const [flaky, broken] = [fakeTest(1), fakeTest(1)];
  const t = onFakeTerminal();
  t.reporter.onBegin({} as FullConfig, suiteOf([flaky, broken]));
  t.at(2000);
  flaky.outcomeNow = 'unexpected';
  t.reporter.onTestEnd(flaky, result('failed', 0));
  broken.outcomeNow = 'unexpected';
  t.reporter.onTestEnd(broken, result('timedOut', 0));
  t.settle();
  expect(await t.screen()).toEqual(['confcall: 0/2 tests done, 0 failed, 2 s']);
  flaky.outcomeNow = 'flaky';
  t.reporter.onTestEnd(flaky, result('passed', 1));
  t.reporter.onTestEnd(broken, result('failed', 1));
  t.settle();
  expect(await t.screen()).toEqual(['confcall: 2/2 tests done, 1 failed, 2 s']);
});

test('at the end the line is cleared and never drawn again, and the writes are left alone', async () => {
  const t = onFakeTerminal();
  t.reporter.onBegin({} as FullConfig, suiteOf([fakeTest()]));
  t.at(2500);
  t.other('     1 a test\n'); // its redraw is still pending when the run ends
  t.tick();
  expect(await t.screen()).toEqual(['     1 a test', 'confcall: 0/1 tests done, 0 failed, 2 s']);
  t.reporter.onEnd();
  expect(t.timerRunning()).toBe(false);
  expect(t.intercepting()).toBe(false);
  const count = t.ownWrites.length;
  t.settle();
  t.at(9000);
  t.tick();
  t.other('  1 passed\n');
  t.settle();
  expect(t.ownWrites.length).toBe(count);
  expect(await t.screen()).toEqual(['     1 a test', '  1 passed']);
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
    expect(t.intercepting(), name).toBe(false);
    t.at(5000);
    t.tick();
    t.other('out\n');
    t.reporter.onTestEnd(a, result('passed'));
    t.settle();
    t.tick();
    t.reporter.onEnd();
    expect(t.ownWrites, name).toEqual([]);
  }
});

test('the line never wraps: cut to one column less than the terminal, 80 when the width is unknown', async () => {
  const long = { done: 123, total: 456, failed: 78, elapsedMs: 3_600_000 };
  expect(progressText(long, 20)).toBe('confcall: 123/456 t');
  expect(progressText(long, 0)).toBe('confcall: 123/456 tests done, 78 failed, 60 min 00 s');
  expect(progressText({ ...long, done: 10 ** 20, total: 10 ** 20 }).length).toBe(79);
  expect([elapsedText(0), elapsedText(59_999), elapsedText(60_000), elapsedText(125_500)]).toEqual(['0 s', '59 s', '1 min 00 s', '2 min 05 s']);
  const t = onFakeTerminal({ columns: 30 });
  t.reporter.onBegin({} as FullConfig, suiteOf([fakeTest()]));
  t.at(2000);
  t.tick();
  t.tick();
  expect(await t.screen()).toEqual(['confcall: 0/1 tests done, 0 f']);
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
  // convertEol: a fake stream's "\n" reaches the emulator as is, where a pseudo-terminal would send "\r\n".
  const terminal = new xterm.Terminal({ cols: size.cols, rows: size.rows, scrollback: 10_000, allowProposedApi: true, convertEol: true });
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

/**
 * What a terminal run must show: the status line drawn (with the test total), and at the end no trace of it, each
 * test's row once and whole, Playwright's summary and confcall's line each starting a row of their own.
 */
async function expectCleanScreen(transcript: string, confcallLine: RegExp): Promise<void> {
  const drawn = [...transcript.matchAll(/confcall: (\d+)\/(\d+) tests done, 0 failed, \d+ s/g)];
  expect(drawn.length, transcript).toBeGreaterThan(0);
  const total = Number(drawn[0][2]);
  expect(total).toBeGreaterThan(0);
  const counts = drawn.map((d) => Number(d[1]));
  expect(counts, 'only ever counts up').toEqual([...counts].sort((x, y) => x - y));

  const screen = await screenAfter(transcript);
  const shown = screen.join('\n');
  expect(screen.filter((row) => row.includes('tests done')), shown).toEqual([]);
  for (let i = 1; i <= total; i++) {
    expect(screen.filter((row) => new RegExp(`^  ✓  +${i} .*\\(\\d+(\\.\\d+)?m?s\\)$`).test(row)), `${shown}\nrow ${i}`).toHaveLength(1);
  }
  expect(screen.filter((row) => new RegExp(`^  ${total} passed \\(`).test(row)), shown).toHaveLength(1);
  // confcall's own summary starts its row (the path in it may wrap onto the next).
  expect(screen, shown).toContainEqual(expect.stringMatching(confcallLine));
}

test('on a terminal, a run and the merge of its report show the line under the list output and leave every row clean', async ({}, testInfo) => {
  test.setTimeout(180_000);
  const out = tempDir('confcall-progress-tty-');
  // The threshold at 0: the line shows whatever this machine's speed, and the test asserts no timing.
  const env = { ...portsFor(testInfo.parallelIndex, 5), CONFCALL_PROGRESS_AFTER_MS: '0' };
  // A shard of one (the whole run) also writes the blob report that merge-reports replays below.
  const run = await confcallOnTerminal([...ONE_SUITE, '--shard', '1/1', '--out', out], env);
  expect(run.code, run.transcript).toBe(0);
  await expectCleanScreen(run.transcript, /^confcall: \d+ passed, 0 failed, 0 skipped; reports in /);

  // merge-reports replays the recorded events in one burst, Playwright calling the list reporter before this one:
  // the line is drawn (0/N) while Playwright reads the blob after onBegin, and the list's rows must clear it.
  const merge = await confcallOnTerminal(['merge-reports', out, '--out', tempDir('confcall-progress-merged-'), '--reporter', 'list,json'], env);
  expect(merge.code, merge.transcript).toBe(0);
  await expectCleanScreen(merge.transcript, /^confcall: merged 1 shard report\(s\): \d+ passed, 0 failed, 0 skipped; reports in /);
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
