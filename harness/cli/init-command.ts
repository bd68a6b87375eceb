import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot, schemaDir } from '../load/package-root.js';
import { USER_DIR } from '../load/project-layout.js';
import { CAPABILITY_NAMES, CONTROL_API_CAPABILITIES } from '../model/capability.js';
import { botProfile, githubWorkflow, referenceBotProfile, withYamlSchemas, type InitAnswers } from './init-files.js';
import { askMissing, type Question } from './init-prompts.js';
import { UsageError } from './usage.js';

const OPTIONS = {
  name: { type: 'string' },
  'callback-uri': { type: 'string' },
  'graph-listen': { type: 'string' },
  'app-id': { type: 'string' },
  'tenant-id': { type: 'string' },
  'client-secret': { type: 'string' },
  start: { type: 'string' },
  ready: { type: 'string' },
  intercept: { type: 'boolean' },
  control: { type: 'string' },
  probe: { type: 'boolean' },
  capabilities: { type: 'string' },
  ci: { type: 'string' },
  shards: { type: 'string' },
  force: { type: 'boolean' },
  yes: { type: 'boolean' },
} as const;

/** The baseline the workflow's merge gates on, once the user commits one. */
const BASELINE_FILE = `${USER_DIR}/baseline.json`;

/** One file init writes; `merged` ones (the editor settings) add to what is there rather than replace it. */
interface PlannedFile {
  file: string;
  text: string;
  merged?: boolean;
}

/**
 * `confcall init`: scaffolds confcall in a bot's repository (a target profile for the bot, the reference
 * bot's, a CI workflow, editor schema associations). Flags or their defaults; on a terminal it asks for
 * the essentials no flag gave (not with --yes). Writes nothing if any file it would write exists, unless --force.
 */
export async function initCommand(args: string[], cwd: string): Promise<number> {
  const { values: given } = parseArgs({ args, options: OPTIONS });
  // On a terminal, the essentials not given as flags are asked; anywhere else (CI, scripts) nothing is.
  const interactive = process.stdin.isTTY && process.stdout.isTTY && !given.yes;
  const values = (interactive ? await askMissing(given, questions(cwd)) : given) as typeof given;
  const answers = answersFrom(values, cwd);
  const planned = plannedFiles(answers, values.ci ?? 'github', cwd);
  const shown = (file: string): string => relative(cwd, file);
  const taken = planned.filter((p) => !p.merged && existsSync(p.file));
  if (taken.length && !values.force) {
    for (const p of taken) console.error(`confcall: ${shown(p.file)} exists`);
    console.error(`confcall: init wrote nothing\n    hint: pass --force to overwrite ${taken.map((p) => shown(p.file)).join(', ')}, or move ${taken.length > 1 ? 'them' : 'it'} away first`);
    return 2;
  }
  for (const p of planned) {
    mkdirSync(dirname(p.file), { recursive: true });
    writeFileSync(p.file, p.text);
    console.log(`confcall: ${p.merged ? 'added yaml.schemas to' : 'wrote'} ${shown(p.file)}`);
  }
  const target = shown(join(cwd, USER_DIR, 'targets', `${answers.name}.yaml`));
  console.log(['', 'Next:', `  npx confcall run --target ${USER_DIR}/targets/reference-bot.yaml   # the reference bot: a run that passes`, `  npx confcall validate                                             # after editing ${target}`, `  npx confcall run --target ${target}`].join('\n'));
  return 0;
}

