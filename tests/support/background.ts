import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, type CliResult } from './cli.js';

/** A confcall command left running (a recorder), to be stopped by a signal as a user stops it with Ctrl-C. */
export interface BackgroundConfcall {
  /** Resolves once stdout contains `text` (rejects if the command ends first or after `timeoutMs`). */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  /** What it printed on stdout so far. */
  output(): string;
  /** Sends the signal and resolves with the outcome once the command has ended. */
  stop(signal?: NodeJS.Signals): Promise<CliResult>;
}

/** Starts `confcall ARGS` in the background, as a user would from a second terminal. */
export function startConfcall(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): BackgroundConfcall {
  const child = spawn(process.execPath, [join(ROOT, 'bin/confcall.js'), ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', CI: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const ended = new Promise<CliResult>((done) => child.on('exit', (code) => done({ code: code ?? -1, stdout, stderr })));
  // A test that fails half way must not leave the recorder holding its port.
  process.once('exit', () => child.kill('SIGKILL'));
  return {
    waitFor: (text, timeoutMs = 10_000) =>
      new Promise<void>((done, fail) => {
        const deadline = Date.now() + timeoutMs;
        const poll = (): void => {
          if (stdout.includes(text)) return done();
          if (child.exitCode !== null) return fail(new Error(`confcall ${args.join(' ')} ended (${child.exitCode}) before printing "${text}"\n${stdout}\n${stderr}`));
          if (Date.now() > deadline) return fail(new Error(`confcall ${args.join(' ')} did not print "${text}" in ${timeoutMs} ms\n${stdout}\n${stderr}`));
          setTimeout(poll, 50);
        };
        poll();
      }),
    output: () => stdout,
    stop: (signal = 'SIGINT') => {
      child.kill(signal);
      return ended;
    },
  };
}
