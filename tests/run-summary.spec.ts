import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { XMLParser } from 'fast-xml-parser';
import type { Requirement } from '../harness/model/requirement.js';
import { outcomesOf, requirementVerdicts, type FindingRecord, type TestOutcome } from '../harness/report/certification.js';
import { cutOffByInterruption } from '../harness/report/interrupted.js';
import { compareWithBaseline, requirementsJunit, summarizeRun } from '../harness/report/run-summary.js';
import { confcall, portsFor, tempDir } from './support/cli.js';
import { checkedSummary, readSummary } from './support/summary-file.js';

const at = { file: 'requirements.yaml', line: 1, col: 1 };
const requirement = (id: string, rule = false): Requirement => ({ id, level: 'MUST', basis: 'document', levelFrom: 'w', title: `${id} title`, source: 's', quote: 'q', rule, position: at });
/** A failure finding that breaks these requirements. */
const broke = (rule: string, requirements: string[]): FindingRecord => ({ rule, requirements, basis: 'document', level: 'MUST', severity: 'failure' });
const outcome = (id: string, status: TestOutcome['status'], tags: string[] = [], findings: FindingRecord[] = [], judged: string[] = status === 'skipped' ? [] : tags): TestOutcome => ({
  id, status, tags, message: `${id} failed\nbecause <of> "this" & that`, brokenRules: [...new Set(findings.flatMap((f) => f.requirements))], findings, judged,
});

const requirements = [requirement('TRANSFER-FAIL-ESTABLISHED'), requirement('HOLD-ONE-AT-A-TIME', true)];
const outcomes = [
  outcome('transfer/failed', 'passed', ['TRANSFER-FAIL-ESTABLISHED']),
  outcome('transfer/failed · any documented order', 'failed', ['TRANSFER-FAIL-ESTABLISHED'], [broke('STEP', ['TRANSFER-FAIL-ESTABLISHED'])]),
  outcome('hold-music/two', 'failed', [], [broke('HOLD-ONE-AT-A-TIME', ['HOLD-ONE-AT-A-TIME'])], ['HOLD-ONE-AT-A-TIME']),
  outcome('hold-music/one', 'passed', [], [], ['HOLD-ONE-AT-A-TIME']),
  outcome('lobby/guest', 'skipped'),
];

test('the JUnit of requirements has one testcase per requirement × scenario, failing only where that requirement broke', () => {
  const summary = summarizeRun(outcomes, requirements, { target: 't', seed: 1 });
  const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(requirementsJunit(summary, requirements));
  const cases = parsed.testsuites.testsuite.flatMap((s: any) => s.testcase.map((c: any) => `${c['@_classname']} × ${c['@_name']}: ${c.failure ? 'failed' : c.skipped !== undefined ? 'skipped' : 'passed'}`));
  expect(cases).toEqual([
    'TRANSFER-FAIL-ESTABLISHED × transfer/failed: failed',
    // a rule is checked in every scenario that ran, and fails only where the rule itself broke
    'HOLD-ONE-AT-A-TIME × transfer/failed: passed',
    'HOLD-ONE-AT-A-TIME × hold-music/two: failed',
    'HOLD-ONE-AT-A-TIME × hold-music/one: passed',
    'HOLD-ONE-AT-A-TIME × lobby/guest: skipped',
  ]);
  expect(parsed.testsuites['@_tests']).toBe('5');
  expect(parsed.testsuites['@_failures']).toBe('2');
  expect(parsed.testsuites.testsuite[0].testcase[0].failure['#text']).toContain('because <of> "this" & that');
});

