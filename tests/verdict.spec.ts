/**
 * The verdict is oracle/ code, usable without a run: step judgements and run verdicts are pure
 * functions of what the bot did, weighed by the catalogue (and `--strict`).
 */
import { test, expect } from '@playwright/test';
import { judgingOf } from '../harness/oracle/judging.js';
import { stepJudge } from '../harness/oracle/step-judging.js';
import { asRobustness, brokenRules, explorationBaseline, explorationFailures, findingRecord, judgedRequirements, verdictOf } from '../harness/oracle/verdict.js';
import type { Requirement } from '../harness/model/requirement.js';
import type { ControlStep, NotifyStep, Scenario, Step } from '../harness/model/suite.js';

const position = { file: 'suites/x.yaml', line: 3, col: 5 };
const requirement = (id: string, basis: Requirement['basis'], level: Requirement['level'], rule = false): Requirement =>
  ({ id, title: id, level, basis, levelFrom: 'the sentence', source: { file: 'docs/x.md', quote: 'q' }, rule }) as unknown as Requirement;
const catalogue = [requirement('TRANSFER-FAIL-ESTABLISHED', 'document', 'MUST'), requirement('LOBBY-WAIT', 'inferred', 'SHOULD', true), requirement('NOTIFY-AUTH-FORGED', 'document', 'MUST', true), requirement('NOTIFY-AUTH-STATUS', 'document', 'SHOULD')];
const scenario = (requirements: string[]): Scenario => ({ id: 's', suiteId: 'x', title: 'a scenario', requirements, steps: [], position }) as unknown as Scenario;
const notify = (extra: Partial<NotifyStep> = {}): NotifyStep => ({ kind: 'notify', recording: 'r', label: 'r', position, ...extra });
const control = (extra: Partial<ControlStep> = {}): ControlStep => ({ kind: 'control', method: 'POST', path: '/calls/x/transfer', position, ...extra });

test('a notification answer: any 4xx refuses a forged token (another status is advice); any other answer to one is NOTIFY-AUTH-STATUS\'s SHOULD, its effect the scenario\'s', () => {
  const judge = stepJudge(scenario(['TRANSFER-FAIL-ESTABLISHED']), judgingOf(catalogue, false));
  expect(judge.notificationAnswer(notify({ forge: 'bad-signature', expectStatus: [401] }), 0, { status: 401 })).toEqual({});
  const advice = judge.notificationAnswer(notify({ forge: 'bad-signature', expectStatus: [401] }), 0, { status: 400 });
  expect(advice.failure).toBeUndefined();
  expect(advice.deviation).toMatchObject({ severity: 'deviation', basis: 'contract', requirements: [] });
  // Acknowledged at once and dropped afterwards (answer first, work afterwards): the documents ask for validation, not a status.
  // RFC 6750's SHOULD 401 warns; whether the forgery changed anything (the call answered) is judged by the scenario's expectNo.
  const accepted = judge.notificationAnswer(notify({ forge: 'bad-signature' }), 2, { status: 202 });
  expect(accepted.failure).toMatchObject({ rule: 'STEP', requirements: ['NOTIFY-AUTH-STATUS'], basis: 'document', level: 'SHOULD', severity: 'warning', stepIndex: 2, where: 'suites/x.yaml:3:5' });
  expect(stepJudge(scenario(['TRANSFER-FAIL-ESTABLISHED']), judgingOf(catalogue, true)).notificationAnswer(notify({ forge: 'bad-signature' }), 2, { status: 202 }).failure).toMatchObject({ requirements: ['NOTIFY-AUTH-STATUS'], severity: 'failure' });
  expect(judge.notificationAnswer(notify(), 0, { status: 204 })).toEqual({});
  // A forged token's answer that is no refusal at all (a 5xx) is NOTIFY-AUTH-STATUS's, as a 2xx is.
  expect(judge.notificationAnswer(notify({ forge: 'expired' }), 0, { status: 500 }).failure).toMatchObject({ requirements: ['NOTIFY-AUTH-STATUS'], severity: 'warning' });
});

