import type { FullConfig, Reporter, Suite, TestCase, TestResult } from '@playwright/test/reporter';

/**
 * A Playwright reporter for `confcall run` on a terminal: one status line under the list reporter's output,
 * "confcall: 37/125 tests done, 2 failed, 42 s", drawn once the run has taken 2 s and redrawn each second and
 * after each test. Off a terminal (CI logs, a pipe) or with CI set it writes nothing at all.
 *
 * The line sits on the row where the list reporter writes its next line, so it must be gone whenever anything
 * else writes. Reporters are called in an order this one cannot rely on (`merge-reports` calls `list` first),
 * and the global setup and Playwright itself write too; so while the line is up, the runner's stdout and stderr
 * pass through `aroundWrite`: the line is cleared, the write goes out, and the line comes back once the event
 * is over (`afterEvent`). The list reporter's in-place updates move the cursor up from that row and back down,
 * so the line does not upset its row count.
 */

/** The terminal stream the status line goes to (process.stderr), or a fake one in tests. */
export interface StatusStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/** Sends every other write to the terminal through `around` (which must call `write`); returns the undo. */
export type WriteInterceptor = (around: (text: string, write: () => void) => void) => () => void;

/** What the reporter takes from its surroundings; each defaults to the real process, tests inject fakes. */
export interface ProgressOptions {
  /** Where the line is drawn: process.stderr. */
  stream?: StatusStream;
  /** The stream the other reporters write to (process.stdout): piped (`| tee`), its lines would land in ours. */
  output?: { isTTY?: boolean };
  /** The other writes to the terminal: process.stdout's and process.stderr's. */
  interceptWrites?: WriteInterceptor;
  env?: NodeJS.ProcessEnv;
  /** Milliseconds on a monotonic clock. */
  now?: () => number;
  /** Calls `tick` every `ms` until the returned function is called. */
  every?: (ms: number, tick: () => void) => () => void;
  /** Runs `draw` once the current event (and everything it writes) is over. */
  afterEvent?: (draw: () => void) => void;
  /** How long the run goes before the line appears (SHOW_AFTER_MS); playwright.config.ts passes CONFCALL_PROGRESS_AFTER_MS. */
  showAfterMs?: number;
}

