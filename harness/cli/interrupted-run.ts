import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { markReportsInterrupted } from '../report/interrupted.js';
import { exitCodeForSignal } from './playwright-child.js';

/** After Ctrl-C (or SIGTERM): marks the partial reports as interrupted, says so, and gives the signal's exit code. */
export function reportInterruption(outDir: string, signal: NodeJS.Signals, killed: boolean | undefined, reporters: string[]): number {
  const message = `the run was interrupted by ${signal}${killed ? ' (Playwright did not stop in time and was killed)' : ''}; the tests it did not finish are reported as skipped or interrupted`;
  markReportsInterrupted(outDir, { signal, at: new Date().toISOString(), message }, reporters.map((r) => r.trim()));
  const stats = readStats(join(outDir, 'results.json'));
  const counts = stats ? ` (${stats.expected} passed, ${stats.unexpected} failed, ${stats.skipped} skipped or not run)` : '';
  console.error(`confcall: ${message}${counts}; partial reports in ${relative(process.cwd(), outDir) || '.'}/`);
  return exitCodeForSignal(signal);
}

function readStats(file: string): { expected: number; unexpected: number; skipped: number } | undefined {
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as { stats?: { expected: number; unexpected: number; skipped: number } }).stats;
}
