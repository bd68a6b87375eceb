/**
 * The machine-readable end of a run, for CI gates: `summary.json` (totals, every test with the
 * rules it broke, a verdict per requirement, the comparison with a baseline) and a JUnit file with
 * one testcase per requirement × scenario.
 */
import type { Requirement } from '../model/requirement.js';
import { requirementVerdicts, type RequirementVerdict, type TestOutcome } from './certification.js';
import type { Interruption } from './interrupted.js';

/** `summary.json`. */
export interface RunSummary {
  tool: 'confcall';
  schemaVersion: 3;
  target: string;
  seed: number;
  /**
   * `interrupted` when the run was stopped before it finished, whatever the tests that finished did: it is no complete run.
   * `fail` too when the bot could not be reached (`unreachable` says why): a run that judged nothing after it passed nothing.
   */
  result: 'pass' | 'fail' | 'interrupted';
  /**
   * `unfinished`: tests the run stopped before they finished (cut off, or never started), as an interrupted run does.
   * `notApplicable`: tests of scenarios the bot cannot be judged on (a capability it does not declare), not counted as skipped.
   */
  totals: { passed: number; failed: number; skipped: number; notApplicable: number; unfinished: number };
  tests: Array<{ id: string; scenario: string; status: TestOutcome['status']; brokenRules: string[]; requirements: string[]; message?: string; findings: TestOutcome['findings']; judged: string[] }>;
  requirements: RequirementVerdict[];
  /** Present when the run was compared with a baseline (for an interrupted run, the tests that finished). */
  baseline?: BaselineComparison;
  /** Present when the run was interrupted (Ctrl-C, SIGTERM): by which signal, when, and what that means for the reports. */
  interrupted?: Interruption;
  /** Present when the bot could not be reached (exit 3): what confcall found. */
  unreachable?: { message: string };
}

/** How a run compares with an earlier one: only new failures fail a baseline run. */
export interface BaselineComparison {
  file: string;
  newFailures: string[];
  knownFailures: string[];
  fixed: string[];
}

/** The scenario a test belongs to: `suite/scenario` without the ` · property` suffix. */
export function scenarioOf(testId: string): string {
  return testId.split(' · ')[0]!;
}

/** Builds the summary of a run from its test outcomes. */
export function summarizeRun(
  outcomes: TestOutcome[],
  requirements: Requirement[],
  meta: { target: string; seed: number; interrupted?: Interruption; unreachable?: string },
  baseline?: { file: string; summary: Pick<RunSummary, 'tests'> },
): RunSummary {
  const comparison = baseline ? compareWithBaseline(outcomes, baseline.file, baseline.summary) : undefined;
  const counted = (status: TestOutcome['status']) => outcomes.filter((o) => o.status === status).length;
  const failed = counted('failed');
  const unfinished = counted('unfinished');
  // A test that did not finish passed nothing, so a run with one does not pass, baseline or not.
  const passes = unfinished === 0 && (comparison ? comparison.newFailures.length === 0 : failed === 0);
  return {
    tool: 'confcall',
    schemaVersion: 3,
    target: meta.target,
    seed: meta.seed,
    result: meta.interrupted ? 'interrupted' : passes && !meta.unreachable ? 'pass' : 'fail',
    totals: { passed: counted('passed'), failed, skipped: counted('skipped'), notApplicable: counted('not applicable'), unfinished },
    tests: outcomes.map((o) => ({
      id: o.id,
      scenario: scenarioOf(o.id),
      status: o.status,
      brokenRules: o.brokenRules,
      requirements: o.tags,
      findings: o.findings,
      judged: o.judged,
      ...(o.status === 'failed' && { message: o.message.split('\n').slice(0, 8).join('\n') }),
      ...(o.status === 'not applicable' && o.skipReason && { reason: o.skipReason }),
    })),
    requirements: requirementVerdicts(requirements, outcomes),
    ...(comparison && { baseline: comparison }),
    ...(meta.interrupted && { interrupted: meta.interrupted }),
    ...(meta.unreachable && { unreachable: { message: meta.unreachable } }),
  };
}

/** New failures (failed now, not in the baseline), known ones, and fixed ones (failed then, pass now). */
export function compareWithBaseline(outcomes: TestOutcome[], file: string, baseline: Pick<RunSummary, 'tests'>): BaselineComparison {
  const before = new Set(baseline.tests.filter((t) => t.status === 'failed').map((t) => t.id));
  const failedNow = outcomes.filter((o) => o.status === 'failed').map((o) => o.id);
  return {
    file,
    newFailures: failedNow.filter((id) => !before.has(id)).sort(),
    knownFailures: failedNow.filter((id) => before.has(id)).sort(),
    fixed: outcomes.filter((o) => o.status === 'passed' && before.has(o.id)).map((o) => o.id).sort(),
  };
}