/** The answers from the flags, with defaults for a bot on this machine; bad values are usage errors. */
function answersFrom(values: Partial<Record<keyof typeof OPTIONS, string | boolean>>, cwd: string): InitAnswers {
  const text = (key: keyof typeof OPTIONS): string | undefined => values[key] as string | undefined;
  const callbackUri = text('callback-uri') ?? 'http://127.0.0.1:3978/api/calls';
  const url = parseUrl('--callback-uri', callbackUri);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const control = text('control') === 'none' ? undefined : text('control');
  if (control) parseUrl('--control', control);
  const capabilities = text('capabilities')?.split(',').map((c) => c.trim()).filter(Boolean) ?? [...(control ? CONTROL_API_CAPABILITIES : ['answersIncomingCalls'])];
  const unknown = capabilities.filter((c) => !(CAPABILITY_NAMES as string[]).includes(c));
  if (unknown.length) throw new UsageError(`--capabilities: unknown ${unknown.join(', ')}; the names are ${CAPABILITY_NAMES.join(', ')}`);
  const shards = Number(text('shards') ?? 4);
  if (!Number.isInteger(shards) || shards < 1 || shards > 64) throw new UsageError(`--shards must be a whole number from 1 to 64, got "${text('shards')}"`);
  const ci = text('ci') ?? 'github';
  if (ci !== 'github' && ci !== 'none') throw new UsageError(`--ci must be github or none, got "${ci}"`);
  const name = text('name') ?? defaultName(cwd);
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name)) throw new UsageError(`--name must be letters, digits, ".", "_" or "-" (it names the profile file), got "${name}"`);
  return {
    name,
    callbackUri,
    graphListen: text('graph-listen') ?? '127.0.0.1:4455',
    appId: text('app-id') ?? '11111111-2222-3333-4444-555555555555',
    tenantId: text('tenant-id') ?? 'aa67bd4c-8475-432d-bd41-39f255720e0a',
    clientSecret: text('client-secret') ?? 'confcall-test-secret',
    start: text('start') ?? 'npm start',
    ready: text('ready') ?? `tcp://${url.hostname}:${port}`,
    intercept: values.intercept === true,
    control,
    probe: values.probe === true,
    capabilities,
    shards,
  };
}

/** What init asks on a terminal, with the defaults it would take. */
function questions(cwd: string): Question[] {
  return [
    { flag: 'name', question: "The bot's name (names its profile)", fallback: defaultName(cwd) },
    { flag: 'callback-uri', question: 'Where the bot takes notifications (callbackUri)', fallback: 'http://127.0.0.1:3978/api/calls' },
    { flag: 'start', question: 'The command that starts the bot', fallback: 'npm start' },
    { flag: 'control', question: "The bot's control API (DESIGN.md), if it has one", fallback: 'none' },
  ];
}

/** Every file init would write, with its text. */
function plannedFiles(answers: InitAnswers, ci: string, cwd: string): PlannedFile[] {
  const targets = join(cwd, USER_DIR, 'targets');
  const schema = relative(targets, join(schemaDir(), 'target.schema.json'));
  const shipped = readFileSync(join(packageRoot(), 'targets', 'reference-bot.yaml'), 'utf8');
  const files: PlannedFile[] = [
    { file: join(targets, `${answers.name}.yaml`), text: botProfile(answers, schema) },
    { file: join(targets, 'reference-bot.yaml'), text: referenceBotProfile(shipped, schema, relative(targets, packageRoot()) || '.') },
  ];
  if (ci === 'github') files.push({ file: join(cwd, '.github', 'workflows', 'confcall.yml'), text: githubWorkflow(`${USER_DIR}/targets/${answers.name}.yaml`, answers.shards, BASELINE_FILE) });
  const settings = editorSettings(cwd);
  if (settings) files.push(settings);
  return files;
}

/** yaml.schemas for the user's confcall files, added to .vscode/settings.json when the repository has .vscode/. */
function editorSettings(cwd: string): PlannedFile | undefined {
  const folder = join(cwd, '.vscode');
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return undefined;
  const file = join(folder, 'settings.json');
  const schema = (name: string): string => {
    const path = relative(cwd, join(schemaDir(), name));
    return path.startsWith('.') ? path : `./${path}`;
  };
  const schemas = { [schema('target.schema.json')]: [`${USER_DIR}/targets/*.yaml`], [schema('suite.schema.json')]: [`${USER_DIR}/suites/*.yaml`] };
  let settings: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      settings = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      // VS Code allows comments in settings.json; rewriting it would lose them.
      console.error(`confcall: .vscode/settings.json is not plain JSON (comments?); left as it is. Add:\n  "yaml.schemas": ${JSON.stringify(schemas)}`);
      return undefined;
    }
  }
  const merged = withYamlSchemas(settings, schemas);
  return merged && { file, text: `${JSON.stringify(merged, null, 2)}\n`, merged: true };
}

/** The bot's name: its package.json name without the scope, else the folder's name. */
function defaultName(cwd: string): string {
  const manifest = join(cwd, 'package.json');
  const fromManifest = existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name?.replace(/^@[^/]+\//, '') : undefined;
  const name = (fromManifest || basename(cwd)).replace(/[^a-z0-9._-]+/gi, '-');
  return name === 'reference-bot' || !name ? 'my-bot' : name;
}

function parseUrl(flag: string, text: string): URL {
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  throw new UsageError(`${flag} must be an http(s) URL, got "${text}"`);
}
