import { writeFileSync, mkdirSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { confcall, tempDir, ROOT } from './support/cli.js';

/** A project folder with the shipped recordings and one suite file of our own. */
function projectWith(suiteText: string): string {
  const dir = tempDir();
  cpSync(join(ROOT, 'recordings'), join(dir, 'recordings'), { recursive: true });
  mkdirSync(join(dir, 'suites'));
  writeFileSync(join(dir, 'suites', 'broken.yaml'), suiteText);
  return dir;
}

const GOOD_STEP = '      - notify: graph-reference/notification-incoming-call\n';

test('the shipped suites, recordings and targets validate', async () => {
  const result = await confcall(['validate']);
  expect(result.stderr).toBe('');
  expect(result.stdout).toMatch(/no problems/);
  expect(result.code).toBe(0);
});

test('a YAML syntax error is reported at its line and column', async () => {
  const dir = projectWith(`suite: broken\ntitle: t\nscenarios:\n  - id: a\n    title: "unclosed\n    steps: []\n`);
  const result = await confcall(['validate', 'suites'], { cwd: dir });
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/^suites\/broken\.yaml:\d+:\d+: YAML syntax error/m);
  expect(result.stderr).not.toMatch(/\n\s+at .*\.(js|ts):\d+/); // no stack trace
});

test('an unknown key is reported where it is, with the key it probably meant', async () => {
  const dir = projectWith(`suite: broken\ntitle: t\nscenarios:\n  - id: a\n    title: t\n    stesp:\n${GOOD_STEP}`);
  const result = await confcall(['validate', 'suites'], { cwd: dir });
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('suites/broken.yaml:6:5: scenarios[0].stesp: unknown key "stesp"');
  expect(result.stderr).toContain('did you mean "steps"?');
});

test('a value of the wrong type is reported on the value', async () => {
  const dir = projectWith(`suite: broken\ntitle: t\nscenarios:\n  - id: a\n    title: t\n    steps:\n      - expect: { method: POST, path: /communications/calls }\n        times: many\n`);
  const result = await confcall(['validate', 'suites'], { cwd: dir });
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('suites/broken.yaml:8:16: scenarios[0].steps[0].times: must be an integer, got string "many"');
});

test('a reference to a missing recording is reported on its step, with nearby recordings', async () => {
  const dir = projectWith(`suite: broken\ntitle: t\nscenarios:\n  - id: a\n    title: t\n    steps:\n      - notify: transfer/notification-transfer-exploded\n`);
  const result = await confcall(['validate', 'suites'], { cwd: dir });
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('suites/broken.yaml:7:9: notify: no recording "transfer/notification-transfer-exploded"');
  expect(result.stderr).toMatch(/hint: recordings nearby: transfer\//);
});

test('each problem is one line, and all of a file\'s problems are reported together', async () => {
  const dir = projectWith(`suite: broken\ntitle: t\nscenarios:\n  - id: a\n    title: t\n    stesp: []\n  - id: b\n    title: 5\n    steps:\n      - notify: nothing/here\n`);
  const result = await confcall(['validate', 'suites'], { cwd: dir });
  expect(result.code).toBe(2);
  const problemLines = result.stderr.split('\n').filter((l) => /^suites\/broken\.yaml:\d+:\d+:/.test(l));
  // Shape problems come first: reference checks wait until the file has the right shape.
  expect(problemLines).toEqual([
    'suites/broken.yaml:4:5: scenarios[0]: missing required key "steps"',
    'suites/broken.yaml:6:5: scenarios[0].stesp: unknown key "stesp"',
    'suites/broken.yaml:8:12: scenarios[1].title: must be a string, got number 5',
  ]);
});

test('a step with two actions says so', async () => {
  const dir = projectWith(`suite: broken\ntitle: t\nscenarios:\n  - id: a\n    title: t\n    steps:\n      - notify: graph-reference/notification-incoming-call\n        probe: { state: established }\n`);
  const result = await confcall(['validate', 'suites'], { cwd: dir });
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('suites/broken.yaml:7:9: scenarios[0].steps[0]: a step has one action, this one has notify and probe');
});

test('a target naming an unset environment variable is reported', async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'targets'));
  writeFileSync(join(dir, 'targets', 't.yaml'), 'name: t\ncallbackUri: ${env:CONFCALL_TEST_SURELY_UNSET}\ngraph: { listen: 127.0.0.1:4455 }\nauth: { appId: a, tenantId: t }\n');
  const result = await confcall(['validate', 'targets/t.yaml'], { cwd: dir });
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('targets/t.yaml:2:14: callbackUri: environment variable CONFCALL_TEST_SURELY_UNSET is not set');
});

test("the loader's bounds are the run's: the settle cap and a conformance test's timeout", async () => {
  const { SETTLE_CAP_MS } = await import('../harness/load/target-values.js');
  const { CONFORMANCE_TEST_TIMEOUT_MS } = await import('../harness/load/suite-values.js');
  const { MAX_SETTLE_MS } = await import('../harness/run/scenario-run.js');
  const config = (await import('../playwright.config.js')).default;
  expect(SETTLE_CAP_MS).toBe(MAX_SETTLE_MS);
  expect(config.projects?.find((p) => p.name === 'conformance')?.timeout).toBe(CONFORMANCE_TEST_TIMEOUT_MS);
});

test('warnings are printed but stop nothing; an error beside them still exits 2', async () => {
  const dir = projectWith(`suite: broken\ntitle: t\nscenarios:\n  - id: a\n    title: t\n    steps:\n${GOOD_STEP}      - expect: { method: POST, path: "/communications/calls/{call.id}/answer" }\n        within: 61000\n      - expectNo: { method: DELETE, path: "/communications/calls/{call.id}/participants/0123456789abcdef" }\n`);
  const warned = await confcall(['validate', 'suites'], { cwd: dir });
  expect(warned.code).toBe(0);
  expect(warned.stderr).toContain('suites/broken.yaml:9:17: scenarios[0].steps[1].within: warning: within 61000 ms');
  expect(warned.stderr).toContain('suites/broken.yaml:10:9: expectNo.path: warning: no recording or step of scenario a has the id 0123456789abcdef, so no bot can send this request and the check can never fail');
  expect(warned.stderr).toContain('2 warning(s)');
  writeFileSync(join(dir, 'suites', 'broken.yaml'), `suite: broken\ntitle: t\nscenarios:\n  - id: a\n    title: t\n    steps:\n${GOOD_STEP}      - expect: { method: POST, path: "/communications/calls/{callId}/answer" }\n        within: 61000\n`);
  const failed = await confcall(['validate', 'suites'], { cwd: dir });
  expect(failed.code).toBe(2);
  expect(failed.stderr).toContain('1 problem(s), 1 warning(s)');
});

test('a UTF-8 file that starts with a byte order mark is read as UTF-8', async () => {
  const dir = projectWith(`\uFEFFsuite: bom\ntitle: t\nscenarios:\n  - id: a\n    title: "Appel reçu"\n    steps:\n${GOOD_STEP}`);
  const result = await confcall(['validate', 'suites'], { cwd: dir });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
});
