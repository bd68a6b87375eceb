/**
 * The bad-input corpus (tests/fixtures/bad-inputs/, tests/fixtures/bots/): each case is a command
 * a user could run, the exit code it must give and the message that must tell them what is wrong
 * (with file:line:col where the input has one). None may print a stack trace, and none may hang:
 * each case has its own time bound, the test's timeout.
 */
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
  timeoutMs?: number;
}

const suite = (name: string): string[] => ['run', '--suite', `${FIXTURES}/suites/${name}.yaml`];
const target = (name: string, ...more: string[]): string[] => ['run', '--target', `${FIXTURES}/targets/${name}.yaml`, ...more];

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
  { name: 'a count that is not a number', args: ['run', '--runs', 'many'], exit: 2, message: '--runs must be a whole number, got "many"' },
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
  { name: 'a bot that resets mid-response', args: target('resets-mid-response', ...ONE_NOTIFICATION), exit: 1, message: /bot did: +did not answer the notification \((ECONNRESET|UND_ERR_SOCKET)/ },
  // NOTIFY-ANSWER-IN-TIME is an inferred rule (a warning): --strict makes it fail the run.
  { name: 'a bot that answers after the deadline', args: target('answers-late', ...ONE_NOTIFICATION, '--strict'), exit: 1, message: /bot did: +answered notification graph-reference\/notification-established after [6-9]\d{3} ms\n\s+required: +an answer within 5000 ms/ },
  { name: 'a bot that never answers (each request hangs)', args: target('never-answers', ...ONE_NOTIFICATION, '--strict'), exit: 1, message: /bot did: +gave no answer to notification graph-reference\/notification-established within 5000 ms/ },
  { name: 'a bot that speaks garbage', args: target('speaks-garbage', ...ONE_NOTIFICATION), exit: 1, message: /bot did: +did not answer the notification \(.*(HTTP\/1\.1 protocol|HPE_)/ },
  { name: 'a bot that returns 10 MB', args: target('answers-10mb', ...ONE_NOTIFICATION), exit: 1, message: 'bot did:   answered the notification with HTTP 200 and a body over 1 MiB (confcall read no further)' },
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
    try {
      const args = badInput.args[0] === 'run' ? [...badInput.args, '--out', out, '--reporter', 'list,json'] : badInput.args;
      const { code, stdout, stderr } = await confcall(args, { cwd: badInput.cwd, env, timeoutMs: 50_000 });
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