/** How long a run goes before the line appears: shorter runs are over before anyone looks. */
export const SHOW_AFTER_MS = 2000;
/** How often the line is redrawn without an event, so the elapsed time moves. */
const REDRAW_MS = 1000;
/** Carriage return, then erase the whole line (ECMA-48 EL 2): the cursor ends at its start. */
const CLEAR_LINE = '\r\x1b[2K';
/** Output after which the cursor is at the start of a row: a newline, or a move to the start of a row below (CNL). */
const ENDS_AT_ROW_START = /(\n|\x1b\[\d*E)$/;

/** Where a run stands. */
export interface Progress {
  done: number;
  total: number;
  failed: number;
  elapsedMs: number;
}

/**
 * The status line, cut to one column less than the terminal so it never wraps (a wrapped line cannot be cleared).
 * A terminal of unknown width (0 or undefined, as a pseudo-terminal nobody sized reports) counts as 80 columns.
 */
export function progressText(progress: Progress, columns?: number): string {
  const width = columns && columns > 1 ? columns : 80;
  const text = `confcall: ${progress.done}/${progress.total} tests done, ${progress.failed} failed, ${elapsedText(progress.elapsedMs)}`;
  return text.slice(0, width - 1);
}

/** Whole seconds: "42 s", "2 min 05 s". */
export function elapsedText(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** True when this result is the test's last: it passed, was skipped or cut off, or has no retry left. */
function isFinalResult(test: TestCase, result: TestResult): boolean {
  return result.status === 'passed' || result.status === 'skipped' || result.status === 'interrupted' || result.retry >= test.retries;
}

function realTimer(ms: number, tick: () => void): () => void {
  const timer = setInterval(tick, ms);
  timer.unref(); // never what keeps the runner alive
  return () => clearInterval(timer);
}

/** process.stdout's and process.stderr's `write`, each wrapped in `around` until the undo is called. */
function interceptProcessWrites(around: (text: string, write: () => void) => void): () => void {
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write);
  streams.forEach((stream, i) => {
    stream.write = function (this: NodeJS.WriteStream, chunk: string | Uint8Array, ...rest: unknown[]): boolean {
      let written = true;
      around(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(), () => {
        written = (originals[i] as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
      });
      return written;
    } as NodeJS.WriteStream['write'];
  });
  return () => streams.forEach((stream, i) => (stream.write = originals[i]));
}

/** The status-line reporter (see the file comment); the default export is what Playwright loads. */
export default class ProgressReporter implements Reporter {
  private readonly stream: StatusStream;
  /** The stream's own write, taken before interception, so the line's writes do not pass through it. */
  private readonly writeLine: (text: string) => void;
  private readonly output: { isTTY?: boolean };
  private readonly interceptWrites: WriteInterceptor;
  private readonly env: NodeJS.ProcessEnv;
  private readonly now: () => number;
  private readonly every: (ms: number, tick: () => void) => () => void;
  private readonly afterEvent: (draw: () => void) => void;
  private readonly showAfterMs: number;
  /** When Playwright made the reporter: before the global setup starts the bot, which the user waits for too. */
  private readonly startedAt: number;
  private enabled = false;
  private total = 0;
  private done = 0;
  private failed = 0;
  /** The line is on the screen now. */
  private shown = false;
  /** The last output left the cursor after text on its row (test output without a newline, a dot reporter): drawing would erase it. */
  private midLine = false;
  private redrawPending = false;
  private stop: () => void = () => {};

  constructor(options: ProgressOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    const write = this.stream.write;
    this.writeLine = (text) => void write.call(this.stream, text);
    this.output = options.output ?? process.stdout;
    this.interceptWrites = options.interceptWrites ?? interceptProcessWrites;
    this.env = options.env ?? process.env;
    this.now = options.now ?? (() => performance.now());
    this.every = options.every ?? realTimer;
    this.afterEvent = options.afterEvent ?? ((draw) => void setImmediate(draw));
    this.showAfterMs = options.showAfterMs ?? SHOW_AFTER_MS;
    this.startedAt = this.now();
  }

  /** It adds no output Playwright would otherwise give (answering true would stop Playwright adding its own). */
  printsToStdio(): boolean {
    return false;
  }

  onBegin(_config: FullConfig, suite: Suite): void {
    this.total = suite.allTests().length;
    this.enabled = !!this.stream.isTTY && !!this.output.isTTY && !this.env.CI;
    if (!this.enabled) return;
    const stopTimer = this.every(REDRAW_MS, () => this.draw());
    const stopIntercepting = this.interceptWrites((text, write) => this.aroundWrite(text, write));
    this.stop = () => {
      stopTimer();
      stopIntercepting();
    };
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    if (isFinalResult(test, result)) {
      this.done += 1;
      if (test.outcome() === 'unexpected') this.failed += 1;
    }
    this.redrawAfterEvent();
  }

  /** Gone before the list reporter's summary and confcall's own lines, and never drawn again. */
  onEnd(): void {
    this.stop();
    this.clear();
    this.enabled = false;
  }

  /** Where the run stands now. */
  progress(): Progress {
    return { done: this.done, total: this.total, failed: this.failed, elapsedMs: this.now() - this.startedAt };
  }

  /** Another write to the terminal: clear the line first, and draw it again after the event. */
  private aroundWrite(text: string, write: () => void): void {
    this.clear();
    write();
    if (text.length > 0) this.midLine = !ENDS_AT_ROW_START.test(text);
    this.redrawAfterEvent();
  }

  private clear(): void {
    if (!this.shown) return;
    this.writeLine(CLEAR_LINE);
    this.shown = false;
  }

  private redrawAfterEvent(): void {
    if (!this.enabled || this.redrawPending) return;
    this.redrawPending = true;
    this.afterEvent(() => {
      this.redrawPending = false;
      this.draw();
    });
  }

  private draw(): void {
    if (!this.enabled || this.midLine) return;
    const progress = this.progress();
    if (progress.elapsedMs < this.showAfterMs) return;
    this.writeLine(CLEAR_LINE + progressText(progress, this.stream.columns));
    this.shown = true;
  }
}
