/**
 * The verdict on a run, as data: its findings split by severity, the requirements it judged, and
 * whether it passed. Every caller (the Playwright project, the in-process API, exploration) judges
 * with these functions, and every report reads their data, never the message text.
 */
import type { Step } from '../model/suite.js';
import type { Finding, FindingRecord, TranscriptEvent } from '../model/transcript.js';
import { observedBehaviour, type ObservedBehaviour } from './order-independence.js';
import { runBehaviourDifference } from './same-behaviour.js';
import { exercisedRules } from './rules/index.js';
import type { RunFacts } from './rules/rule.js';

/** What one run of a scenario showed. */
export interface RunVerdict {
  passed: boolean;
  failures: Finding[];
  warnings: Finding[];
  /** Test-hook conventions not kept: listed, never failing. */
  deviations: Finding[];
  /** The requirements the run judged; the others it says nothing about. */
  judged: string[];
  /** Set when the bot could not be reached: the run says nothing about conformance. */
  unreachable?: string;
}

/** What the verdict is made from: a run's findings, what it judged, and whether the bot was there. */
export interface JudgedRun {
  findings: Finding[];
  judged: string[];
  unreachable?: string;
}

/** The verdict on a run: it passed when the bot was reached and nothing failed. */
export function verdictOf(run: JudgedRun): RunVerdict {
  const failures = run.findings.filter((f) => f.severity === 'failure');
  return {
    passed: !run.unreachable && failures.length === 0,
    failures,
    warnings: run.findings.filter((f) => f.severity === 'warning'),
    deviations: run.findings.filter((f) => f.severity === 'deviation'),
    judged: run.judged,
    ...(run.unreachable !== undefined && { unreachable: run.unreachable }),
  };
}

/**
 * The requirements a run judged: the protocol rules it gave something to check, every requirement
 * a finding names, and each of the scenario's own requirements none of whose steps went unjudged
 * (a run a step failure stopped judged the requirements of the steps it got through, not those of
 * the steps it never reached). A step belongs to the requirements its `checks:` names, else to all.
 * A run whose premise failed (`PREMISE`) judged none of the scenario's own: the call they are about never was.
 */
export function judgedRequirements(transcript: TranscriptEvent[], facts: RunFacts, findings: Finding[], owned: string[], unjudgedSteps: Step[]): string[] {
  const premiseFailed = findings.some((f) => f.rule === 'PREMISE' && f.severity === 'failure');
  const kept = premiseFailed ? [] : owned.filter((id) => !unjudgedSteps.some((step) => (step.checks ?? owned).includes(id)));
  return [...new Set([...exercisedRules(transcript, facts), ...findings.flatMap((f) => f.requirements ?? []), ...kept])].sort();
}

/**
 * Findings of a check beyond the documents (a robustness schedule or payload variant): `inferred`
 * SHOULD, so warnings, failures only with `--strict`. They name no requirement: the bot kept every
 * requirement under what the documents show, and these say how it copes with what they do not.
 */
export function asRobustness(findings: Finding[], strict: boolean, because?: string): Finding[] {
  return findings.map((f) =>
    f.severity === 'deviation' ? f : { ...f, requirements: [], basis: 'inferred', level: 'SHOULD', severity: strict ? 'failure' : 'warning', ...(because && { because: f.because ? `${because}; ${f.because}` : because }) },
  );
}

/**
 * The failures of one explored run (a schedule, a payload variant): its own, an unreachable bot, or
 * else behaviour that differs from the documented run's.
 */
export function explorationFailures(run: JudgedRun & { transcript: TranscriptEvent[]; runToRecorded: Map<string, string> }, baseline: ExplorationBaseline): Finding[] {
  const failures = verdictOf(run).failures;
  if (run.unreachable) return [...failures, { rule: 'BOT-REACHABLE', basis: 'document', level: 'MUST', actual: `could not be reached: ${run.unreachable}`, expected: 'an answer to every notification', severity: 'failure' }];
  if (failures.length) return failures;
  // A final view that misses Graph's truth only in this run (CONVERGENCE, a warning by itself) is behaviour the order changed.
  const diverged = baseline.diverged ? undefined : run.findings.find((f) => f.rule === 'CONVERGENCE');
  const difference = diverged ? `${diverged.actual}, where under the documented order its view held what Graph told it` : runBehaviourDifference(baseline, run.transcript, run.runToRecorded);
  if (!difference) return [];
  return [{ rule: 'ORDER-INDEPENDENCE', basis: 'document', level: 'MUST', actual: difference, expected: 'the same requests and the same final view as under the documented order', because: 'a bot must behave the same whatever order the documents allow notifications to arrive in', severity: 'failure' }];
}

/** What explored runs are held to: the documented run's behaviour, and whether its final view already missed Graph's truth. */
export type ExplorationBaseline = ObservedBehaviour & { diverged: boolean };

/** The baseline of a scenario's explored runs (schedules, payload variants), from its documented run. */
export function explorationBaseline(documented: JudgedRun & { transcript: TranscriptEvent[]; runToRecorded: Map<string, string> }): ExplorationBaseline {
  return { ...observedBehaviour(documented.transcript, documented.runToRecorded), diverged: documented.findings.some((f) => f.rule === 'CONVERGENCE') };
}

/** The requirement ids (or, where none owns it, the check: `STEP`, `PREMISE`, `CONVERGENCE`) that failures broke. */
export function brokenRules(findings: Finding[]): string[] {
  return [...new Set(findings.filter((f) => f.severity === 'failure').flatMap((f) => (f.requirements?.length ? f.requirements : [f.rule])))];
}

/** A finding's facts for reports: what broke, on what basis, where (the texts stay in the message). */
export function findingRecord(f: Finding): FindingRecord {
  const text = (value: string | undefined) => (value === undefined ? undefined : value.length > RECORD_TEXT_LIMIT ? `${value.slice(0, RECORD_TEXT_LIMIT)}…` : value);
  return {
    rule: f.rule, requirements: f.requirements ?? [], ...(f.fragment && { fragment: f.fragment }), basis: f.basis ?? 'document', level: f.level ?? 'MUST', severity: f.severity,
    ...(f.stepIndex !== undefined && { step: f.stepIndex + 1 }), ...(f.where && { where: f.where }),
    actual: text(f.actual), expected: text(f.expected), ...(f.because && { because: text(f.because) }),
  };
}

/** How much of a finding's texts a record keeps: enough to read, not a payload dump. */
const RECORD_TEXT_LIMIT = 1000;

/** How a message names a finding's check: `step 3` for a scenario step, `PREMISE step 2` for a fragment's, else the rule. */
function checkTitle(f: Pick<Finding, 'rule' | 'stepIndex'>): string {
  const step = `step ${(f.stepIndex ?? 0) + 1}`;
  return f.rule === 'STEP' ? step : f.rule === 'PREMISE' && f.stepIndex !== undefined ? `PREMISE ${step}` : f.rule;
}

/** Renders a finding for a failure message. */
export function formatFinding(f: Finding): string {
  const lines = [`${checkTitle(f)}${f.where ? ` (${f.where})` : ''}`, `  bot did:   ${f.actual}`, `  required:  ${f.expected}`];
  if (f.because) lines.push(`  because:   ${f.because}`);
  return lines.join('\n');
}