test('in the JUnit of requirements a scenario requirement no finished test judged is skipped with the reason, never passed', () => {
  const tagged = ['TRANSFER-FAIL-ESTABLISHED'];
  const cases = (found: TestOutcome[]) => {
    const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(requirementsJunit(summarizeRun(found, requirements, { target: 't', seed: 1 }), requirements));
    return parsed.testsuites.testsuite[0].testcase.map((c: any) => `${c['@_name']}: ${c.failure ? 'failed' : c.skipped !== undefined ? `skipped ${c.skipped['@_message']}` : 'passed'}`);
  };
  // A probe step on a target without a probe ran without checking: the test passed, the requirement is not judged.
  expect(cases([outcome('transfer/graceful', 'passed', tagged, [], [])])).toEqual(['transfer/graceful: skipped not judged: its steps for it ran without checking (a probe step on a target without a probe)']);
  // A failure of another requirement stopped the run before the steps for this one.
  expect(cases([outcome('transfer/graceful', 'failed', tagged, [broke('STEP', ['TRANSFER-REQUEST-BODY'])], [])])).toEqual(['transfer/graceful: skipped not judged: the run stopped at a failure before its steps for it']);
  // Judged by one of the scenario's finished tests: a pass.
  expect(cases([outcome('transfer/graceful', 'passed', tagged, [], []), outcome('transfer/graceful · any documented order', 'passed', tagged)])).toEqual(['transfer/graceful: passed']);
});

test('the summary lists every test with the rules it broke and a verdict per requirement', () => {
  const summary = checkedSummary(summarizeRun(outcomes, requirements, { target: 'reference-bot', seed: 42 }));
  expect(summary.result).toBe('fail');
  expect(summary.totals).toEqual({ passed: 2, failed: 2, skipped: 1, notApplicable: 0, unfinished: 0 });
  expect(summary.tests.find((t) => t.id === 'hold-music/two')).toMatchObject({ scenario: 'hold-music/two', status: 'failed', brokenRules: ['HOLD-ONE-AT-A-TIME'] });
  expect(summary.tests.find((t) => t.id === 'transfer/failed · any documented order')?.scenario).toBe('transfer/failed');
  expect(summary.requirements.map((r) => `${r.id} ${r.verdict}`)).toEqual(['TRANSFER-FAIL-ESTABLISHED fail', 'HOLD-ONE-AT-A-TIME fail']);
});

test('a test that found the bot gone after the signal did not finish; one that failed otherwise, or before, did fail', () => {
  const at = '2026-01-02T03:04:05.000Z';
  const signalled = Date.parse(at);
  const failed = (id: string, message: string, endedAt: number): TestOutcome => ({ id, status: 'failed', tags: [], message, brokenRules: [], findings: [], judged: [], endedAt });
  const found = [
    failed('a/after', 'the bot could not be reached: http://127.0.0.1:3978/api/calls: ECONNREFUSED', signalled + 40),
    failed('a/before', 'the bot could not be reached: http://127.0.0.1:3978/api/calls: ECONNREFUSED', signalled - 40),
    failed('a/finding', 'a/finding: step 3\n  bot did: answered twice', signalled + 40),
  ];
  const cut = cutOffByInterruption(found, { signal: 'SIGINT', at, message: 'interrupted' });
  expect(cut.map((o) => `${o.id}: ${o.status}`)).toEqual(['a/after: unfinished', 'a/before: failed', 'a/finding: failed']);
  expect(cutOffByInterruption(found, undefined)).toBe(found);
  // The end of a test comes from its last result in Playwright's JSON report.
  const report = { suites: [{ title: 'a', specs: [{ title: 'x', ok: false, tags: [], tests: [{ status: 'unexpected', results: [{ status: 'failed', startTime: at, duration: 250, errors: [] }] }] }] }] };
  expect(outcomesOf(report)[0]!.endedAt).toBe(signalled + 250);
});

test('summary.json has a published schema, and a summary that drifts from it is caught', () => {
  const summary = summarizeRun(outcomes, requirements, { target: 'reference-bot', seed: 42 });
  expect(checkedSummary(summary)).toBe(summary);
  const { unfinished: _, ...oldTotals } = summary.totals;
  expect(() => checkedSummary({ ...summary, totals: oldTotals })).toThrow(/\/totals must have required property 'unfinished'/);
  expect(() => checkedSummary({ ...summary, result: 'passed' })).toThrow(/\/result must be equal to one of the allowed values/);
  expect(() => checkedSummary({ ...summary, tests: [{ ...summary.tests[0], status: 'timedOut' }] })).toThrow(/\/tests\/0\/status/);
});

