/**
 * What one conformance test found, as data: its steps with their payloads, its annotations and
 * attachments, and how it ends. The work (harness/run/scenario-tests.ts) builds it, possibly before
 * Playwright starts the test (harness/run/run-ahead.ts); the spec then replays it into Playwright's
 * TestInfo, so a report is the same whenever the work ran.
 */
import type { SourcePosition } from '../model/position.js';
import type { Finding } from '../model/transcript.js';
import { brokenRules, findingRecord, formatFinding } from '../oracle/verdict.js';
import type { StepHooks } from './scenario-run.js';

/** One scenario step as the test shows it: `test.step` with its title, YAML position and payloads. */
export interface StepRecord {
  title: string;
  location?: SourcePosition;
  payloads: Array<{ name: string; value: unknown }>;
  /** The step failed with this error (the run caught it and went on, or stopped). */
  error?: Error;
}

/** A file (or text) attached to the test. */
export interface TestAttachment {
  name: string;
  contentType: string;
  body: string;
  /** Written into the test's output folder under this name and linked, rather than inlined. */
  file?: string;
}

/** How a test ends, and everything it reports on the way. */
export interface TestOutcome {
  steps: StepRecord[];
  annotations: Array<{ type: string; description: string }>;
  attachments: TestAttachment[];
  /** Skipped, and why (annotations are still reported). */
  skip?: string;
  /** The bot could not be reached: the run says nothing about conformance. */
  unreachable?: string;
  /** Failed, with this message (the findings are in the annotations as data). */
  failure?: string;
}

/** An empty outcome, to be filled by a test's work. */
export function newOutcome(): TestOutcome {
  return { steps: [], annotations: [], attachments: [] };
}

/** Step hooks that record each step into `outcome` (replayed later as `test.step`). */
export function recordingSteps(outcome: TestOutcome): StepHooks {
  return {
    async step(title, location, body) {
      const record: StepRecord = { title, location, payloads: [] };
      outcome.steps.push(record);
      try {
        await body(async (name, value) => void record.payloads.push({ name, value }));
      } catch (error) {
        record.error = error as Error;
        throw error;
      }
    },
  };
}

/**
 * Records what the run judged and every finding as data (`judged`, `finding` annotations, read by
 * report/ into requirement verdicts), and shows warnings and test-hook deviations as text.
 */
export function noteJudging(outcome: TestOutcome, findings: Finding[], judged: string[]): void {
  for (const requirement of judged) outcome.annotations.push({ type: 'judged', description: requirement });
  for (const f of findings) {
    outcome.annotations.push({ type: 'finding', description: JSON.stringify(findingRecord(f)) });
    if (f.severity === 'warning') outcome.annotations.push({ type: 'warning', description: formatFinding(f) });
    if (f.severity === 'deviation') outcome.annotations.push({ type: 'test-hook deviation', description: formatFinding(f) });
  }
}

/**
 * Names each broken rule (a requirement id, or where none owns the check `STEP`, `PREMISE`, `CONVERGENCE`, ...) in an annotation, so that
 * summaries and CI gates read them from the JSON report instead of parsing messages.
 */
export function noteBrokenRules(outcome: TestOutcome, findings: Finding[]): void {
  for (const rule of brokenRules(findings)) outcome.annotations.push({ type: 'broken-rule', description: rule });
}

/** Attaches text as a file, so reporters link it instead of printing it. */
export function attachFile(outcome: TestOutcome, name: string, file: string, body: string): void {
  const contentType = file.endsWith('.html') ? 'text/html' : file.endsWith('.json') ? 'application/json' : 'text/plain';
  outcome.attachments.push({ name, contentType, body, file });
}
