/**
 * The bad-input corpus (tests/fixtures/bad-inputs/, tests/fixtures/bots/): each case is a command
 * a user could run, the exit code it must give and the message that must tell them what is wrong
 * (with file:line:col where the input has one). None may print a stack trace, and none may hang:
 * each case has its own time bound, the test's timeout.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { confcall, portsFor, readResults, ROOT, tempDir } from './support/cli.js';

const FIXTURES = 'tests/fixtures/bad-inputs';
const ONE_NOTIFICATION = ['--suite', `${FIXTURES}/suites/one-notification.yaml`];

interface Ports {
  bot: number;
  graph: number;
}

interface BadInput {
  name: string;
  /** confcall's arguments; `--out` is added for `run`. */
  args: string[];
  cwd?: string;
  /** Environment variables the case sets, besides the ports. */
  env?: Record<string, string>;
  exit: number;
  /** What the user reads on stdout or stderr. */
  message: string | RegExp;
  /** Something the case needs while it runs (a port held by another program); returns how to let go. */
  occupy?: (ports: Ports) => Promise<() => Promise<void>>;
  /** Files the case writes into a fresh folder, which becomes its cwd (inputs too big to keep in git). */
  prepare?: (dir: string) => void;
  timeoutMs?: number;
}

const suite = (name: string): string[] => ['run', '--suite', `${FIXTURES}/suites/${name}.yaml`];
const target = (name: string, ...more: string[]): string[] => ['run', '--target', `${FIXTURES}/targets/${name}.yaml`, ...more];
const validate = (kind: 'suites' | 'targets', name: string): string[] => ['validate', `${FIXTURES}/${kind}/${name}.yaml`];
const HINT = '\n    hint: ';