test('against a baseline only new failures fail the run; fixed ones are reported', () => {
  const baseline = summarizeRun([outcome('hold-music/two', 'failed'), outcome('lobby/guest', 'failed'), outcome('transfer/failed · any documented order', 'passed')], requirements, { target: 't', seed: 1 });
  expect(compareWithBaseline(outcomes, 'base.json', baseline)).toEqual({
    file: 'base.json',
    newFailures: ['transfer/failed · any documented order'],
    knownFailures: ['hold-music/two'],
    fixed: [],
  });
  const onlyKnown = outcomes.filter((o) => o.id !== 'transfer/failed · any documented order');
  const summary = checkedSummary(summarizeRun(onlyKnown, requirements, { target: 't', seed: 1 }, { file: 'base.json', summary: baseline }));
  expect(summary.result).toBe('pass');
  const fixedNow = summarizeRun([outcome('hold-music/two', 'passed')], requirements, { target: 't', seed: 1 }, { file: 'base.json', summary: baseline });
  expect(fixedNow.baseline?.fixed).toEqual(['hold-music/two']);
});

test('a test the run did not finish (cut off, or never started) passes nothing: not in the totals, the verdicts, the JUnit or the result', () => {
  // Playwright's JSON report of an interrupted run calls `skipped` a test it cut off, one it never started, and one whose
  // worker stopped before its body ran (a `skipped` result the test did not expect), as well as a real skip.
  const spec = (title: string, tags: string[], status: string, expectedStatus: string, results: Array<{ status: string }>, judged: string[] = []) => ({ title, tags, ok: true, tests: [{ status, expectedStatus, annotations: judged.map((description) => ({ type: 'judged', description })), results }] });
  const report = {
    suites: [{
      title: 'conformance.spec.ts',
      suites: [{
        title: 'transfer',
        specs: [
          spec('failed', ['@TRANSFER-FAIL-ESTABLISHED'], 'expected', 'passed', [{ status: 'passed' }], ['TRANSFER-FAIL-ESTABLISHED', 'HOLD-ONE-AT-A-TIME']),
          spec('failed · any documented order', ['@TRANSFER-FAIL-ESTABLISHED'], 'skipped', 'passed', [{ status: 'interrupted' }]),
          spec('graceful', [], 'skipped', 'passed', []),
          spec('consultative', [], 'skipped', 'passed', [{ status: 'skipped' }]),
          spec('needs-control', [], 'skipped', 'skipped', [{ status: 'skipped' }]),
        ],
      }],
    }],
  };
  const found = outcomesOf(report);
  expect(found.map((o) => `${o.id}: ${o.status}`)).toEqual([
    'transfer/failed: passed',
    'transfer/failed · any documented order: unfinished',
    'transfer/graceful: unfinished',
    'transfer/consultative: unfinished',
    'transfer/needs-control: skipped',
  ]);

  const interrupted = { signal: 'SIGTERM', at: '2026-01-02T03:04:05.000Z', message: 'the run was interrupted by SIGTERM' };
  const summary = checkedSummary(summarizeRun(found, requirements, { target: 't', seed: 1, interrupted }));
  expect(summary.result).toBe('interrupted');
  expect(summary.interrupted).toEqual(interrupted);
  expect(summary.totals).toEqual({ passed: 1, failed: 0, skipped: 1, notApplicable: 0, unfinished: 3 });
  // One of the requirement's two tests passed, the other was cut off: that is no pass; nor is a rule checked in a run that stopped halfway.
  expect(summary.requirements.map((r) => `${r.id} ${r.verdict}`)).toEqual(['TRANSFER-FAIL-ESTABLISHED unfinished', 'HOLD-ONE-AT-A-TIME unfinished']);
  const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(requirementsJunit(summary, requirements));
  const cases = parsed.testsuites.testsuite.flatMap((s: any) => s.testcase.map((c: any) => `${c['@_classname']} × ${c['@_name']}: ${c.failure ? 'failed' : c.skipped !== undefined ? `skipped ${c.skipped['@_message'] ?? ''}`.trim() : 'passed'}`));
  expect(cases).toEqual([
    'TRANSFER-FAIL-ESTABLISHED × transfer/failed: skipped not finished: the run stopped before its tests did',
    'HOLD-ONE-AT-A-TIME × transfer/failed: skipped not finished: the run stopped before its tests did',
    'HOLD-ONE-AT-A-TIME × transfer/graceful: skipped not finished: the run stopped before its tests did',
    'HOLD-ONE-AT-A-TIME × transfer/consultative: skipped not finished: the run stopped before its tests did',
    'HOLD-ONE-AT-A-TIME × transfer/needs-control: skipped',
  ]);
  expect(parsed.testsuites.testsuite[0].properties.property['@_value']).toBe('the run was interrupted by SIGTERM');

  // Without the interruption (a run that stopped otherwise), unfinished tests still keep it from passing, baseline or not.
  expect(summarizeRun(found, requirements, { target: 't', seed: 1 }).result).toBe('fail');
  expect(summarizeRun(found, requirements, { target: 't', seed: 1 }, { file: 'base.json', summary: { tests: [] } }).result).toBe('fail');
  // A complete run of the same tests passes.
  expect(summarizeRun(found.filter((o) => o.status !== 'unfinished'), requirements, { target: 't', seed: 1 }).result).toBe('pass');
  expect(requirementVerdicts(requirements, found.filter((o) => o.status !== 'unfinished')).map((r) => r.verdict)).toEqual(['pass', 'pass']);
});

