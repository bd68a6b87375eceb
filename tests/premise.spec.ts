/**
 * A setup that never happened is never a pass. The steps a scenario takes from an included fragment
 * (the call it is about: answered, created, joined) are its premise: when one fails, the finding is
 * `PREMISE`, a failure whatever `--strict` says, naming none of the scenario's requirements (they were
 * not exercised), and the reports say those requirements were not judged, and why.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { loadProject, unknownRequirements } from '../harness/load/load-project.js';
import { loadSuites } from '../harness/load/load-suites.js';
import type { Requirement } from '../harness/model/requirement.js';
import type { ControlStep, ExpectStep, Scenario, Step } from '../harness/model/suite.js';
import { judgingOf } from '../harness/oracle/judging.js';
import { stepJudge } from '../harness/oracle/step-judging.js';
import { brokenRules, findingRecord, formatFinding, judgedRequirements } from '../harness/oracle/verdict.js';
import { requirementVerdicts, type FindingRecord, type TestOutcome } from '../harness/report/certification.js';
import { requirementsJunit, summarizeRun } from '../harness/report/run-summary.js';
import { confcall, portsFor, ROOT, tempDir } from './support/cli.js';
import { readSummary } from './support/summary-file.js';

const { project } = loadProject({ root: ROOT, recordingsDir: 'recordings', suitePatterns: [] });
const catalogue = project.requirements;

const SUITE = `suite: s
title: t
fragments:
  inner:
    - notify: graph-reference/notification-incoming-call
  outer:
    - include: inner
    - expect: { method: POST, path: "/communications/calls/{call.id}/answer" }
      respond: graph-reference/response-answer-accepted
  other-start:
    - notify: graph-reference/notification-establishing
scenarios:
  - id: a
    title: t
    requirements: [TRANSFER-FAIL-ESTABLISHED]
    steps:
      - include: outer
      - notify: graph-reference/notification-established
  - id: b
    title: t
    requirements: [ROSTER-FULL]
    steps:
      - include: [outer, other-start]
      - probe: { state: established }
`;

const load = (text = SUITE) => loadSuites([{ file: 'suites/s.yaml', text }], project.recordings);

test('steps expanded from an include carry the fragment the scenario included (the outer one, for a fragment inside one); its own steps none', () => {
  const { suites, problems } = load();
  expect(problems).toEqual([]);
  const [a, b] = suites[0]!.scenarios;
  expect(a!.steps.map((s) => s.fragment)).toEqual(['outer', 'outer', undefined]);
  // A choice of starts: each start's steps carry the fragment it started with.
  expect(b!.alternatives!.map((start) => start.steps.map((s) => s.fragment))).toEqual([['outer', 'outer', undefined], ['other-start', undefined]]);
  // The steps written in the fragment itself are untouched: the same fragment in another scenario is tagged afresh.
  expect(suites[0]!.fragments.inner!.map((s) => s.fragment)).toEqual(['inner']);
});

/** The suite above with `checks` on the fragment step at line 8 (the expect of `outer`). */
function withFragmentChecks(ids: string): Scenario[] {
  const text = SUITE.replace('      respond: graph-reference/response-answer-accepted\n', `      respond: graph-reference/response-answer-accepted\n      checks: [${ids}]\n`);
  const { suites, problems } = load(text);
  expect(problems).toEqual([]);
  return suites[0]!.scenarios;
}

test("a fragment step's checks must name a requirement of the catalogue, refused at its file:line once; any of the catalogue's is accepted", () => {
  const suites = (ids: string) => [{ ...load().suites[0]!, scenarios: withFragmentChecks(ids) }];
  const unknown = unknownRequirements(suites('NO-SUCH-REQUIREMENT'), catalogue);
  // Included by two scenarios (and by both starts of one): one problem, at the fragment's step.
  expect(unknown.map((p) => `${p.file}:${p.line}:${p.col}: ${p.path}: ${p.message}`)).toEqual(['suites/s.yaml:8:7: checks: step of fragment outer checks NO-SUCH-REQUIREMENT, which is not in requirements.yaml']);
  expect(unknown[0]!.hint).toMatch(/catalogue/);
  // INCOMING-ANSWER-IN-TIME is in the catalogue, and neither scenario names it: a fragment's checks travel with it.
  expect(unknownRequirements(suites('INCOMING-ANSWER-IN-TIME'), catalogue)).toEqual([]);
  // A scenario's own step is held to its scenario's requirements, as before.
  const own = load(SUITE.replace('      - notify: graph-reference/notification-established\n', '      - notify: graph-reference/notification-established\n        checks: [INCOMING-ANSWER-IN-TIME]\n')).suites;
  expect(unknownRequirements(own, catalogue).map((p) => p.message)).toEqual(['step checks INCOMING-ANSWER-IN-TIME, which scenario a does not name in its requirements']);
});