test("a genuine notification's answer is no step's: the protocol rule NOTIFY-ACKNOWLEDGED judges it, unless the step asks a status itself", () => {
  const judge = stepJudge(scenario(['TRANSFER-FAIL-ESTABLISHED']), judgingOf(catalogue, false));
  // Before, a 500 here failed the step as TRANSFER-FAIL-ESTABLISHED, a MUST no document ties to the answer's status.
  expect(judge.notificationAnswer(notify(), 0, { status: 500 })).toEqual({});
  expect(judge.notificationAnswer(notify(), 0, { status: 0, error: 'ECONNRESET' })).toEqual({});
  expect(judge.notificationAnswer(notify({ expectStatus: [202] }), 0, { status: 500 }).failure).toMatchObject({ requirements: ['TRANSFER-FAIL-ESTABLISHED'], actual: 'answered the notification with HTTP 500' });
});

test('a control answer: a wanted refusal is any 4xx, a missing refusal is a deviation, an action not done fails the step', () => {
  const judge = stepJudge(scenario(['TRANSFER-FAIL-ESTABLISHED']), judgingOf(catalogue, false));
  expect(judge.controlAnswer(control({ expectStatus: [422] }), 0, { status: 422 })).toEqual({ deviation: undefined });
  expect(judge.controlAnswer(control({ expectStatus: [422] }), 0, { status: 400 })).toMatchObject({ deviation: { severity: 'deviation' } });
  expect(judge.controlAnswer(control({ expectStatus: [422] }), 0, { status: 200 }).failure).toBeUndefined();
  expect(judge.controlAnswer(control(), 0, { status: 409, body: { error: 'call ended' } }).failure).toMatchObject({ severity: 'failure', actual: 'control API answered HTTP 409 {"error":"call ended"}' });
});

test('a control step that leaves the bot the choice (a 2xx or a refusal) takes any 2xx listed and any 4xx; a 5xx still fails', () => {
  const judge = stepJudge(scenario(['HOLD-ONE-AT-A-TIME']), judgingOf(catalogue, false));
  const either = control({ expectStatus: [202, 409] });
  expect(judge.controlAnswer(either, 0, { status: 202 })).toEqual({ deviation: undefined });
  expect(judge.controlAnswer(either, 0, { status: 409 })).toEqual({ deviation: undefined });
  expect(judge.controlAnswer(either, 0, { status: 400 })).toMatchObject({ deviation: { severity: 'deviation' } });
  expect(judge.controlAnswer(either, 0, { status: 400 }).failure).toBeUndefined();
  expect(judge.controlAnswer(either, 0, { status: 502 }).failure).toMatchObject({ severity: 'failure' });
});

test('findings weigh by the catalogue: an inferred requirement warns, and fails only with --strict', () => {
  const lenient = stepJudge(scenario(['LOBBY-WAIT']), judgingOf(catalogue, false));
  const strict = stepJudge(scenario(['LOBBY-WAIT']), judgingOf(catalogue, true));
  expect(lenient.missedRequest({ step: { kind: 'expect', request: { method: 'POST', path: '/x' }, position }, index: 0, matcher: { method: 'POST', path: '/x' }, fromSeq: 0 } as never, [], 100)).toMatchObject({ severity: 'warning', basis: 'inferred', level: 'SHOULD', requirements: ['LOBBY-WAIT'] });
  expect(strict.missedRequest({ step: { kind: 'expect', request: { method: 'POST', path: '/x' }, position }, index: 0, matcher: { method: 'POST', path: '/x' }, fromSeq: 0 } as never, [], 100).severity).toBe('failure');
});

