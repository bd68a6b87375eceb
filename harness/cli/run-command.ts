import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_HANDOFF_FILE, removeProjectHandoff, writeProjectHandoff } from '../load/project-handoff.js';
import { packageRoot, playwrightConfigFile } from '../load/package-root.js';
import { defaultSuitePatterns, ownRequirementsFile, projectLayout, recordingsFolders, requirementsFile, resolveSuitePatterns, resolveTargetFile, shippedSuitesFolder } from '../load/project-layout.js';
import { BOT_PROCESS_FILE, PROXY_REFUSALS_FILE, UNREACHABLE_FILE } from '../run/run-files.js';
import type { RunBot } from '../run/run-bot.js';
import { exitCodeForSignal, startPlaywright } from './playwright-child.js';
import { addressInUsePort, ephemeralPortNote } from './ephemeral-port-note.js';
import { UsageError } from './usage.js';
import type { Requirement } from '../model/requirement.js';
import type { TargetProfile } from '../model/target.js';
import type { outcomesOf } from '../report/certification.js';
import { DEFAULT_WORKERS } from '../run/conformance-settings.js';
import { parseReplayToken } from '../run/exploration-ids.js';
import { isEmptyShard, parseShard, shardEnvironment } from './shard.js';

// Until Playwright's runner is spawned, `confcall run` imports only what it needs to spawn it: every
// other module (the loaders, the bot's start, the reports) is loaded after, while the runner loads itself.