const position = { file: 'suites/s.yaml', line: 12, col: 7 };
const requirement = (id: string, basis: Requirement['basis'], level: Requirement['level']): Requirement =>
  ({ id, title: id, level, basis, levelFrom: 'the sentence', source: { file: 'docs/x.md', quote: 'q' }, rule: false }) as unknown as Requirement;
const judgingCatalogue = [requirement('LOBBY-WAIT', 'inferred', 'SHOULD'), requirement('TRANSFER-FAIL-ESTABLISHED', 'document', 'MUST'), requirement('CREATE-CALL-DOCUMENTED-BODY', 'document', 'MUST')];
const scenario = (requirements: string[]): Scenario => ({ id: 'x', suiteId: 's', title: 't', requirements, steps: [], position }) as unknown as Scenario;
const joinStep = (extra: Partial<ControlStep> = {}): ControlStep => ({ kind: 'control', method: 'POST', path: '/calls', position, fragment: 'guest-in-lobby', ...extra });
const create = (extra: Partial<ExpectStep> = {}): ExpectStep => ({ kind: 'expect', request: { method: 'POST', path: '/communications/calls' }, position, fragment: 'guest-in-lobby', ...extra });
const missed = (step: ExpectStep) => ({ step, index: 1, matcher: { method: 'POST', path: '/communications/calls' }, fromSeq: 0 });

