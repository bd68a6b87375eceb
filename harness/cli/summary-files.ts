/**
 * The CI-gate files every run leaves beside its reports (`summary.json`, `requirements-junit.xml`),
 * and the baseline gate: one place for `confcall run`, `confcall merge-reports` and an
 * interrupted run, so that they write the same files and judge a baseline alike.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Requirement } from '../model/requirement.js';
import { outcomesOf } from '../report/certification.js';
import { cutOffByInterruption, type Interruption } from '../report/interrupted.js';
import { requirementsJunit, summarizeRun, type RunSummary } from '../report/run-summary.js';
import { REQUIREMENTS_JUNIT_FILE, SUMMARY_FILE } from './summary-file-names.js';
import { UsageError } from './usage.js';


/** A baseline: the `summary.json` of an earlier run, and where it was read from. */
export interface Baseline {
  file: string;
  summary: Pick<RunSummary, 'tests'>;
}

/** Reads a baseline (`--baseline FILE`); anything but a confcall summary is a usage error. */
export function readBaseline(file: string): Baseline {
  let summary: Partial<RunSummary>;
  try {
    summary = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--baseline ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not JSON (${(error as Error).message})`}; give the ${SUMMARY_FILE} of an earlier run`);
  }
  if (summary?.tool !== 'confcall' || !Array.isArray(summary.tests)) throw new UsageError(`--baseline ${file}: not a confcall ${SUMMARY_FILE} (no "tests" list); give the ${SUMMARY_FILE} of an earlier run`);
  const odd = summary.tests.findIndex((t) => typeof t?.id !== 'string' || typeof t?.status !== 'string');
  if (odd >= 0) throw new UsageError(`--baseline ${file}: tests[${odd}] has no "id" and "status"; give the ${SUMMARY_FILE} of an earlier run, unedited`);
  return { file, summary: { tests: summary.tests } };
}

/** What a summary is made of besides the JSON report in `outDir`. */
export interface SummaryInputs {
  outDir: string;
  requirements: Requirement[];
  target: string;
  seed: number;
  baseline?: Baseline;
  /** The run was stopped before it finished: the summary says so, and counts no unfinished test as passed. */
  interrupted?: Interruption;
  /** The bot could not be reached (exit 3): what confcall found; the summary then passes nothing. */
  unreachable?: string;
  /** `outDir/results.json` when the caller has parsed it already (2 MB for the shipped suites: about 20 ms a parse). */
  report?: unknown;
}

/** Writes `summary.json` and the requirements JUnit from `outDir/results.json`; undefined when there is no JSON report. */
export function writeSummaryFiles(run: SummaryInputs): RunSummary | undefined {
  const results = join(run.outDir, 'results.json');
  if (run.report === undefined && !existsSync(results)) return undefined;
  const outcomes = cutOffByInterruption(outcomesOf((run.report ?? JSON.parse(readFileSync(results, 'utf8'))) as Parameters<typeof outcomesOf>[0]), run.interrupted);
  const summary = summarizeRun(outcomes, run.requirements, { target: run.target, seed: run.seed, interrupted: run.interrupted, unreachable: run.unreachable }, run.baseline);
  writeFileSync(join(run.outDir, SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(join(run.outDir, REQUIREMENTS_JUNIT_FILE), requirementsJunit(summary, run.requirements));
  return summary;
}

/**
 * Writes the summary files of a finished run; with a baseline, the exit code then says whether
 * there are new failures (known ones from the baseline do not fail the run). `exit` is the run's
 * own; a baseline judges only 0 and 1 (an unreachable bot, 3, or a bad run, 2, stays what it is).
 */
export function writeRunSummary(run: SummaryInputs & { exit: number }): number {
  const summary = writeSummaryFiles(run);
  const warned = summary ? warningsLine(summary) : undefined;
  if (warned) console.log(warned);
  return summary && (run.exit === 0 || run.exit === 1) ? baselineVerdict(summary, run.exit) : run.exit;
}

/** What warned, by requirement (or check), with how many tests: a passing run must not hide them. Undefined when nothing warned. */
export function warningsLine(summary: RunSummary): string | undefined {
  const tests = new Map<string, number>();
  for (const test of summary.tests) {
    const names = new Set(test.findings.filter((f) => f.severity === 'warning').flatMap((f) => (f.requirements.length ? f.requirements : [f.rule])));
    for (const name of names) tests.set(name, (tests.get(name) ?? 0) + 1);
  }
  if (!tests.size) return undefined;
  const listed = [...tests].sort(([a], [b]) => a.localeCompare(b)).map(([name, n]) => `${name} in ${n} test${n === 1 ? '' : 's'}`);
  return `confcall: warnings (failures with --strict): ${listed.join(', ')}; their findings are in summary.json`;
}

/** Prints new, known and fixed failures against the baseline and gives the exit code; without a baseline, the run's own. */
function baselineVerdict(summary: RunSummary, exit: number): number {
  if (!summary.baseline) return exit;
  const { newFailures, knownFailures, fixed } = summary.baseline;
  for (const id of newFailures) console.error(`confcall: new failure (not in the baseline): ${id}`);
  for (const id of fixed) console.log(`confcall: fixed since the baseline: ${id}`);
  console.log(`confcall: against the baseline ${relative(process.cwd(), summary.baseline.file)}: ${newFailures.length} new failure(s), ${knownFailures.length} known, ${fixed.length} fixed`);
  if (newFailures.length) return 1;
  // Playwright failed without a failing test (an error outside the tests): the baseline cannot excuse that.
  return exit === 1 && knownFailures.length === 0 ? 1 : 0;
}
