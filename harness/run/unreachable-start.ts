/**
 * A bot that could not be started, as the global setup reports it: `confcall run` (or the global setup
 * itself) left its message and output in UNREACHABLE_FILE. Its own module: the global setup of a
 * confcall run reads it without loading the bot's start (the run's CA, the proxy).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UNREACHABLE_FILE } from './run-files.js';

/**
 * The global setup's error for a bot that could not be started: its message and the bot's last
 * lines, no stack (Playwright prints a stack's frames; the bot's output is the place to look).
 */
export function unreachableFailure(message: string, output: string): Error {
  const failure = new Error(`${message}\n--- bot output (last lines) ---\n${output.split('\n').slice(-20).join('\n')}`);
  failure.stack = failure.message;
  return failure;
}

/** What `confcall run` left in UNREACHABLE_FILE when it could not start the bot, if it could not. */
export function unreachableStart(outPath: string): { message: string; output?: string } | undefined {
  const file = join(outPath, UNREACHABLE_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { message: string; output?: string }) : undefined;
}