/**
 * JUnit XML with one `testsuite` per requirement and one `testcase` per scenario that checks it:
 * the scenarios tagged with it, and for a protocol rule every scenario that ran. A testcase fails
 * when a failure finding of one of the scenario's tests names that requirement. Otherwise it is skipped when all the scenario's
 * tests were, when one of them did not finish (an interrupted run), or, for a scenario requirement, when none of them judged
 * it (a premise that did not hold, a run stopped before its steps, a check a target without a probe cannot make): that is no pass.
 */
export function requirementsJunit(summary: RunSummary, requirements: Requirement[]): string {
  const byScenario = new Map<string, RunSummary['tests']>();
  for (const t of summary.tests) byScenario.set(t.scenario, [...(byScenario.get(t.scenario) ?? []), t]);
  const totals = { tests: 0, failures: 0, skipped: 0 };
  // As in junit.xml of an interrupted run (report/interrupted.ts): every testsuite says so.
  const interrupted = summary.interrupted ? `    <properties>\n      <property name="interrupted" value="${xml(summary.interrupted.message)}"/>\n    </properties>\n` : '';
  const suites = requirements.map((r) => {
    const cases = [...byScenario].flatMap(([scenario, tests]) => {
      const relevant = r.rule ? tests : tests.filter((t) => t.requirements.includes(r.id));
      if (!relevant.length) return [];
      // A testcase fails only where a failure finding names this requirement, not because its scenario failed on another.
      const broken = relevant.filter((t) => t.status === 'failed' && (t.findings ?? []).some((f) => f.severity === 'failure' && f.requirements.includes(r.id)));
      // A scenario passes a requirement only when its tests ran to the end: one the run did not finish leaves it unjudged.
      const unfinished = !broken.length && relevant.some((t) => t.status === 'unfinished');
      const allSkipped = relevant.every((t) => t.status === 'skipped' || t.status === 'not applicable');
      // A requirement the scenario names passes only where a finished test judged it: its steps all ran and could check
      // (the same ground as the requirement verdicts). A run stopped by another step's failure, a premise that did not hold
      // (PREMISE), a probe step on a target without a probe: no pass. A protocol rule the scenario does not name is checked
      // on every transcript that ran.
      const named = relevant.some((t) => t.requirements.includes(r.id));
      const judged = relevant.some((t) => (t.status === 'passed' || t.status === 'failed') && t.judged.includes(r.id));
      const notJudged = !named || broken.length || unfinished || allSkipped || judged ? undefined : notJudgedMessage(relevant);
      return [{ scenario, skipped: unfinished || !!notJudged || allSkipped, notApplicable: relevant.every((t) => t.status === 'not applicable'), unfinished, notJudged, broken }];
    });
    const counts = { tests: cases.length, failures: cases.filter((c) => c.broken.length).length, skipped: cases.filter((c) => c.skipped).length };
    totals.tests += counts.tests;
    totals.failures += counts.failures;
    totals.skipped += counts.skipped;
    const body = cases
      .map((c) => {
        const open = `    <testcase classname="${xml(r.id)}" name="${xml(c.scenario)}">`;
        if (c.broken.length) return `${open}\n      <failure message="${xml(`${r.id} broken in ${c.broken.map((t) => t.id).join(', ')}`)}">${xml(c.broken.map((t) => `${t.id}\n${t.message ?? ''}`).join('\n\n'))}</failure>\n    </testcase>`;
        if (c.unfinished) return `${open}\n      <skipped message="not finished: the run stopped before its tests did"/>\n    </testcase>`;
        if (c.notJudged) return `${open}\n      <skipped message="${xml(c.notJudged)}"/>\n    </testcase>`;
        if (c.notApplicable) return `${open}\n      <skipped message="not applicable to the bot"/>\n    </testcase>`;
        if (c.skipped) return `${open}\n      <skipped/>\n    </testcase>`;
        return `${open}</testcase>`;
      })
      .join('\n');
    return `  <testsuite name="${xml(`${r.id} [${r.level}] ${r.title}`)}" tests="${counts.tests}" failures="${counts.failures}" skipped="${counts.skipped}" errors="0">\n${interrupted}${body}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="confcall requirements" tests="${totals.tests}" failures="${totals.failures}" skipped="${totals.skipped}" errors="0">\n${suites.join('\n')}\n</testsuites>\n`;
}

/** Why a scenario's finished tests did not judge a requirement they are tagged with, from their findings. */
function notJudgedMessage(tests: RunSummary['tests']): string {
  const premise = tests.find((t) => (t.findings ?? []).some((f) => f.rule === 'PREMISE' && f.severity === 'failure'));
  if (premise) return `not judged: its premise did not hold in ${premise.id} (PREMISE)`;
  if (tests.some((t) => t.status === 'failed')) return 'not judged: the run stopped at a failure before its steps for it';
  return 'not judged: its steps for it ran without checking (a probe step on a target without a probe)';
}

function xml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}
