/**
 * A scenario may offer a choice of starts (`include: [joined-meeting, answered-incoming-call]`):
 * what it judges is the bot's reaction to notifications, so a bot that cannot be asked to join or
 * call (no control API) is judged too, on a call it answered. The run takes the first start the
 * target can do; a probe step that could not look is no pass for its requirement.
 */
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { loadProject } from '../harness/load/load-project.js';
import { loadSuites } from '../harness/load/load-suites.js';
import { firstRunnableStart } from '../harness/model/suite.js';
import { confcall, portsFor, readResults, ROOT, tempDir } from './support/cli.js';
import { readSummary } from './support/summary-file.js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const { project } = loadProject({ root: ROOT, recordingsDir: 'recordings', suitePatterns: [] });
const FRAGMENTS = `fragments:
  first-start:
    - notify: graph-reference/notification-incoming-call
  second-start:
    - notify: graph-reference/notification-establishing
`;

function load(scenarioSteps: string) {
  const text = `suite: s\ntitle: t\n${FRAGMENTS}scenarios:\n  - id: a\n    title: t\n    steps:\n${scenarioSteps}`;
  return loadSuites([{ file: 'suites/s.yaml', text }], project.recordings);
}

test('a list of fragments gives the scenario one alternative per start, in written order', () => {
  const { suites, problems } = load('      - include: [first-start, second-start]\n      - notify: graph-reference/notification-established\n');
  expect(problems).toEqual([]);
  const scenario = suites[0]!.scenarios[0]!;
  expect(scenario.alternatives?.map((s) => s.startedBy)).toEqual(['first-start', 'second-start']);
  expect(scenario.alternatives![0]).toBe(scenario);
  const recordingsOf = (s: typeof scenario) => s.steps.map((step) => (step.kind === 'notify' ? step.recording : step.kind));
  expect(recordingsOf(scenario.alternatives![1]!)).toEqual(['graph-reference/notification-establishing', 'graph-reference/notification-established']);
  // The first start the target can do is taken; none at all leaves the scenario to be reported as it is.
  expect(firstRunnableStart(scenario, (s) => s.startedBy === 'second-start')?.startedBy).toBe('second-start');
  expect(firstRunnableStart(scenario, () => false)).toBeUndefined();
});

test('a second choice of starts in one scenario is reported where it is written', () => {
  const { problems } = load('      - include: [first-start, second-start]\n      - include: [second-start, first-start]\n');
  expect(problems.map((p) => `${p.line}:${p.col}: ${p.message}`)).toEqual(['13:9: a scenario offers one choice of starts; this is a second one']);
  expect(problems[0]!.hint).toContain('line 12');
});

test('a start that names no fragment is reported with the fragments there are', () => {
  const { problems } = load('      - include: [first-start, no-such-start]\n');
  expect(problems.map((p) => p.message)).toEqual(['no fragment named "no-such-start"']);
  expect(problems[0]!.hint).toContain('first-start, second-start');
});

test('a choice of starts inside a fragment is reported there: it belongs in a scenario', () => {
  const text = `suite: s\ntitle: t\nfragments:\n  both:\n    - include: [first-start, second-start]\n${FRAGMENTS.replace('fragments:\n', '')}scenarios:\n  - id: a\n    title: t\n    steps:\n      - include: both\n`;
  const { problems } = loadSuites([{ file: 'suites/s.yaml', text }], project.recordings);
  expect(problems.map((p) => `${p.line}: ${p.message}`)).toEqual(['5: a choice of starts (first-start, second-start) inside fragment "both"']);
});

test('a bot without a control API is judged on rosters and content sharing of a call it answered; a probe it lacks judges nothing', async ({}, testInfo) => {
  const dir = tempDir('confcall-starts-');
  // The reference bot, reached as a production bot is: no control API, no probe.
  const profile = readFileSync(join(ROOT, 'targets/reference-bot.yaml'), 'utf8').replace(/^(control|probe):.*\n/gm, '').replace(/^capabilities:.*$/m, 'capabilities: [answersIncomingCalls]');
  mkdirSync(join(dir, 'targets'));
  writeFileSync(join(dir, 'targets', 'no-control.yaml'), profile.replace(/dist\/bots/g, `${ROOT}/dist/bots`));
  const out = join(dir, 'out');
  const run = await confcall(['run', '--target', join(dir, 'targets', 'no-control.yaml'), '--suite', 'suites/roster.yaml', '--suite', 'suites/content-sharing.yaml', '--out', out], { env: portsFor(testInfo.parallelIndex), timeoutMs: 120_000 });
  expect(run.code, run.stdout + run.stderr).toBe(0);
  const results = readResults(out);
  expect(results.get('roster/full-roster')?.status).toBe('passed');
  expect(results.get('content-sharing/sharing-started-updated-ended')?.status).toBe('passed');
  const summary = readSummary(join(out, 'summary.json'));
  expect(summary.tests.filter((t) => t.status === 'skipped').map((t) => t.id)).toEqual([]);
  const verdict = (id: string) => summary.requirements.find((r) => r.id === id);
  // The roster checks are probe steps: without a probe they were not made, and nothing passed for them.
  expect(verdict('ROSTER-FULL')?.verdict).toBe('not judged');
  expect(verdict('ROSTER-DELTA-SEQUENCE')?.verdict).toBe('not judged');
  // What the bot did with the notifications was judged: it answered every one in time, and answered the call once.
  expect(verdict('NOTIFY-ANSWER-IN-TIME')?.verdict).toBe('pass');
  expect(verdict('INCOMING-ANSWER-ONCE')?.verdict).toBe('pass');
});
