import { spawn, type StdioOptions } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { botWordLine, gateWordLine, START_GATE_ENV, START_GATE_FD } from '../run/start-gate.js';
import { UsageError } from './usage.js';

/** How a Playwright child process ended, and the signal that stopped it if confcall was interrupted. */
export interface PlaywrightOutcome {
  code: number;
  interruptedBy?: NodeJS.Signals;
  /** When that signal came. */
  interruptedAt?: Date;
  /** Playwright was killed before it ended on its own: it outlived the stop cap, or a second signal forced the stop. */
  killed?: boolean;
  /** A second signal (a second Ctrl-C, a CI's SIGTERM after its SIGINT) forced the stop. */
  forced?: boolean;
}

/**
 * The longest Playwright may take to stop and write its reports after Ctrl-C. Its exit says the reports are
 * written, and confcall waits for it: 0.1 to 1 s on an idle 2-core machine, several seconds at a load average
 * over 10 (a fixed 1.2 s lost the reports there). The cap only bounds a runner that hangs; a second signal
 * stops it at once. Killed, it writes no blob report, and a sharded run's merge then lacks that shard.
 * 8 s stays under the 10 s that `docker stop` gives before SIGKILL, where nothing would be written at all.
 */
export const DEFAULT_STOP_CAP_MS = 8_000;
/** A repeat within this time is the same interruption (a signal to the group and confcall's own forward; Playwright ignores such a repeat too). */
const REPEAT_WINDOW_MS = 1000;
/** How long a stop may take before confcall says what it waits for, and how to stop at once. */
const NOTICE_AFTER_MS = 2000;

/** `CONFCALL_STOP_GRACE_MS` when set (a CI that kills sooner than the default cap can ask for less), else the default. */
export function stopCapMs(env: NodeJS.ProcessEnv): number {
  const text = env.CONFCALL_STOP_GRACE_MS;
  if (text === undefined || text === '') return DEFAULT_STOP_CAP_MS;
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms <= 0) throw new UsageError(`CONFCALL_STOP_GRACE_MS must be a whole number of milliseconds above 0, got "${text}"`);
  return ms;
}

/** Makes the Playwright runner take a SIGTERM sent to the whole process group as SIGINT (see the file). */
const SIGTERM_AS_SIGINT = fileURLToPath(new URL('./sigterm-as-sigint.cjs', import.meta.url));

/** A Playwright child started by confcall; a gated one waits at its config until `openGate` (harness/run/start-gate.ts). */
export interface PlaywrightChild {
  /** How it ended. */
  outcome: Promise<PlaywrightOutcome>;
  /** The signal that interrupted confcall so far, if one did. */
  interruptedBy(): NodeJS.Signals | undefined;
  /** Aborted when that signal comes: what confcall does meanwhile (the bot's start) gives up. */
  interrupted: AbortSignal;
  /** Whether the child has ended already. */
  ended(): boolean;
  /** Lets a gated runner go on, with these variables added to its environment; its global setup then waits for `tellBot`. */
  openGate(env: Record<string, string>): void;
  /**
   * Tells the runner's global setup that the bot's start is over (ready, unreachable, or none to start),
   * with the variables the start made for the workers, and closes the gate's pipe.
   */
  tellBot(env: Record<string, string>): void;
  /** Stops a gated runner: before it begins, it exits at once, saying nothing; in its global setup, it fails. */
  closeGate(): void;
}

