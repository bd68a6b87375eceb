/**
 * `start.intercept: true`: the harness starts a Node bot with its `--require` preload, so a bot that
 * hard-codes Microsoft's production hosts (or reads them from its production configuration) talks to
 * the fake Graph unmodified, through `confcall run` as a user runs it.
 */
import { test, expect } from '@playwright/test';
import { parseTarget } from '../harness/load/load-target.js';
import { PRODUCTION_ENVIRONMENT, preloadPath } from '../harness/inprocess/preload-environment.js';
import { standardEnvironment } from '../harness/run/target-process.js';
import { confcall, portsFor, readResults, tempDir } from './support/cli.js';

test.describe.configure({ mode: 'parallel' });

/**
 * What the plain-JS bot can be asked without a control API: it answers incoming calls and refuses
 * forged ones, and it is judged on the rosters and content sharing of a call it answered (those
 * scenarios offer that start beside joining or calling).
 */
const RUNNABLE = [
  'call-end/ended-by-media-error',
  'content-sharing/sharing-started-updated-ended',
  ...['full-roster', 'delta-roster', 'delta-after-full-roster', 'delta-roster-sequence', 'delta-roster-out-of-order'].map((s) => `roster/${s}`),
  ...['none', 'bad-signature', 'unknown-kid', 'wrong-audience', 'wrong-issuer', 'expired', 'not-yet-valid', 'no-tid', 'alg-none'].map((f) => `inbound-auth/forged-${f}`),
  'inbound-auth/valid-after-forged',
  'incoming-call/answer',
  'incoming-call/established-before-establishing',
  'incoming-call/duplicate-incoming-call',
  'incoming-call/remote-hang-up',
];

test('a plain-JS bot with hard-coded production hosts passes every shipped scenario it can run, through start.intercept', async ({}, testInfo) => {
  const out = tempDir('confcall-intercept-');
  const { code, stdout, stderr } = await confcall(['run', '--target', 'tests/fixtures/production-hosts-bot/target.yaml', '--out', out], { env: portsFor(testInfo.parallelIndex, 0) });
  expect(code, stdout + stderr).toBe(0);
  const outcomes = readResults(out);
  const passed = [...outcomes].filter(([, o]) => o.status === 'passed').map(([id]) => id);
  const expected = RUNNABLE.flatMap((id) => [id, `${id} · documented payload variants`]);
  expect(passed.sort()).toEqual(expected.sort());
  // Everything else needs the control API, which this bot does not have: skipped, and said why.
  const others = [...outcomes].filter(([id]) => !expected.includes(id));
  expect(others.length).toBeGreaterThan(0);
  expect(others.filter(([, o]) => o.status !== 'skipped')).toEqual([]);
});

test('the reference bot with its production URLs passes the suites that drive it through its control API, through start.intercept', async ({}, testInfo) => {
  const out = tempDir('confcall-intercept-');
  const suites = ['suites/transfer.yaml', 'suites/hold-music.yaml', 'suites/incoming-call.yaml'].flatMap((s) => ['--suite', s]);
  const { code, stdout, stderr } = await confcall(['run', '--target', 'targets/reference-bot-intercept.yaml', '--out', out, ...suites], { env: portsFor(testInfo.parallelIndex, 1) });
  expect(code, stdout + stderr).toBe(0);
  const outcomes = readResults(out);
  expect(outcomes.size).toBeGreaterThanOrEqual(40);
  expect([...outcomes].filter(([, o]) => o.status !== 'passed')).toEqual([]);
});

test('an intercept target gets the production URLs, the preload added to its NODE_OPTIONS, and the fake Graph to reroute to', () => {
  const { value: target, problems } = parseTarget('t.yaml', 'name: t\ncallbackUri: http://127.0.0.1:3978/api/calls\ngraph: { listen: "127.0.0.1:4455" }\nauth: { appId: 11111111-2222-3333-4444-555555555555, tenantId: aa67bd4c-8475-432d-bd41-39f255720e0a }\nstart: { command: node bot.js, ready: "http://127.0.0.1:3978/health", intercept: true }\n');
  expect(problems).toEqual([]);
  const env = standardEnvironment(target!, 'http://127.0.0.1:4455', 'http://127.0.0.1:4455/v1/.well-known/OpenIdConfiguration', '--max-old-space-size=512');
  expect(env).toMatchObject({ ...PRODUCTION_ENVIRONMENT, CONFCALL_INTERCEPT_GRAPH_URL: 'http://127.0.0.1:4455', BOT_APP_ID: '11111111-2222-3333-4444-555555555555', PORT: '3978' });
  expect(env.NODE_OPTIONS).toBe(`--max-old-space-size=512 --require ${JSON.stringify(preloadPath())}`);
  // NODE_OPTIONS the profile gives the bot are kept beside the preload.
  const own = standardEnvironment({ ...target!, start: { ...target!.start!, env: { NODE_OPTIONS: '--enable-source-maps' } } }, 'http://127.0.0.1:4455', '', '--max-old-space-size=512');
  expect(own.NODE_OPTIONS).toBe(`--enable-source-maps --require ${JSON.stringify(preloadPath())}`);
  // Without intercept, the bot is pointed at the fake Graph itself and no preload is loaded.
  const plain = standardEnvironment({ ...target!, start: { ...target!.start!, intercept: false } }, 'http://127.0.0.1:4455', 'http://127.0.0.1:4455/v1/.well-known/OpenIdConfiguration');
  expect(plain.GRAPH_BASE_URL).toBe('http://127.0.0.1:4455');
  expect(plain.NODE_OPTIONS).toBeUndefined();
});

test('start.intercept must be true, false, preload or proxy: the profile is refused at its line and column', () => {
  const { problems } = parseTarget('t.yaml', 'name: t\ncallbackUri: http://127.0.0.1:3978/api/calls\ngraph: { listen: "127.0.0.1:4455" }\nauth: { appId: 11111111-2222-3333-4444-555555555555, tenantId: aa67bd4c-8475-432d-bd41-39f255720e0a }\nstart:\n  command: node bot.js\n  ready: "http://127.0.0.1:3978/health"\n  intercept: "yes"\n');
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatchObject({ file: 't.yaml', line: 8, path: expect.stringContaining('intercept') });
});