/** `confcall run`: starts the Playwright conformance project, which waits while the inputs are checked and the bot started; returns the exit code. */
export async function runCommand(args: string[], cwd: string): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      target: { type: 'string' },
      'callback-uri': { type: 'string' },
      suite: { type: 'string', multiple: true },
      recordings: { type: 'string', multiple: true },
      grep: { type: 'string' },
      reporter: { type: 'string' },
      out: { type: 'string' },
      runs: { type: 'string' },
      seed: { type: 'string' },
      replay: { type: 'string' },
      concurrency: { type: 'string' },
      workers: { type: 'string' },
      strict: { type: 'boolean' },
      'time-limit': { type: 'string' },
      profile: { type: 'string' },
      'expected-failures': { type: 'string' },
      baseline: { type: 'string' },
      shard: { type: 'string' },
    },
  });
  const profile = values.profile ? await loadProfile(values.profile, values) : undefined;
  if (profile) Object.assign(values, { suite: profile.suites, runs: String(profile.runs), seed: String(profile.seed), concurrency: String(profile.concurrency), strict: profile.strict });
  const runs = count('--runs', values.runs, 0);
  const concurrency = count('--concurrency', values.concurrency, 8);
  const workers = count('--workers', values.workers, DEFAULT_WORKERS);
  if (workers < 1) throw new UsageError('--workers must be 1 or more (1: one test after another)');
  const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got "${values.seed}"`);
  // A malformed token is a usage error, before anything runs (exploration-ids.ts loads none of exploration's code: that is a worker's).
  if (values.replay) {
    try {
      parseReplayToken(values.replay);
    } catch (error) {
      throw new UsageError(`--replay: ${(error as Error).message}`);
    }
  }
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  const timeLimitSeconds = values['time-limit'] === undefined ? undefined : count('--time-limit', values['time-limit'], 0);
  if (values.target && values['callback-uri']) throw new UsageError('give --target or --callback-uri, not both');
  const baseline = values.baseline === undefined ? undefined : (await import('./summary-files.js')).readBaseline(resolve(cwd, values.baseline));
  const outDir = resolve(cwd, values.out ?? 'reports');
  const root = cwd;
  const layout = projectLayout(cwd);
  mkdirSync(outDir, { recursive: true });
  const targetFile = values['callback-uri'] ? writeAdHocTarget(values['callback-uri'], outDir) : resolveTargetFile(values.target ?? 'targets/reference-bot.yaml', layout);
  const suites = values.suite ? resolveSuitePatterns(values.suite, layout) : defaultSuitePatterns(layout);
  const recordings = recordingsFolders(layout);
  const extraRecordings = [...recordings.own, ...(values.recordings ?? [])].map((dir) => resolve(cwd, dir));
  const requirements = requirementsFile(layout);
  const ownRequirements = ownRequirementsFile(layout);
  const libraryDirs = [shippedSuitesFolder(layout)];
  // The validated project, for Playwright's runner and worker: they need not parse and check every input again.
  const handoff = { file: join(outDir, PROJECT_HANDOFF_FILE), runId: randomUUID() };
  const pwArgs = ['test', '--config', playwrightConfigFile(), '--project', 'conformance'];
  if (values.grep) pwArgs.push('--grep', values.grep);
  if (shard) pwArgs.push('--shard', `${shard.current}/${shard.total}`);
  const env = {
    ...process.env,
    CONFCALL_MODE: 'conformance',
    // The runner loads only compiled files too: without Playwright's ESM loader it spends about 0.7 s less CPU
    // before the first test (the config sets the same for the workers; a user's own setting wins).
    PW_DISABLE_TS_ESM: process.env.PW_DISABLE_TS_ESM ?? '1',
    CONFCALL_ROOT: root,
    CONFCALL_TARGET: relative(root, targetFile),
    CONFCALL_SUITES: suites.join('\n'),
    CONFCALL_RECORDINGS: recordings.shipped,
    CONFCALL_EXTRA_RECORDINGS: extraRecordings.join('\n'),
    CONFCALL_REQUIREMENTS: requirements,
    CONFCALL_OWN_REQUIREMENTS: ownRequirements ?? '',
    CONFCALL_LIBRARY: libraryDirs.join('\n'),
    // Absolute: Playwright resolves relative report paths against its config's folder, inside confcall's package.
    CONFCALL_OUT_DIR: outDir,
    CONFCALL_REPORTERS: withJson(values.reporter ?? 'list,junit,json,html'),
    CONFCALL_RUNS: String(runs),
    CONFCALL_SEED: String(seed),
    CONFCALL_REPLAY: values.replay ?? '',
    CONFCALL_CONCURRENCY: String(concurrency),
    CONFCALL_WORKERS: String(workers),
    // Playwright runs a selection of the tests: none is worked on before its turn (harness/run/run-ahead.ts).
    CONFCALL_SELECTIVE: values.grep ? '1' : '',
    CONFCALL_STRICT: values.strict ? '1' : '',
    CONFCALL_TIME_LIMIT_MS: timeLimitSeconds === undefined ? '' : String(timeLimitSeconds * 1000),
    CONFCALL_PROJECT_HANDOFF: handoff.file,
    CONFCALL_RUN_ID: handoff.runId,
    ...shardEnvironment(shard),
  };
  // Playwright's runner starts now and loads itself while the inputs are read and the bot starts; it waits at its
  // config, before it touches the out folder, until the gate opens (harness/run/start-gate.ts). Bad inputs close the gate.
  const playwright = startPlaywright(pwArgs, { cwd: packageRoot(), env, gated: true });
  const [{ prepareRun, startBot, gateEnvironment }, { publishRunKeys }] = await Promise.all([import('./run-inputs.js'), import('../graph/signing-keys.js')]);
  const keysPublished = publishRunKeys(); // in the background, while the inputs are read
  void keysPublished.catch(() => undefined); // awaited below; a run that stops before then does not need them
  let bot: RunBot | undefined;
  let prepared: Awaited<ReturnType<typeof prepareRun>>;
  try {
    prepared = await prepareRun({ root, cwd, outDir, targetFile, suites, recordings, extraRecordings, requirements, ownRequirements, libraryDirs, expectedFailuresFile: profile ? values['expected-failures'] : undefined });
    if (typeof prepared !== 'number' && !playwright.interruptedBy()) {
      await keysPublished; // one key pair for the whole run, shared with Playwright's workers through the environment
      writeProjectHandoff(handoff.file, handoff.runId, prepared.project);
      if (runs > 0 || values.replay) console.log(`confcall: ${values.replay ? `replaying ${values.replay}` : `exploring ${runs} schedule(s) per scenario and licence level, seed ${seed}, concurrency ${concurrency}`}`);
      // The runner lists the tests and starts its worker while the bot starts; its global setup waits for tellBot.
      playwright.openGate(gateEnvironment());
      bot = await startBot(prepared.project.target!, outDir, root, playwright);
    }
  } catch (error) {
    playwright.closeGate();
    await playwright.outcome;
    removeProjectHandoff(handoff.file);
    throw error;
  }
  const stoppedEarly = typeof prepared === 'number' ? prepared : playwright.interruptedBy() ? exitCodeForSignal(playwright.interruptedBy()!) : undefined;
  if (stoppedEarly !== undefined) {
    playwright.closeGate();
    await Promise.all([playwright.outcome, bot?.stop()]);
    removeProjectHandoff(handoff.file);
    if (stoppedEarly > 3) console.error(`confcall: the run was interrupted by ${playwright.interruptedBy()} before its first test; nothing was run`);
    return stoppedEarly;
  }
  const { project, expectedFailures } = prepared as Exclude<typeof prepared, number>;
  playwright.tellBot(gateEnvironment()); // now with the run's CA, which the bot's start makes for graph.tls and the proxy
  const botProcessFile = join(outDir, BOT_PROCESS_FILE);
  // Interrupted, Playwright winds down (cutting off the tests it runs); the bot outlives the tests, since stopping it
  // at once made a test still running fail as "could not be reached". It is stopped once Playwright has ended.
  const { code, interruptedBy, interruptedAt, killed, forced } = await playwright.outcome;
  await bot?.stop();
  removeProjectHandoff(handoff.file);
  if (await (await import('../run/target-process.js')).killLeftoverTarget(botProcessFile)) console.error('confcall: stopped the bot, which the run left running');
  reportProxyRefusals(join(outDir, PROXY_REFUSALS_FILE));
  const summaryInputs = { outDir, requirements: project.requirements, target: project.target!.name, seed, baseline };
  if (interruptedBy) return (await import('./interrupted-run.js')).reportInterruption({ ...summaryInputs, signal: interruptedBy, at: interruptedAt ?? new Date(), killed, forced, reporters: env.CONFCALL_REPORTERS.split(',') });
  if (shard && isEmptyShard(code, join(outDir, 'results.json'))) {
    console.log(`confcall: shard ${shard.current}/${shard.total} got no test (there are fewer tests than shards); nothing to run here`);
    return 0;
  }
  const { writeRunSummary } = await import('./summary-files.js');
  const resultsFile = join(outDir, 'results.json');
  const report: unknown = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : undefined; // parsed once, for the exit code, the summary and certification
  let exit = await exitCodeOf(code, outDir, report);
  // Every exit after Playwright wrote results.json leaves the summary files: an unreachable bot (3) keeps the findings of the tests before it.
  exit = writeRunSummary({ ...summaryInputs, exit, report, unreachable: exit === 3 ? unreachableMessage(outDir) : undefined });
  if (!profile || exit === 3 || exit === 2) return exit;
  return certify({ profile, outDir, root, targetFile, requirementsFiles: [requirements, ...(ownRequirements ? [ownRequirements] : [])], suites: project.suites.map((s) => s.file), requirements: project.requirements, target: project.target!, expectedFailures, expectedFailuresFile: values['expected-failures'], report });
}

/** Names every host confcall's proxy refused during the run (the tests during which it happened failed on it). */
function reportProxyRefusals(file: string): void {
  if (!existsSync(file)) return;
  const hosts = new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => { const r = JSON.parse(line) as { host: string; port: number }; return `${r.host}:${r.port}`; }));
  console.error(`confcall: the proxy refused ${[...hosts].join(', ')}: not Microsoft hosts confcall plays; nothing was sent there (see ${PROXY_REFUSALS_FILE})`);
}

/** The JSON reporter is always on: exit codes and summaries are read from it. */
function withJson(reporters: string): string {
  return reporters.split(',').includes('json') ? reporters : `${reporters},json`;
}

/** A certification profile (`profiles/<name>-v<version>.yaml`): fixed suites, seed and run counts. */
interface Profile {
  profile: string;
  version: number;
  suites: string[];
  runs: number;
  seed: number;
  concurrency: number;
  strict: boolean;
  file: string;
}

/** Loads a profile by name; a certification run takes no flags that would change what is run. */
async function loadProfile(name: string, values: Record<string, unknown>): Promise<Profile> {
  if (name !== 'certification') throw new UsageError(`unknown profile "${name}"; the one profile is "certification"`);
  for (const flag of ['suite', 'runs', 'seed', 'concurrency', 'strict', 'grep', 'replay', 'shard']) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} cannot be combined with --profile certification: the profile fixes what is run`);
  }
  const file = join(packageRoot(), 'profiles', 'certification-v1.yaml');
  const { parse: parseYaml } = await import('yaml');
  return { ...(parseYaml(readFileSync(file, 'utf8')) as Omit<Profile, 'file'>), file };
}