/** Runs Playwright's CLI with `args`; SIGINT and SIGTERM go on to it (as SIGINT), and it is killed if it lingers. */
export function runPlaywright(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<PlaywrightOutcome> {
  return startPlaywright(args, options).outcome;
}

/** Starts Playwright's CLI with `args` (gated: it waits at its config for `openGate`); signals are handled as in runPlaywright. */
export function startPlaywright(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; gated?: boolean }): PlaywrightChild {
  const capMs = stopCapMs(options.env);
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  // A run started from a Playwright test (confcall's self-tests) must not pass that test's worker identity to its runner:
  // the conformance spec takes TEST_WORKER_INDEX for the mark of a worker (harness/run/conformance.spec.ts).
  const { TEST_WORKER_INDEX: _worker, TEST_PARALLEL_INDEX: _parallel, ...inherited } = options.env;
  const env = noColourAsForceColour(options.gated ? { ...inherited, [START_GATE_ENV]: String(START_GATE_FD) } : inherited);
  const stdio: StdioOptions = options.gated ? ['inherit', 'inherit', 'inherit', 'pipe'] : 'inherit';
  const child = spawn(process.execPath, ['--require', SIGTERM_AS_SIGINT, cli, ...args], { cwd: options.cwd, env, stdio });
  const gate = options.gated ? (child.stdio[START_GATE_FD] as Writable) : undefined;
  gate?.on('error', () => undefined); // the runner gone before the gate opened: its exit says how it ended
  let interruptedBy: NodeJS.Signals | undefined;
  let interruptedAt: Date | undefined;
  let killed = false;
  let forced = false;
  let ended = false;
  const interruption = new AbortController();
  const timers: NodeJS.Timeout[] = [];
  const kill = (): void => {
    killed = true;
    child.kill('SIGKILL');
  };
  const forward = (signal: NodeJS.Signals): void => {
    if (interruptedAt) {
      // A second signal, not the same one again: stop at once (what Playwright wrote so far is completed by confcall).
      if (Date.now() - interruptedAt.getTime() < REPEAT_WINDOW_MS || killed) return;
      forced = true;
      return kill();
    }
    interruptedBy = signal;
    interruptedAt = new Date();
    interruption.abort();
    // Playwright winds down and writes its reports on SIGINT only; SIGTERM (a CI job's timeout, docker stop)
    // would end it at once, and the tests that finished would be lost. The exit code still says SIGTERM.
    child.kill('SIGINT');
    timers.push(setTimeout(kill, capMs));
    timers.push(setTimeout(() => console.error(`confcall: waiting for Playwright to write its reports (at most ${Math.round(capMs / 1000)} s); ${signal === 'SIGINT' ? 'Ctrl-C' : 'signal'} again to stop at once`), Math.min(NOTICE_AFTER_MS, capMs)));
  };
  process.on('SIGINT', forward).on('SIGTERM', forward);
  const outcome = new Promise<PlaywrightOutcome>((done) => {
    child.on('exit', (code, signal) => {
      ended = true;
      process.off('SIGINT', forward).off('SIGTERM', forward);
      for (const timer of timers) clearTimeout(timer);
      done({ code: code ?? (signal ? 130 : 1), interruptedBy, interruptedAt, killed, forced });
    });
  });
  return {
    outcome,
    interruptedBy: () => interruptedBy,
    interrupted: interruption.signal,
    ended: () => ended,
    openGate: (added) => void gate?.write(gateWordLine({ env: added })),
    tellBot: (added) => void gate?.end(botWordLine({ env: added })),
    closeGate: () => void gate?.end(),
  };
}

/**
 * A user's NO_COLOR (Jenkins sets it) passed on as FORCE_COLOR=0, which keeps Playwright's output as plain. Playwright
 * sets FORCE_COLOR=1 for its workers, and Node 22 and later warn at each worker's start when NO_COLOR is set beside it
 * ("The 'NO_COLOR' env is ignored due to the 'FORCE_COLOR' env being set"; microsoft/playwright#26430).
 */
export function noColourAsForceColour(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (!env.NO_COLOR) return env;
  const { NO_COLOR: _noColour, ...rest } = env;
  return { ...rest, FORCE_COLOR: rest.FORCE_COLOR ?? '0' };
}

/** The conventional exit code of a process ended by `signal` (128 + its number). */
export function exitCodeForSignal(signal: NodeJS.Signals): number {
  return signal === 'SIGTERM' ? 143 : 130;
}
