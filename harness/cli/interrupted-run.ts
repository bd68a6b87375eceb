import { relative } from 'node:path';
import { markReportsInterrupted } from '../report/interrupted.js';
import { exitCodeForSignal } from './playwright-child.js';
import { SUMMARY_FILE } from './summary-file-names.js';
import { writeSummaryFiles, type SummaryInputs } from './summary-files.js';

/**
 * After Ctrl-C (or SIGTERM): marks the partial reports as interrupted, writes the summary files
 * from the tests that finished (marked interrupted, so no CI gate takes them for a whole run),
 * says so, and gives the signal's exit code whatever the tests did.
 */
export function reportInterruption(run: Omit<SummaryInputs, 'interrupted'> & { signal: NodeJS.Signals; at: Date; killed: boolean | undefined; forced?: boolean; reporters: string[] }): number {
  const { outDir, signal } = run;
  const message = `the run was interrupted by ${signal}${killedNote(run)}; the tests it did not finish are reported as skipped or interrupted, and as unfinished in ${SUMMARY_FILE}`;
  const interruption = { signal, at: run.at.toISOString(), message };
  markReportsInterrupted(outDir, interruption, run.reporters.map((r) => r.trim()));
  const summary = writeSummaryFiles({ ...run, interrupted: interruption });
  // markReportsInterrupted leaves a results.json (a minimal one if Playwright wrote none), so there is a summary.
  const counts = summary ? ` (${summary.totals.passed} passed, ${summary.totals.failed} failed, ${summary.totals.skipped} skipped, ${summary.totals.unfinished} unfinished)` : '';
  console.error(`confcall: ${message}${counts}; partial reports in ${relative(process.cwd(), outDir) || '.'}/`);
  return exitCodeForSignal(signal);
}

/** Why Playwright was killed, if it was: its reports are then completed by confcall (markReportsInterrupted). */
function killedNote(run: { killed: boolean | undefined; forced?: boolean }): string {
  if (!run.killed) return '';
  return run.forced ? ' (a second signal stopped Playwright at once, before it had written its reports)' : ' (Playwright did not stop in time and was killed)';
}