/** After a certification run: verdicts per requirement, expected failures, redaction, and the manifest. */
async function certify(run: { profile: Profile; outDir: string; root: string; targetFile: string; requirementsFiles: string[]; suites: string[]; requirements: Requirement[]; target: TargetProfile; expectedFailures: string[]; expectedFailuresFile?: string; report: unknown }): Promise<number> {
  const { compareWithExpectedFailures, outcomesOf, redactSecrets, requirementVerdicts, writeManifest } = await import('../report/certification.js');
  const outcomes = outcomesOf(run.report as Parameters<typeof outcomesOf>[0]);
  const verdicts = requirementVerdicts(run.requirements, outcomes);
  const { unexpectedFailures, nowPassing } = compareWithExpectedFailures(outcomes, run.expectedFailures);
  const passed = unexpectedFailures.length === 0 && nowPassing.length === 0;
  const summary = {
    profile: `${run.profile.profile}-v${run.profile.version}`,
    target: run.target.name,
    seed: run.profile.seed,
    runs: run.profile.runs,
    result: passed ? 'pass' : 'fail',
    tests: { passed: outcomes.filter((o) => o.status === 'passed').length, failed: outcomes.filter((o) => o.status === 'failed').length, skipped: outcomes.filter((o) => o.status === 'skipped').length, notApplicable: outcomes.filter((o) => o.status === 'not applicable').length },
    unexpectedFailures,
    expectedFailuresNowPassing: nowPassing,
    requirements: verdicts,
    // Each finding with its basis: failures decide the result; warnings and test-hook deviations are stated, never hidden.
    findings: {
      failures: findingsBy(outcomes, 'failure'),
      warnings: findingsBy(outcomes, 'warning'),
      testHookDeviations: findingsBy(outcomes, 'deviation'),
    },
  };
  writeFileSync(join(run.outDir, 'certification.json'), `${JSON.stringify(summary, null, 2)}\n`);
  const secrets = [run.target.auth.clientSecret ?? '', process.env.BOT_CLIENT_SECRET ?? ''];
  redactSecrets(run.outDir, secrets);
  const inputs = [
    ...run.suites.map((f) => ({ name: f, file: resolve(run.root, f) })),
    { name: relative(run.root, run.targetFile), file: run.targetFile },
    { name: `profiles/${basename(run.profile.file)}`, file: run.profile.file },
    ...run.requirementsFiles.filter((f) => existsSync(resolve(run.root, f))).map((f) => ({ name: f, file: resolve(run.root, f) })),
    ...(run.expectedFailuresFile ? [{ name: run.expectedFailuresFile, file: resolve(run.root, run.expectedFailuresFile) }] : []),
  ];
  writeManifest(run.outDir, inputs, { profile: summary.profile, target: summary.target, result: summary.result });
  for (const v of verdicts) console.log(`  ${v.verdict === 'pass' ? 'PASS' : v.verdict === 'fail' ? 'FAIL' : '----'}  ${v.id} [${v.level}]`);
  for (const id of unexpectedFailures) console.error(`confcall: unexpected failure: ${id}`);
  for (const id of nowPassing) console.error(`confcall: listed as an expected failure but passes now (remove it from the list): ${id}`);
  console.log(`confcall: certification ${summary.profile} ${summary.result.toUpperCase()}; evidence in ${relative(process.cwd(), run.outDir) || '.'}/ (certification.json, manifest.json)`);
  return passed ? 0 : 1;
}

