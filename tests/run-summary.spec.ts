import { test, expect } from '@playwright/test';
import { XMLParser } from 'fast-xml-parser';
import type { Requirement } from '../harness/model/requirement.js';
import type { TestOutcome } from '../harness/report/certification.js';
import { compareWithBaseline, requirementsJunit, summarizeRun } from '../harness/report/run-summary.js';

const at = { file: 'requirements.yaml', line: 1, col: 1 };
const requirement = (id: string, rule = false): Requirement => ({ id, level: 'MUST', title: `${id} title`, source: 's', quote: 'q', rule, position: at });
const outcome = (id: string, status: TestOutcome['status'], tags: string[] = [], brokenRules: string[] = []): TestOutcome => ({ id, status, tags, message: `${id} failed\nbecause <of> "this" & that`, brokenRules });

const requirements = [requirement('TRANSFER-FAIL-ESTABLISHED'), requirement('HOLD-ONE-AT-A-TIME', true)];
const outcomes = [
  outcome('transfer/failed', 'passed', ['TRANSFER-FAIL-ESTABLISHED']),
  outcome('transfer/failed · any documented order', 'failed', ['TRANSFER-FAIL-ESTABLISHED'], ['STEP']),
  outcome('hold-music/two', 'failed', [], ['HOLD-ONE-AT-A-TIME']),
  outcome('hold-music/one', 'passed'),
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

test('the summary lists every test with the rules it broke and a verdict per requirement', () => {
  const summary = summarizeRun(outcomes, requirements, { target: 'reference-bot', seed: 42 });
  expect(summary.result).toBe('fail');
  expect(summary.totals).toEqual({ passed: 2, failed: 2, skipped: 1 });
  expect(summary.tests.find((t) => t.id === 'hold-music/two')).toMatchObject({ scenario: 'hold-music/two', status: 'failed', brokenRules: ['HOLD-ONE-AT-A-TIME'] });
  expect(summary.tests.find((t) => t.id === 'transfer/failed · any documented order')?.scenario).toBe('transfer/failed');
  expect(summary.requirements.map((r) => `${r.id} ${r.verdict}`)).toEqual(['TRANSFER-FAIL-ESTABLISHED fail', 'HOLD-ONE-AT-A-TIME fail']);
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
  const summary = summarizeRun(onlyKnown, requirements, { target: 't', seed: 1 }, { file: 'base.json', summary: baseline });
  expect(summary.result).toBe('pass');
  const fixedNow = summarizeRun([outcome('hold-music/two', 'passed')], requirements, { target: 't', seed: 1 }, { file: 'base.json', summary: baseline });
  expect(fixedNow.baseline?.fixed).toEqual(['hold-music/two']);
});