test('a run verdict splits findings by severity; robustness failures are warnings unless strict', () => {
  const judge = stepJudge(scenario(['TRANSFER-FAIL-ESTABLISHED']), judgingOf(catalogue, false));
  const failure = judge.probeDifference(notify(), 0, 'state "terminated", not "established"', { state: 'established' });
  const deviation = judge.controlAnswer(control({ expectStatus: [422] }), 0, { status: 400 }).deviation!;
  const verdict = verdictOf({ findings: [failure, deviation], judged: ['TRANSFER-FAIL-ESTABLISHED'] });
  expect(verdict).toMatchObject({ passed: false, failures: [failure], warnings: [], deviations: [deviation] });
  expect(brokenRules(verdict.failures)).toEqual(['TRANSFER-FAIL-ESTABLISHED']);
  expect(verdictOf({ findings: [deviation], judged: [] }).passed).toBe(true);
  expect(verdictOf({ findings: [], judged: [], unreachable: 'ECONNREFUSED' }).passed).toBe(false);
  expect(asRobustness([failure], false)[0]).toMatchObject({ severity: 'warning', basis: 'inferred', level: 'SHOULD', requirements: [] });
  expect(asRobustness([failure], true)[0]).toMatchObject({ severity: 'failure', requirements: [] });
  expect(asRobustness([deviation], false)).toEqual([deviation]);
  expect(findingRecord(failure)).toEqual({ rule: 'STEP', requirements: ['TRANSFER-FAIL-ESTABLISHED'], basis: 'document', level: 'MUST', severity: 'failure', actual: failure.actual, expected: failure.expected, step: 1, where: 'suites/x.yaml:3:5', ...(failure.because && { because: failure.because }) });
  // A record says what the bot did and what was required, cut to a readable length.
  expect(findingRecord({ ...failure, actual: 'x'.repeat(5000) }).actual).toHaveLength(1001);
});

test('a run judged a requirement of its scenario only when every step that checks it ran; a finding always names what it judged', () => {
  const facts = { callId: 'c', appId: 'a', endedAt: 1 };
  const owned = ['TRANSFER-FAIL-ESTABLISHED', 'RESULTINFO-VARIANTS'];
  expect(judgedRequirements([], facts, [], owned, [])).toEqual(['RESULTINFO-VARIANTS', 'TRANSFER-FAIL-ESTABLISHED']);
  // A step without checks: belongs to every requirement of the scenario.
  expect(judgedRequirements([], facts, [], owned, [notify()])).toEqual([]);
  // A step that checks one: only that one is left unjudged when the step is.
  const resultInfoProbe = { kind: 'probe', expect: {}, checks: ['RESULTINFO-VARIANTS'], position } as unknown as Step;
  expect(judgedRequirements([], facts, [], owned, [resultInfoProbe])).toEqual(['TRANSFER-FAIL-ESTABLISHED']);
  const forged = stepJudge(scenario(['TRANSFER-FAIL-ESTABLISHED']), judgingOf(catalogue, false)).notificationAnswer(notify({ forge: 'none' }), 0, { status: 200 }).failure!;
  expect(judgedRequirements([], facts, [forged], ['TRANSFER-FAIL-ESTABLISHED'], [notify()])).toEqual(['NOTIFY-AUTH-STATUS']);
});

test("CONVERGENCE names no requirement of the scenario (no document asks for a view): a warning, a failure with --strict", () => {
  const lenient = stepJudge(scenario(['TRANSFER-FAIL-ESTABLISHED']), judgingOf(catalogue, false)).convergence('state "terminated" where Graph holds "established"');
  expect(lenient).toMatchObject({ rule: 'CONVERGENCE', requirements: [], basis: 'inferred', level: 'SHOULD', severity: 'warning' });
  const strict = stepJudge(scenario(['TRANSFER-FAIL-ESTABLISHED']), judgingOf(catalogue, true)).convergence('x');
  expect(strict.severity).toBe('failure');
  expect(brokenRules([strict])).toEqual(['CONVERGENCE']);
});

test('an explored run whose final view misses the truth where the documented run held it is ORDER-INDEPENDENCE (a MUST); the same miss in both is not', () => {
  const diverged = stepJudge(scenario([]), judgingOf(catalogue, false)).convergence('state "establishing" where Graph holds "established"');
  const run = (findings: ReturnType<typeof verdictOf>['warnings']) => ({ findings, judged: [], transcript: [], runToRecorded: new Map<string, string>() });
  const converged = explorationBaseline(run([]));
  expect(explorationFailures(run([diverged]), converged)).toMatchObject([{ rule: 'ORDER-INDEPENDENCE', severity: 'failure', level: 'MUST', actual: expect.stringContaining('ends with state "establishing"') }]);
  expect(explorationFailures(run([diverged]), explorationBaseline(run([diverged])))).toEqual([]);
  expect(explorationFailures(run([]), converged)).toEqual([]);
});