/** A non-negative integer option. */
function count(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} must be a whole number, got "${text}"`);
  return n;
}

/** What the run's unreachable marker says (run/run-files.ts), when there is one. */
function unreachableMessage(outDir: string): string | undefined {
  const file = join(outDir, UNREACHABLE_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { message: string }).message : undefined;
}

/** Maps Playwright's outcome to confcall's exit codes (0 passed, 1 failed, 3 bot unreachable). */
async function exitCodeOf(playwrightCode: number, outDir: string, report: unknown): Promise<number> {
  const unreachable = join(outDir, UNREACHABLE_FILE);
  if (existsSync(unreachable)) {
    const { message, output } = JSON.parse(readFileSync(unreachable, 'utf8')) as { message: string; output?: string };
    console.error(`confcall: the bot could not be reached: ${message}`);
    const port = addressInUsePort(output ?? '');
    const ephemeral = port === undefined ? undefined : ephemeralPortNote(port);
    if (ephemeral) console.error(`confcall: the bot's output says EADDRINUSE, and ${ephemeral.note}\n    hint: ${ephemeral.hint}: the port of callbackUri (and control, start.ready) in the target profile`);
    return 3;
  }
  if (report !== undefined) {
    const stats = (report as { stats: { expected: number; unexpected: number; skipped: number; flaky: number } }).stats;
    const { outcomesOf } = await import('../report/certification.js');
    const notApplicable = outcomesOf(report as Parameters<typeof outcomesOf>[0]).filter((o) => o.status === 'not applicable').length;
    console.log(`confcall: ${stats.expected} passed, ${stats.unexpected} failed, ${stats.skipped - notApplicable} skipped${notApplicable ? `, ${notApplicable} not applicable` : ''}; reports in ${relative(process.cwd(), outDir) || '.'}/ (junit.xml, results.json, html/index.html)`);
    if (stats.unexpected > 0) return 1;
    if (stats.expected === 0 && stats.skipped === 0) {
      console.error('confcall: no scenario matched; check --suite and --grep');
      return 2;
    }
  }
  return playwrightCode === 0 ? 0 : 1;
}

/** `--callback-uri` without a profile: a minimal target, written beside the reports for the record. */
function writeAdHocTarget(callbackUri: string, outDir: string): string {
  const file = join(outDir, 'ad-hoc-target.yaml');
  writeFileSync(
    file,
    [
      'name: ad-hoc',
      `callbackUri: ${callbackUri}`,
      'graph:',
      '  listen: ${env:CONFCALL_GRAPH_LISTEN:-127.0.0.1:4455}',
      'auth:',
      '  appId: ${env:BOT_APP_ID:-11111111-2222-3333-4444-555555555555}',
      '  tenantId: ${env:BOT_TENANT_ID:-aa67bd4c-8475-432d-bd41-39f255720e0a}',
      '',
    ].join('\n'),
  );
  return file;
}

/** Every finding of one severity, with the test it came from. */
function findingsBy(outcomes: ReturnType<typeof outcomesOf>, severity: 'failure' | 'warning' | 'deviation'): Array<{ test: string } & ReturnType<typeof outcomesOf>[number]['findings'][number]> {
  return outcomes.flatMap((o) => o.findings.filter((f) => f.severity === severity).map((f) => ({ test: o.id, ...f })));
}