const CASES: BadInput[] = [
  // Inputs: nothing runs, exit 2, the place of the problem first.
  { name: 'malformed YAML in a suite', args: suite('malformed-yaml'), exit: 2, message: `${FIXTURES}/suites/malformed-yaml.yaml:7:1: YAML syntax error: Missing closing "quote` },
  { name: 'a schema violation in a suite', args: suite('schema-violation'), exit: 2, message: `${FIXTURES}/suites/schema-violation.yaml:9:16: scenarios[0].steps[1].times: must be an integer, got string "many"` },
  { name: 'an unknown recording reference', args: suite('unknown-recording'), exit: 2, message: `${FIXTURES}/suites/unknown-recording.yaml:7:9: notify: no recording "transfer/notification-transfer-exploded"` },
  { name: 'a cycle of fragments including each other', args: suite('include-cycle'), exit: 2, message: `${FIXTURES}/suites/include-cycle.yaml:9:7: include: fragment "ping" includes itself (ping → pong → ping)` },
  {
    name: 'a reorder licence the steps contradict (suites cannot declare an ordering cycle)',
    args: suite('licence-across-barrier'),
    exit: 2,
    message: `${FIXTURES}/suites/licence-across-barrier.yaml:7:9: reorderable.labels: "incoming-call" and "established" may not swap: step 2 (expect, line 11) between them keeps them in order`,
  },
  {
    name: 'a reorder licence that swaps two full rosters (no bot could tell the older)',
    args: suite('licence-swapping-full-rosters'),
    exit: 2,
    message: `${FIXTURES}/suites/licence-swapping-full-rosters.yaml:7:9: reorderable.labels: "in-lobby" and "admitted" may not swap: both restate the whole participants list with no sequenceNumber`,
  },
  { name: 'malformed JSON in a recording', args: ['validate', 'recordings'], cwd: join(ROOT, FIXTURES, 'projects/broken-recording'), exit: 2, message: 'recordings/graph-reference/notification-broken.json:4:24: JSON syntax error' },
  { name: 'a target without its callbackUri', args: target('missing-callback-uri'), exit: 2, message: `${FIXTURES}/targets/missing-callback-uri.yaml:2:1: missing required key "callbackUri"` },
  { name: 'a target naming an unset environment variable', args: target('unset-env'), exit: 2, message: `${FIXTURES}/targets/unset-env.yaml:3:14: callbackUri: environment variable CONFCALL_TEST_SURELY_UNSET is not set` },
  { name: 'malformed YAML in a target', args: target('malformed-yaml'), exit: 2, message: `${FIXTURES}/targets/malformed-yaml.yaml:5:1: YAML syntax error` },
  { name: 'a target file that does not exist', args: target('no-such-target'), exit: 2, message: `${FIXTURES}/targets/no-such-target.yaml:1:1: cannot read target profile: ENOENT` },
  { name: 'a trigger naming an unknown placeholder', args: target('unknown-placeholder'), exit: 2, message: `${FIXTURES}/targets/unknown-placeholder.yaml:15:24: actions.joinMeeting.http.body.joinUrl: unknown placeholder \${joinURL}\n    hint: use one of` },
  { name: 'a trigger with a malformed JSON pointer', args: target('malformed-pointer'), exit: 2, message: `${FIXTURES}/targets/malformed-pointer.yaml:15:23: actions.joinMeeting.http.body.thread: \${/chatInfo/thread~2Id} is not a JSON pointer` },
  { name: 'an unknown action name', args: ['validate', `${FIXTURES}/targets/unknown-action.yaml`], exit: 2, message: `${FIXTURES}/targets/unknown-action.yaml:11:3: actions.joinMeetings: unknown action "joinMeetings"` },
  { name: 'a declared capability nothing can trigger', args: target('capability-without-trigger'), exit: 2, message: `${FIXTURES}/targets/capability-without-trigger.yaml:9:31: capabilities[1]: the profile declares transfers but has no way to trigger it: no control API and no mapped action\n    hint: map one of transfer under actions:` },
  { name: 'start.env naming a profile field that does not exist', args: ['validate', `${FIXTURES}/targets/start-env-placeholder.yaml`], exit: 2, message: `${FIXTURES}/targets/start-env-placeholder.yaml:12:17: start.env.APP_SECRET: unknown placeholder \${auth.secret}` },

  // What values mean (issue 14 item 6): each refused where it is written, with a hint; warnings stop nothing (exit 0).
  // Resource limits and encoding.
  { name: 'YAML aliases that expand without bound (billion laughs)', args: suite('alias-bomb'), exit: 2, message: `${FIXTURES}/suites/alias-bomb.yaml:8:10: *c expands to too many values: aliases of aliases grow exponentially, and confcall expands at most 100${HINT}write the values out` },
  { name: 'YAML aliases that expand without bound, in validate', args: validate('suites', 'alias-bomb'), exit: 2, message: `${FIXTURES}/suites/alias-bomb.yaml:8:10: *c expands to too many values` },
  { name: 'a suite that is not UTF-8 (Latin-1)', args: validate('suites', 'not-utf8'), exit: 2, message: `${FIXTURES}/suites/not-utf8.yaml:3:17: not UTF-8: byte 0xE7 (offset 109) is not part of a UTF-8 character${HINT}save the file as UTF-8` },
  { name: 'a target profile that is not UTF-8', args: target('not-utf8'), exit: 2, message: `${FIXTURES}/targets/not-utf8.yaml:2:8: not UTF-8: byte 0xE9 (offset 89) is not part of a UTF-8 character${HINT}save the file as UTF-8` },
  { name: 'a recording that is not UTF-8 (Windows-1252 dash)', args: ['validate', 'recordings'], cwd: join(ROOT, FIXTURES, 'projects/not-utf8-recording'), exit: 2, message: `recordings/graph-reference/notification-established.json:5:40: not UTF-8: byte 0x97 (offset 178) is not part of a UTF-8 character${HINT}save the file as UTF-8` },
  {
    name: 'a target profile saved as UTF-16',
    args: ['validate', 'targets/utf16.yaml'],
    prepare: (dir) => {
      mkdirSync(join(dir, 'targets'));
      writeFileSync(join(dir, 'targets/utf16.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name: utf16\n', 'utf16le')]));
    },
    exit: 2,
    message: `targets/utf16.yaml:1:1: not UTF-8: byte 0xFF (offset 0) is not part of a UTF-8 character${HINT}save the file as UTF-8`,
  },
  { name: 'a value nested deeper than confcall reads', args: validate('suites', 'deep-nesting'), exit: 2, message: `${FIXTURES}/suites/deep-nesting.yaml:9:311: nested more than 64 levels deep${HINT}confcall reads mappings and lists nested up to 64 levels` },
  {
    name: 'a suite file over the size confcall reads',
    args: ['validate', 'suites/huge.yaml'],
    prepare: (dir) => {
      mkdirSync(join(dir, 'suites'));
      writeFileSync(join(dir, 'suites/huge.yaml'), `suite: huge\ntitle: t\ndescription: "${'x'.repeat(9 * 1024 * 1024)}"\n`);
    },
    exit: 2,
    message: `suites/huge.yaml:1:1: the file is 9.0 MiB; confcall reads input files up to 8 MiB${HINT}split it`,
  },
  { name: 'a key written twice in one mapping', args: validate('suites', 'duplicate-key'), exit: 2, message: `${FIXTURES}/suites/duplicate-key.yaml:9:81: YAML syntax error: Map keys must be unique${HINT}each key may appear once in a mapping` },
  // Suites: placeholders, ids, statuses, waits, phone ids.
  { name: 'a typo of {call.id} in an expected path', args: suite('path-placeholder-typo'), exit: 2, message: `${FIXTURES}/suites/path-placeholder-typo.yaml:9:39: scenarios[0].steps[1].expect.path: unknown placeholder {call.Id} in the path (did you mean {call.id}?)${HINT}{call.id} is the run's call` },
  { name: 'an expected path naming an id the scenario does not have', args: validate('suites', 'unknown-path-id'), exit: 2, message: `${FIXTURES}/suites/unknown-path-id.yaml:10:9: expect.path: no recording or step of scenario a has the id fa1e9582-7145-4ca3-bcd8-577f561fcb6f, so no bot can send this request${HINT}use an id from a recording` },
  { name: 'an interim (1xx) expectStatus', args: validate('suites', 'expect-status-interim'), exit: 2, message: `${FIXTURES}/suites/expect-status-interim.yaml:9:24: scenarios[0].steps[0].expectStatus[0]: 100 is an interim status: no answer ends with it${HINT}expect a final status, 200-599` },
  { name: 'an expectStatus outside 100-599', args: validate('suites', 'expect-status-range'), exit: 2, message: `${FIXTURES}/suites/expect-status-range.yaml:9:23: scenarios[0].steps[0].expectStatus: has the wrong shape: an HTTP status (100-599), or a list of them, got number 700` },
  { name: 'a phone id that is not E.164 in a control body', args: validate('suites', 'phone-not-e164'), exit: 2, message: `${FIXTURES}/suites/phone-not-e164.yaml:14:42: scenarios[0].steps[0].control.body.targets[0].identity.phone.id: phone id "555-0100" is not an E.164 number${HINT}write it as + and up to 15 digits` },
  { name: 'a within longer than a conformance test (a warning)', args: validate('suites', 'within-beyond-timeout'), exit: 0, message: `${FIXTURES}/suites/within-beyond-timeout.yaml:10:17: scenarios[0].steps[1].within: warning: within 90000 ms is longer than a conformance test may run (60000 ms): the test times out first${HINT}wait 30000 ms or less` },
  // Target profiles: ports, Entra ids, environment references, settle time.
  { name: 'a callbackUri port above 65535', args: target('port-out-of-range'), exit: 2, message: `${FIXTURES}/targets/port-out-of-range.yaml:3:14: callbackUri: port 397800 is not a TCP port: ports are 1-65535${HINT}write the port the bot listens on` },
  { name: 'graph.listen on port 0', args: validate('targets', 'listen-port-zero'), exit: 2, message: `${FIXTURES}/targets/listen-port-zero.yaml:5:11: graph.listen: port 0 is not a TCP port: ports are 1-65535${HINT}pick a free port` },
  { name: 'a tcp ready check without a port', args: validate('targets', 'ready-without-port'), exit: 2, message: `${FIXTURES}/targets/ready-without-port.yaml:11:10: start.ready: the URL names no port${HINT}write tcp://host:port` },
  { name: 'an action URL port above 65535', args: validate('targets', 'action-port-out-of-range'), exit: 2, message: `${FIXTURES}/targets/action-port-out-of-range.yaml:12:34: actions.hangUp.http.url: port 70000 is not a TCP port: ports are 1-65535` },
  { name: 'a port from the environment outside 1-65535', args: validate('targets', 'env-port-out-of-range'), env: { CONFCALL_TEST_BOT_PORT: '99999' }, exit: 2, message: `${FIXTURES}/targets/env-port-out-of-range.yaml:3:14: callbackUri: port 99999 is not a TCP port: ports are 1-65535` },
  { name: 'a probe mapping with a dotted path for a JSON pointer', args: validate('targets', 'probe-pointer-malformed'), exit: 2, message: `${FIXTURES}/targets/probe-pointer-malformed.yaml:11:10: probe.state: "status.state" does not have the expected form (An RFC 6901 JSON pointer, e.g. /status/state.)` },
  { name: 'an app id that is not a GUID', args: target('app-id-not-guid'), exit: 2, message: `${FIXTURES}/targets/app-id-not-guid.yaml:7:10: auth.appId: "my-calling-bot" is not a GUID: an app (client) id is one, and Graph's notification tokens carry it as aud${HINT}copy the Application (client) ID` },
  { name: 'a tenant domain name where the tenant id belongs', args: validate('targets', 'tenant-id-domain'), exit: 2, message: `${FIXTURES}/targets/tenant-id-domain.yaml:8:13: auth.tenantId: "contoso.onmicrosoft.com" is not a GUID: Graph's notification tokens carry the tenant id as tid, a GUID${HINT}copy the Directory (tenant) ID` },
  { name: 'an environment default in the shell\'s form (no colon)', args: validate('targets', 'env-default-without-colon'), exit: 2, message: `${FIXTURES}/targets/env-default-without-colon.yaml:3:14: callbackUri: \${env:BOT_PORT-3978} is not an environment reference${HINT}write \${env:NAME} or \${env:NAME:-default}` },
  { name: 'an environment default holding another reference', args: validate('targets', 'env-nested-default'), exit: 2, message: `${FIXTURES}/targets/env-nested-default.yaml:3:14: callbackUri: \${env:BOT_CALLBACK:-\${env:FALLBACK_URI}}: a default cannot hold another \${…} reference` },
  { name: 'a settleMs above what the run waits (a warning)', args: validate('targets', 'settle-beyond-cap'), exit: 0, message: `${FIXTURES}/targets/settle-beyond-cap.yaml:9:11: settleMs: warning: settleMs 10000 is longer than the run waits: it caps the quiet window at 3000 ms${HINT}set settleMs to 3000 or less` },
  // A certification run's expected failures, read before the run (they were read after it).
  { name: 'an expected failure naming no scenario', args: ['run', '--profile', 'certification', '--expected-failures', `${FIXTURES}/expected-failures/unknown-scenario.yaml`], exit: 2, message: `${FIXTURES}/expected-failures/unknown-scenario.yaml:4:5: expectedFailures[0]: "transfer/peer-to-peer-fails · documented payload variants" names no scenario of the certification suites, so it could never fail and the certification never pass${HINT}ids are suite/scenario` },
  { name: 'expected failures that are not a list', args: ['run', '--profile', 'certification', '--expected-failures', `${FIXTURES}/expected-failures/not-a-list.yaml`], exit: 2, message: `${FIXTURES}/expected-failures/not-a-list.yaml:2:19: expectedFailures: expectedFailures must be a list of test ids` },
  { name: 'an expected-failures file that does not exist', args: ['run', '--profile', 'certification', '--expected-failures', `${FIXTURES}/expected-failures/no-such-file.yaml`], exit: 2, message: `${FIXTURES}/expected-failures/no-such-file.yaml:1:1: cannot read expected failures: ENOENT` },
  // Recordings: one id in two folders.
  { name: 'a recording id in two recordings folders', args: ['validate', '--recordings', `${FIXTURES}/projects/duplicate-recording/captured`, 'suites/transfer.yaml'], exit: 2, message: `${FIXTURES}/projects/duplicate-recording/captured/graph-reference/notification-established.json:1:1: id: recording "graph-reference/notification-established" is also in another recordings folder${HINT}record under another --name` },

  { name: 'a count that is not a number', args: ['run', '--runs', 'many'], exit: 2, message: '--runs must be a whole number, got "many"' },
  { name: 'a replay token that is not one', args: ['run', '--replay', 'incoming-call/answer'], exit: 2, message: '--replay: "incoming-call/answer" is not a replay token; it looks like suite/scenario@documented:SEED:INDEX:PATH' },
  { name: 'a stop grace that is not a number', args: ['run', '--target', 'targets/reference-bot.yaml', ...ONE_NOTIFICATION], env: { CONFCALL_STOP_GRACE_MS: 'soon' }, exit: 2, message: 'CONFCALL_STOP_GRACE_MS must be a whole number of milliseconds above 0, got "soon"' },
  { name: 'an option confcall does not have', args: ['run', '--tragte', 'x.yaml'], exit: 2, message: "Unknown option '--tragte'" },

  // The machine: a port already taken.
  {
    name: 'the fake Graph\'s port already in use',
    args: ['run', '--target', 'targets/reference-bot.yaml', ...ONE_NOTIFICATION],
    exit: 2,
    message: /the fake Graph cannot listen on 127\.0\.0\.1:\d+: the port is already in use/,
    occupy: async ({ graph }) => holdTcp(graph),
  },
  {
    name: 'the bot\'s port already answered by another program',
    args: ['run', '--target', 'targets/reference-bot.yaml', ...ONE_NOTIFICATION],
    exit: 3,
    message: /the bot could not be reached: http:\/\/127\.0\.0\.1:\d+\/health already answers before the bot was started/,
    occupy: async ({ bot }) => holdHttp(bot),
  },

  // Misbehaving bots (tests/fixtures/bots/): exit 3 when unreachable, a failed scenario when they answer badly.
  { name: 'a bot that never starts', args: target('never-starts', ...ONE_NOTIFICATION), exit: 3, message: /the bot could not be reached: the bot did not become ready: http:\/\/127\.0\.0\.1:\d+\/health gave ECONNREFUSED for 3 s/ },
  { name: 'a bot that refuses connections', args: target('refuses-connections', ...ONE_NOTIFICATION), exit: 3, message: /the bot could not be reached: http:\/\/127\.0\.0\.1:\d+\/api\/calls: ECONNREFUSED/ },
  // NOTIFY-ACKNOWLEDGED is an inferred rule too (no document states the answer's status): --strict makes a bad answer fail the run.
  { name: 'a bot that resets mid-response', args: target('resets-mid-response', ...ONE_NOTIFICATION, '--strict'), exit: 1, message: /bot did: +gave no answer to notification graph-reference\/notification-established \((ECONNRESET|UND_ERR_SOCKET)/ },
  // NOTIFY-ANSWER-IN-TIME is an inferred rule (a warning): --strict makes it fail the run.
  { name: 'a bot that answers after the deadline', args: target('answers-late', ...ONE_NOTIFICATION, '--strict'), exit: 1, message: /bot did: +answered notification graph-reference\/notification-established after [6-9]\d{3} ms\n\s+required: +an answer within 5000 ms/ },
  { name: 'a bot that never answers (each request hangs)', args: target('never-answers', ...ONE_NOTIFICATION, '--strict'), exit: 1, message: /bot did: +gave no answer to notification graph-reference\/notification-established within 5000 ms/ },
  { name: 'a bot that speaks garbage', args: target('speaks-garbage', ...ONE_NOTIFICATION, '--strict'), exit: 1, message: /bot did: +gave no answer to notification graph-reference\/notification-established \(.*(HTTP\/1\.1 protocol|HPE_)/ },
  { name: 'a bot that returns 10 MB', args: target('answers-10mb', ...ONE_NOTIFICATION, '--strict'), exit: 1, message: 'bot did:   answered notification graph-reference/notification-established with HTTP 200 and a body longer than confcall reads' },
  // Without --strict the run passes, and says what warned.
  { name: 'a bot that resets mid-response, without --strict: a warning, the run passes', args: target('resets-mid-response', ...ONE_NOTIFICATION), exit: 0, message: /confcall: 2 passed, 0 failed.*\nconfcall: warnings \(failures with --strict\): NOTIFY-ACKNOWLEDGED in 1 test; their findings are in summary\.json/ },
];

/** A stack frame of confcall's or Node's code: users get messages, never these. */
const STACK_FRAME = /^\s*at .*\.(m?js|ts):\d+(:\d+)?\)?\s*$|node:internal/m;

