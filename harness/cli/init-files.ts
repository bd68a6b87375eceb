/**
 * The files `confcall init` writes into a bot's repository, as text: pure functions of the answers,
 * so the command only decides where they go and whether it may write them.
 */

/** What `confcall init` knows about the user's bot (from flags, or their defaults). */
export interface InitAnswers {
  name: string;
  callbackUri: string;
  graphListen: string;
  appId: string;
  tenantId: string;
  clientSecret: string;
  start: string;
  ready: string;
  intercept: boolean;
  control?: string;
  probe: boolean;
  capabilities: string[];
  shards: number;
}

/** The commented target profile of the user's bot. `schema` is the schema's path relative to the profile. */
export function botProfile(a: InitAnswers, schema: string): string {
  const lines = [
    `# yaml-language-server: $schema=${schema}`,
    `# The target profile of ${a.name}: how confcall reaches it, and how it starts it. Every field:`,
    '# node_modules/confcall/harness/schema/target.schema.json, and README "Your own bot".',
    '# Check it with `npx confcall validate`; run with `npx confcall run --target <this file>`.',
    `name: ${a.name}`,
    '# Where confcall POSTs the notifications (the bot may give another in its answer/createCall body;',
    '# only loopback or this origin are used). ${env:NAME:-default} reads the environment.',
    `callbackUri: ${a.callbackUri}`,
    '# The fake Graph listens here; the bot gets its URL in GRAPH_BASE_URL and AUTHORITY_HOST.',
    'graph:',
    `  listen: ${a.graphListen}`,
    '# Test values: the fake Graph issues tokens for them (BOT_APP_ID, BOT_TENANT_ID, BOT_CLIENT_SECRET in',
    '# the bot\'s environment). Never put a production secret here.',
    'auth:',
    `  appId: ${a.appId}`,
    `  tenantId: ${a.tenantId}`,
    `  clientSecret: ${a.clientSecret}`,
    ...controlLines(a),
    '# What the bot does; a scenario needing anything else is reported "not applicable". Names:',
    '# answersIncomingCalls, createsCalls, joinsMeetings, transfers, holdMusic, hangsUp, playsPrompts,',
    '# subscribesToTones, recordsCompliance. All but answering, prompts, tones and recording need a',
    '# trigger: `control` above, or the bot\'s own endpoint under `actions:` (README "Bots with their own API").',
    `capabilities: [${a.capabilities.join(', ')}]`,
    ...startLines(a),
    '',
  ];
  return lines.join('\n');
}

function controlLines(a: InitAnswers): string[] {
  if (!a.control) {
    return [
      '# The control API of confcall\'s DESIGN.md (POST /calls, /calls/{id}/transfer, ...), if the bot has one:',
      '# control: http://127.0.0.1:3978/control',
      '# probe: true                # GET {control}/calls/{id} answers the bot\'s view of the call',
    ];
  }
  return [
    '# The control API (DESIGN.md): how confcall asks the bot to create, transfer, hold, hang up.',
    `control: ${a.control}`,
    ...(a.probe ? ['probe: true                   # GET {control}/calls/{id} answers the bot\'s view of the call'] : ['# probe: true                 # GET {control}/calls/{id} answers the bot\'s view of the call']),
  ];
}

function startLines(a: InitAnswers): string[] {
  const intercept = [
    '  # true: a Node bot keeps its production URLs (https://graph.microsoft.com, ...); confcall\'s preload',
    '  # reroutes them to the fake Graph inside the bot\'s process.',
    `  intercept: ${a.intercept}`,
  ];
  const body = [
    '# How confcall starts the bot for a run and stops it after (leave `start` out to run against a bot',
    '# you started yourself). The command runs in `cwd` (relative to this file; default: where confcall runs).',
    'start:',
    `  command: ${yamlString(a.start)}`,
    '  cwd: ../..                   # the repository root',
    '  # The bot\'s own variable names can be filled from the profile:',
    '  # env:',
    '  #   MY_APP_ID: ${auth.appId}',
    '  #   MY_CALLBACK_URL: ${callbackUri}',
    '  # Polled until it answers 2xx (http/https), or until it accepts a connection (tcp://host:port).',
    `  ready: ${a.ready}`,
    '  timeoutSeconds: 60',
    ...intercept,
  ];
  return body;
}

/** The reference bot of the installed package, for a first passing run (`--target confcall/targets/reference-bot.yaml`). */
export function referenceBotProfile(shipped: string, schema: string, packageFolder: string): string {
  return shipped
    .replace(/^# yaml-language-server: \$schema=.*$/m, `# yaml-language-server: $schema=${schema}`)
    .replace(/^(\s*)cwd: .*$/m, `$1cwd: ${packageFolder}   # confcall's installed package (relative to this file)`);
}

/** A GitHub Actions workflow: the run sharded across machines, merged, and gated on the baseline once there is one. */
export function githubWorkflow(targetFile: string, shards: number, baselineFile: string): string {
  const matrix = Array.from({ length: shards }, (_, i) => i + 1).join(', ');
  return `# Conformance of the bot against Microsoft Graph's calling documents (confcall).
# Each shard starts its own bot and fake Graph; merge-reports joins them into one set of reports.
name: confcall
on: [push, pull_request]
jobs:
  conformance:
    strategy:
      fail-fast: false
      matrix:
        shard: [${matrix}]
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: { node-version: 20 }
      - run: npm ci
      # Build the bot here if its start command needs it.
      - run: npx confcall run --target ${targetFile} --shard \${{ matrix.shard }}/${shards} --out reports
      - uses: actions/upload-artifact@v4
        if: \${{ !cancelled() }}
        with:
          name: reports-\${{ matrix.shard }}
          path: reports
          retention-days: 1
  merge-reports:
    if: \${{ !cancelled() }}
    needs: conformance
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: { node-version: 20 }
      - run: npm ci
      - uses: actions/download-artifact@v4
        with:
          path: all-shards
          pattern: reports-*
      # The baseline gate: once ${baselineFile} is committed (a summary.json of a run on main), only new
      # failures fail the job, and fixed ones are named. Without it every failure fails the job.
      - run: npx confcall merge-reports all-shards --out reports $([ -f ${baselineFile} ] && echo --baseline ${baselineFile})
      - uses: actions/upload-artifact@v4
        if: \${{ !cancelled() }}
        with:
          name: conformance-report
          path: reports
`;
}

/** `settings` with yaml.schemas associating the schemas with the user's confcall files; undefined when they are there already. */
export function withYamlSchemas(settings: Record<string, unknown>, schemas: Record<string, string[]>): Record<string, unknown> | undefined {
  const current = (settings['yaml.schemas'] ?? {}) as Record<string, unknown>;
  if (Object.entries(schemas).every(([schema, globs]) => JSON.stringify(current[schema]) === JSON.stringify(globs))) return undefined;
  return { ...settings, 'yaml.schemas': { ...current, ...schemas } };
}

/** A YAML scalar for a shell command: quoted when YAML would read it as something else. */
function yamlString(text: string): string {
  return /^[\w./-][^#:]*$/.test(text) && !/\s$/.test(text) ? text : JSON.stringify(text);
}
