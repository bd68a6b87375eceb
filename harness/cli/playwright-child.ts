import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

/** How a Playwright child process ended, and the signal that stopped it if confcall was interrupted. */
export interface PlaywrightOutcome {
  code: number;
  interruptedBy?: NodeJS.Signals;
  /** When that signal came. */
  interruptedAt?: Date;
  /** Playwright did not stop within the grace time after the signal, and was killed. */
  killed?: boolean;
}

/** Time Playwright gets to stop and write its reports after Ctrl-C: a few hundred ms when the machine is idle. */
const STOP_GRACE_MS = 1200;

/** Runs Playwright's CLI with `args`; SIGINT and SIGTERM go on to it (as SIGINT), and it is killed if it lingers. */
export function runPlaywright(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; onInterrupt?: (signal: NodeJS.Signals) => void }): Promise<PlaywrightOutcome> {
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  return new Promise((done) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: options.cwd, env: options.env, stdio: 'inherit' });
    let interruptedBy: NodeJS.Signals | undefined;
    let interruptedAt: Date | undefined;
    let killed = false;
    let watchdog: NodeJS.Timeout | undefined;
    const forward = (signal: NodeJS.Signals): void => {
      interruptedBy ??= signal;
      interruptedAt ??= new Date();
      // Playwright winds down and writes its reports on SIGINT only; SIGTERM (a CI job's timeout, docker stop)
      // would end it at once, and the tests that finished would be lost. The exit code still says SIGTERM.
      child.kill('SIGINT');
      options.onInterrupt?.(signal);
      watchdog ??= setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, STOP_GRACE_MS);
    };
    process.on('SIGINT', forward).on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward).off('SIGTERM', forward);
      clearTimeout(watchdog);
      done({ code: code ?? (signal ? 130 : 1), interruptedBy, interruptedAt, killed });
    });
  });
}

/** The conventional exit code of a process ended by `signal` (128 + its number). */
export function exitCodeForSignal(signal: NodeJS.Signals): number {
  return signal === 'SIGTERM' ? 143 : 130;
}