test('confcall run --baseline: a known failure passes the gate, a new one fails it, a bad baseline is a usage error', async ({}, testInfo) => {
  test.setTimeout(300_000);
  const env = { ...portsFor(testInfo.parallelIndex, 4), CONFCALL_BOT_ENTRY: 'dist/bots/mutants/acts-in-lobby.js' };
  // LOBBY-WAIT is an inferred rule (a warning): --strict makes the mutant's defect a failure.
  const lobby = ['--suite', 'suites/lobby.yaml', '--reporter', 'json', '--strict'];
  const first = tempDir('confcall-baseline-');
  const before = await confcall(['run', ...lobby, '--out', first], { env });
  expect(before.code, before.stdout + before.stderr).toBe(1);
  const summary = readSummary(join(first, 'summary.json'));
  expect(summary.tests.filter((t: { status: string }) => t.status === 'failed').map((t: { id: string }) => t.id)).toEqual(['lobby/no-action-in-lobby']);
  const junit = readFileSync(join(first, 'requirements-junit.xml'), 'utf8');
  expect(junit).toContain('<testcase classname="LOBBY-WAIT" name="lobby/no-action-in-lobby">\n      <failure');

  // The same defect again: known, so the gate passes and says so.
  const again = await confcall(['run', ...lobby, '--out', tempDir('confcall-baseline-'), '--baseline', join(first, 'summary.json')], { env });
  expect(again.code, again.stdout + again.stderr).toBe(0);
  expect(again.stdout).toContain('0 new failure(s), 1 known, 0 fixed');

  // A baseline in which nothing failed: the same failure is new.
  const clean = join(tempDir('confcall-baseline-'), 'summary.json');
  writeFileSync(clean, JSON.stringify({ ...summary, tests: summary.tests.map((t: object) => ({ ...t, status: 'passed' })) }));
  const gated = await confcall(['run', ...lobby, '--out', tempDir('confcall-baseline-'), '--baseline', clean], { env });
  expect(gated.code).toBe(1);
  expect(gated.stderr).toContain('confcall: new failure (not in the baseline): lobby/no-action-in-lobby');

  const bad = await confcall(['run', ...lobby, '--baseline', join(first, 'results.json')], { env });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('not a confcall summary.json');
  expect(bad.stderr).not.toMatch(/\n\s+at /);
});
