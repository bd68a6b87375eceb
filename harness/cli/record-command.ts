import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadRecordings } from '../load/load-recordings.js';
import { loadRedactionRules } from '../load/load-redaction-rules.js';
import { loadSuites } from '../load/load-suites.js';
import { readInputFiles } from '../load/read-input.js';
import { formatProblem } from '../load/problem.js';
import type { RedactionRule } from '../model/redaction.js';
import { captureToSuite } from '../record/capture-to-suite.js';
import { DEFAULT_REDACTION_RULES, literalSecretRule } from '../record/default-redaction-rules.js';
import { newPlaceholders, redactText } from '../record/redact.js';
import { redactCapture } from '../record/redact-capture.js';
import { startRecordingProxy, type RecordingProxy } from '../record/recording-proxy.js';
import { writeCapture } from '../record/write-capture.js';
import { UsageError } from './usage.js';

const DEFAULT_LISTEN = '127.0.0.1:4466';

/**
 * `confcall record`: stands between a bot and Graph until stopped (Ctrl-C, SIGTERM or --duration),
 * then writes what passed as recordings and a suite that replays it with `confcall run`.
 */
export async function recordCommand(args: string[], cwd: string): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      upstream: { type: 'string' },
      bot: { type: 'string' },
      control: { type: 'string' },
      authority: { type: 'string' },
      listen: { type: 'string' },
      name: { type: 'string' },
      out: { type: 'string' },
      redact: { type: 'string' },
      secret: { type: 'string', multiple: true },
      duration: { type: 'string' },
    },
  });
  if (!values.upstream || !values.bot) throw new UsageError('record needs --upstream URL (the Graph to forward to) and --bot URL (the bot\'s callbackUri)');
  for (const [flag, url] of [['--upstream', values.upstream], ['--bot', values.bot], ['--control', values.control], ['--authority', values.authority]] as const) {
    if (url !== undefined && !/^https?:\/\/[^/]/.test(url)) throw new UsageError(`${flag} must be an http(s) URL, got "${url}"`);
  }
  const name = values.name ?? `capture-${new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`;
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name)) throw new UsageError(`--name must be lower-case words joined by dashes (it becomes a recording folder and a suite id), got "${name}"`);
  const duration = values.duration === undefined ? undefined : Number(values.duration);
  if (duration !== undefined && !(duration > 0)) throw new UsageError(`--duration must be a number of seconds above 0, got "${values.duration}"`);

  const rules = redactionRules(values.redact, cwd, [...(values.secret ?? []), process.env.BOT_CLIENT_SECRET ?? ''].filter(Boolean));
  if (!rules) return 2;

  let proxy: RecordingProxy;
  try {
    proxy = await startRecordingProxy({ listen: values.listen ?? DEFAULT_LISTEN, upstream: values.upstream, authority: values.authority, bot: values.bot, control: values.control });
  } catch (error) {
    console.error(`confcall: cannot listen on ${values.listen ?? DEFAULT_LISTEN}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; pick another with --listen HOST:PORT`);
    return 2;
  }
  const startedAt = new Date().toISOString();
  console.log(`confcall: recording ${name}: forwarding to ${values.upstream}, notifications to ${values.bot}`);
  console.log(`  start the bot with GRAPH_BASE_URL=${proxy.url} AUTHORITY_HOST=${proxy.url}`);
  console.log(`  Graph's notifications: ${proxy.callbackUrl} (callbackUris in the bot's requests are pointed here)`);
  if (proxy.controlUrl) console.log(`  drive the bot through ${proxy.controlUrl}`);
  console.log(duration ? `  recording for ${duration} s (Ctrl-C stops earlier)` : '  Ctrl-C stops and writes the recording');
  await new Promise<void>((done) => {
    const timer = duration ? setTimeout(done, duration * 1000) : undefined;
    const stop = (): void => {
      clearTimeout(timer);
      done();
    };
    process.once('SIGINT', stop).once('SIGTERM', stop);
  });
  await proxy.close();

  const captured = proxy.captured();
  if (!captured.length) {
    console.error(`confcall: nothing passed through the recorder (${proxy.uncaptured()} token or key request(s) forwarded, not recorded); nothing written`);
    return 2;
  }
  const placeholders = newPlaceholders();
  const redacted = redactCapture(captured, rules, placeholders);
  const capture = captureToSuite(redacted, name, { startedAt, upstream: values.upstream, bot: values.bot });
  const outDir = resolve(cwd, values.out ?? '.');
  const files = { recordingsDir: join(outDir, 'recordings'), suiteFile: join(outDir, 'suites', 'captured', `${name}.yaml`) };
  const written = writeCapture(files, capture, (text) => redactText(text, rules, placeholders));
  for (const note of capture.notes) console.log(`  note: ${note}`);

  // What was written must load as the run will load it: say so now, not at replay.
  const display = (file: string): string => relative(cwd, file) || file;
  const { recordings, problems } = loadRecordings(files.recordingsDir, display(files.recordingsDir));
  const read = readInputFiles([files.suiteFile], display);
  const loaded = loadSuites(read.files, recordings);
  loaded.problems.unshift(...read.problems);
  for (const problem of [...problems, ...loaded.problems]) console.error(formatProblem(problem));
  const scenarios = loaded.suites[0]?.scenarios.length ?? 0;
  console.log(`confcall: ${captured.length} exchange(s) captured, ${written.length - 1} recording(s) and a suite of ${scenarios} scenario(s) written`);
  const extra = relative(cwd, files.recordingsDir) === 'recordings' ? '' : ` --recordings ${display(files.recordingsDir)}`;
  console.log(`replay: npx confcall run --suite ${display(files.suiteFile)}${extra} [--target FILE]`);
  return problems.length || loaded.problems.length ? 2 : 0;
}

/** The built-in rules (unless the rules file turns them off), the file's rules, and known secrets. */
function redactionRules(file: string | undefined, cwd: string, secrets: string[]): RedactionRule[] | undefined {
  const secretRules = secrets.map(literalSecretRule);
  if (!file) return [...secretRules, ...DEFAULT_REDACTION_RULES];
  const { value, problems } = loadRedactionRules(resolve(cwd, file), file);
  if (!value) {
    for (const problem of problems) console.error(formatProblem(problem));
    console.error('confcall: the redaction rules have problems; nothing was recorded');
    return undefined;
  }
  return [...secretRules, ...value.rules, ...(value.defaults ? DEFAULT_REDACTION_RULES : [])];
}