for (const strict of [false, true]) {
  test(`a failing fragment step is PREMISE: a failure naming no requirement, whatever the scenario's levels${strict ? ' (--strict)' : ''}`, () => {
    for (const requirements of [['LOBBY-WAIT'], ['TRANSFER-FAIL-ESTABLISHED']]) {
      const judge = stepJudge(scenario(requirements), judgingOf(judgingCatalogue, strict));
      const refused = judge.controlAnswer(joinStep({ because: 'the join' }), 0, { status: 502 }).failure!;
      const premise = { rule: 'PREMISE', requirements: [], basis: 'document', level: 'MUST', severity: 'failure', fragment: 'guest-in-lobby', where: 'suites/s.yaml:12:7' };
      expect(refused).toMatchObject({ ...premise, stepIndex: 0, actual: 'control API answered HTTP 502', expected: 'a 2xx answer (the bot did the action)' });
      expect(refused.because).toMatch(/premise did not hold: step 1 of fragment guest-in-lobby \(the join\); so the scenario's requirements were not judged/);
      const neverSent = judge.missedRequest(missed(create()), [], 5000);
      expect(neverSent).toMatchObject({ ...premise, stepIndex: 1, actual: 'sent no such request within 5000 ms' });
      const action = judge.actionAnswer(joinStep(), 0, { action: 'joinMeeting', outcome: 'refused', via: 'POST http://x/join', said: 'answered HTTP 401' }).failure!;
      expect(action).toMatchObject(premise);
      expect(judge.probeDifference({ kind: 'probe', expect: { state: 'established' }, position, fragment: 'f' }, 2, 'state "establishing"', { state: 'established' })).toMatchObject({ ...premise, fragment: 'f' });
      expect(brokenRules([refused])).toEqual(['PREMISE']);
      expect(findingRecord(refused)).toMatchObject({ rule: 'PREMISE', requirements: [], fragment: 'guest-in-lobby', step: 1, severity: 'failure' });
      expect(formatFinding(neverSent)).toMatch(/^PREMISE step 2 \(suites\/s\.yaml:12:7\)\n {2}bot did: {3}sent no such request/);
    }
  });

  test(`a scenario's own step is STEP under its requirements as before; a fragment step with checks is judged under them${strict ? ' (--strict)' : ''}`, () => {
    const judge = stepJudge(scenario(['LOBBY-WAIT']), judgingOf(judgingCatalogue, strict));
    const own = judge.missedRequest(missed(create({ fragment: undefined })), [], 5000);
    expect(own).toMatchObject({ rule: 'STEP', requirements: ['LOBBY-WAIT'], basis: 'inferred', level: 'SHOULD', severity: strict ? 'failure' : 'warning' });
    expect(own.fragment).toBeUndefined();
    const claimed = judge.missedRequest(missed(create({ checks: ['CREATE-CALL-DOCUMENTED-BODY'] })), [], 5000);
    expect(claimed).toMatchObject({ rule: 'STEP', requirements: ['CREATE-CALL-DOCUMENTED-BODY'], basis: 'document', level: 'MUST', severity: 'failure' });
  });
}

test('in a fragment, test-hook deviations stay deviations, a forgery\'s answer stays NOTIFY-AUTH-STATUS\'s, a genuine notification\'s answer NOTIFY-ACKNOWLEDGED\'s', () => {
  const judge = stepJudge(scenario(['LOBBY-WAIT']), judgingOf(judgingCatalogue, false));
  const advice = judge.controlAnswer(joinStep({ expectStatus: [409] }), 0, { status: 400 });
  expect(advice.failure).toBeUndefined();
  expect(advice.deviation).toMatchObject({ rule: 'STEP', severity: 'deviation', basis: 'contract', requirements: [] });
  const forged = { kind: 'notify' as const, recording: 'r', label: 'r', position, fragment: 'f' };
  expect(judge.notificationAnswer({ ...forged, forge: 'expired' }, 0, { status: 202 }).failure).toMatchObject({ rule: 'STEP', requirements: ['NOTIFY-AUTH-STATUS'] });
  expect(judge.notificationAnswer(forged, 0, { status: 500 })).toEqual({});
});

test("a run whose premise failed judged none of the scenario's own requirements, even where the failure stopped nothing", () => {
  const steps: Step[] = [];
  const premise = stepJudge(scenario(['TRANSFER-FAIL-ESTABLISHED']), judgingOf(judgingCatalogue, false)).probeDifference({ kind: 'probe', expect: {}, position, fragment: 'f' }, 0, 'x', {});
  const facts = { callId: 'c', appId: 'a', endedAt: 0 };
  expect(judgedRequirements([], facts, [], ['TRANSFER-FAIL-ESTABLISHED'], steps)).toEqual(['TRANSFER-FAIL-ESTABLISHED']);
  expect(judgedRequirements([], facts, [premise], ['TRANSFER-FAIL-ESTABLISHED'], steps)).toEqual([]);
});

test('reports: the requirement is not judged, with the premise that did not hold; its requirements JUnit testcase is skipped, no pass', () => {
  const premise: FindingRecord = { rule: 'PREMISE', requirements: [], fragment: 'guest-in-lobby', basis: 'document', level: 'MUST', severity: 'failure', step: 2, where: 'suites/lobby.yaml:13:7', actual: 'sent no such request within 5000 ms', expected: 'POST /communications/calls' };
  const outcome: TestOutcome = { id: 'lobby/guest-waits-in-lobby', status: 'failed', tags: ['LOBBY-WAIT'], message: 'm', brokenRules: ['PREMISE'], findings: [premise], judged: [] };
  const lobbyWait = requirement('LOBBY-WAIT', 'inferred', 'SHOULD');
  const [verdict] = requirementVerdicts([lobbyWait], [outcome]);
  expect(verdict).toMatchObject({ verdict: 'not judged', reason: 'its premise did not hold in lobby/guest-waits-in-lobby: step 2 of fragment guest-in-lobby (suites/lobby.yaml:13:7): sent no such request within 5000 ms' });
  const summary = summarizeRun([outcome], [lobbyWait], { target: 't', seed: 1 });
  expect(summary.result).toBe('fail');
  const junit = requirementsJunit(summary, [lobbyWait]);
  expect(junit).toContain('<skipped message="not judged: its premise did not hold in lobby/guest-waits-in-lobby (PREMISE)"/>');
  expect(junit).toMatch(/failures="0" skipped="1"/);
});

/** The reference bot, with its join mapped to a command that says it joined and does nothing: a bot that cannot join. */
function neverJoinsProfile(dir: string): string {
  const profile = readFileSync(join(ROOT, 'targets/reference-bot.yaml'), 'utf8').replace(/dist\/bots/g, `${ROOT}/dist/bots`).replace('cwd: ..', `cwd: ${ROOT}`);
  mkdirSync(join(dir, 'targets'), { recursive: true });
  const file = join(dir, 'targets', 'never-joins.yaml');
  writeFileSync(file, `${profile}actions:\n  joinMeeting:\n    command: { run: "true" }\n`);
  return file;
}

// Checked to fail without the fix: on main's judging (the fragment step weighed under LOBBY-WAIT, inferred SHOULD) this
// run exits 0, every lobby test passes with a warning, and LOBBY-WAIT's reason names no premise.
test('a bot that never joins fails the SHOULD-only lobby scenarios on their premise, and LOBBY-WAIT is not judged', async ({}, testInfo) => {
  test.setTimeout(180_000);
  const dir = tempDir('confcall-premise-');
  const out = join(dir, 'out');
  const run = await confcall(['run', '--target', neverJoinsProfile(dir), '--suite', 'suites/lobby.yaml', '--out', out], { env: portsFor(testInfo.parallelIndex), timeoutMs: 160_000 });
  expect(run.code, run.stdout.slice(-3000) + run.stderr).toBe(1);
  const summary = readSummary(join(out, 'summary.json'));
  const documented = summary.tests.filter((t) => !t.id.includes(' · '));
  expect(documented.map((t) => t.id).sort()).toEqual(['lobby/admitted-from-lobby', 'lobby/guest-waits-in-lobby', 'lobby/no-action-in-lobby']);
  for (const t of documented) {
    expect(t.status, t.id).toBe('failed');
    expect(t.brokenRules, t.id).toEqual(['PREMISE']);
    expect(t.findings.filter((f) => f.severity === 'failure'), t.id).toEqual([
      expect.objectContaining({ rule: 'PREMISE', requirements: [], fragment: 'guest-in-lobby', step: 2, actual: expect.stringMatching(/^sent no such request within \d+ ms/) }),
    ]);
    expect(t.message, t.id).toMatch(/PREMISE step 2 \(suites\/lobby\.yaml:13:7\)/);
  }
  expect(summary.requirements.find((r) => r.id === 'LOBBY-WAIT')).toMatchObject({ verdict: 'not judged', reason: expect.stringMatching(/^its premise did not hold in lobby\/[a-z-]+: step 2 of fragment guest-in-lobby/) });
  expect(readFileSync(join(out, 'requirements-junit.xml'), 'utf8')).toContain('not judged: its premise did not hold in lobby/');
});

// Checked to fail without the fix: on main's judging the unanswered call was a STEP failure naming the scenario's own
// requirements (TRANSFER-REQUEST-BODY, TRANSFER-FAIL-ESTABLISHED, ...), whose verdicts were then `fail`.
test('a bot that never answers fails a MUST transfer scenario on its premise and INCOMING-ANSWER-IN-TIME, not on the transfer requirements it never reached', async ({}, testInfo) => {
  test.setTimeout(180_000);
  const out = tempDir('confcall-premise-ringing-');
  const env = { ...portsFor(testInfo.parallelIndex), CONFCALL_BOT_ENTRY: 'dist/bots/mutants/leaves-calls-ringing.js' };
  const run = await confcall(['run', '--target', 'targets/reference-bot.yaml', '--suite', 'suites/transfer.yaml', '--grep', 'peer-to-peer-failed @', '--out', out], { env, timeoutMs: 160_000 });
  expect(run.code, run.stdout.slice(-3000) + run.stderr).toBe(1);
  const summary = readSummary(join(out, 'summary.json'));
  const failed = summary.tests.find((t) => t.id === 'transfer/peer-to-peer-failed')!;
  expect(failed.status).toBe('failed');
  expect(failed.brokenRules.sort()).toEqual(['INCOMING-ANSWER-IN-TIME', 'PREMISE']);
  expect(failed.findings.find((f) => f.rule === 'PREMISE')).toMatchObject({ requirements: [], fragment: 'answered-incoming-call', step: 2, severity: 'failure' });
  for (const id of ['TRANSFER-REQUEST-BODY', 'TRANSFER-FAIL-ESTABLISHED', 'TRANSFER-FAIL-KEEPS-CALL', 'RESULTINFO-VARIANTS']) {
    expect(summary.requirements.find((r) => r.id === id), id).toMatchObject({ verdict: 'not judged', reason: expect.stringContaining('its premise did not hold in transfer/peer-to-peer-failed: step 2 of fragment answered-incoming-call') });
  }
  expect(summary.requirements.find((r) => r.id === 'INCOMING-ANSWER-IN-TIME')?.verdict).toBe('fail');
});