test.describe.configure({ mode: 'parallel' });

for (const badInput of CASES) {
  test(badInput.name, async ({}, testInfo) => {
    test.setTimeout(badInput.timeoutMs ?? 60_000); // the bound on "no hang"
    const env = { ...portsFor(testInfo.parallelIndex), ...badInput.env };
    const ports = { bot: Number(env.CONFCALL_BOT_PORT), graph: Number(env.CONFCALL_GRAPH_PORT) };
    const out = tempDir('confcall-bad-');
    const release = badInput.occupy ? await badInput.occupy(ports) : undefined;
    let cwd = badInput.cwd;
    if (badInput.prepare) badInput.prepare((cwd = tempDir('confcall-bad-input-')));
    try {
      const args = badInput.args[0] === 'run' ? [...badInput.args, '--out', out, '--reporter', 'list,json'] : badInput.args;
      const { code, stdout, stderr } = await confcall(args, { cwd, env, timeoutMs: 50_000 });
      const said = `${stdout}\n${stderr}`;
      expect(code, said).toBe(badInput.exit);
      if (typeof badInput.message === 'string') expect(said).toContain(badInput.message);
      else expect(said).toMatch(badInput.message);
      expect(said).not.toMatch(STACK_FRAME);
      expect(said).not.toContain('internal error');
      if (badInput.exit === 1) {
        // A failed scenario, with the same message in the report.
        const failed = [...readResults(out)].filter(([, o]) => o.status === 'failed');
        expect(failed.map(([id]) => id)).toEqual(['one-notification/notification-acknowledged']);
        if (typeof badInput.message !== 'string') expect(failed[0]![1].message).toMatch(badInput.message);
        else expect(failed[0]![1].message).toContain(badInput.message);
      }
    } finally {
      await release?.();
    }
  });
}

/** Holds a TCP port the way another program would. */
function holdTcp(port: number): Promise<() => Promise<void>> {
  const server = createTcpServer((socket) => socket.destroy());
  return listening(server, port);
}

/** Answers every HTTP request with 200, as another bot left running would. */
function holdHttp(port: number): Promise<() => Promise<void>> {
  const server = createHttpServer((_req, res) => res.end('ok'));
  return listening(server, port);
}

function listening(server: Server | ReturnType<typeof createTcpServer>, port: number): Promise<() => Promise<void>> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () =>
      resolve(
        () =>
          new Promise<void>((closed) => {
            server.close(() => closed());
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      ),
    );
  });
}

test('--help after any command prints the usage and exits 0, running nothing', async () => {
  for (const command of ['run', 'validate', 'list', 'merge-reports', 'serve', 'proxy', 'record', 'import-docs']) {
    const result = await confcall([command, '--help']);
    expect(result.code, `${command} --help: ${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('Usage:');
    expect(result.stderr).toBe('');
  }
});
