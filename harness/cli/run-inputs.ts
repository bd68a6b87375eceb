/**
 * What `confcall run` does between starting Playwright's runner and opening its gate: check every input
 * and start the bot. Its own module, loaded once the runner is on its way: the loaders (yaml, ajv) and
 * the bot's start cost the CLI about 0.2 s of CPU to load, which the runner no longer waits for.
 */
import { rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { RUN_KEYS_ENV, UNPUBLISHED_KEYS_ENV } from '../graph/signing-keys.js';
import { RUN_CA_DIR_ENV } from '../graph/run-ca.js';
import { listenProblem } from '../graph/listen-check.js';
import { ephemeralPortNote } from './ephemeral-port-note.js';
import { loadExpectedFailures } from '../load/load-expected-failures.js';
import { loadProject, type Project } from '../load/load-project.js';
import { formatProblem } from '../load/problem.js';
import type { TargetProfile } from '../model/target.js';
import { BOT_OUTPUT_FILE, BOT_PROCESS_FILE, PROXY_REFUSALS_FILE, UNREACHABLE_FILE } from '../run/run-files.js';
import { startRunBot, type RunBot } from '../run/run-bot.js';
import { BOT_STARTED_BY_CLI_ENV } from '../run/start-gate.js';
import { TargetStartInterrupted, TargetUnreachable } from '../run/target-process.js';
import { applicabilityLines } from './applicability-header.js';
import type { PlaywrightChild } from './playwright-child.js';
import { REQUIREMENTS_JUNIT_FILE, SUMMARY_FILE } from './summary-file-names.js';

/** The paths `confcall run` reads its inputs from. */
export interface RunInputs {
  root: string;
  cwd: string;
  outDir: string;
  targetFile: string;
  suites: string[];
  recordings: { shipped: string };
  extraRecordings: string[];
  requirements: string;
  /** The bot repository's own requirements (`confcall/requirements.yaml`), when it has some. */
  ownRequirements?: string;
  libraryDirs: string[];
  /** `--expected-failures`, read only with `--profile`. */
  expectedFailuresFile?: string;
}

/**
 * Loads and checks every input, and that the fake Graph can listen; says what will run and removes the
 * last run's files. Every problem printed and exit code 2 when something is wrong: nothing is run then.
 */
export async function prepareRun(inputs: RunInputs): Promise<number | { project: Project; expectedFailures: string[] }> {
  const { root, cwd, outDir, targetFile } = inputs;
  const { project, problems, warnings } = loadProject({ root, recordingsDir: inputs.recordings.shipped, extraRecordingsDirs: inputs.extraRecordings, suitePatterns: inputs.suites, targetFile: relative(root, targetFile), requirementsFile: inputs.requirements, ownRequirementsFile: inputs.ownRequirements, libraryDirs: inputs.libraryDirs });
  if (problems.length) {
    for (const p of [...problems, ...warnings]) console.error(formatProblem(p));
    console.error(`confcall: ${problems.length} problem(s) in the inputs; nothing was run.`);
    return 2;
  }
  for (const warning of warnings) console.error(formatProblem(warning));
  let expectedFailures: string[] = [];
  if (inputs.expectedFailuresFile) {
    const scenarioIds = new Set(project.suites.flatMap((s) => s.scenarios.map((c) => `${s.id}/${c.id}`)));
    const loaded = loadExpectedFailures(resolve(cwd, inputs.expectedFailuresFile), inputs.expectedFailuresFile, scenarioIds);
    if (!loaded.value) {
      for (const p of loaded.problems) console.error(formatProblem(p));
      console.error(`confcall: ${loaded.problems.length} problem(s) in the expected failures; nothing was run.`);
      return 2;
    }
    expectedFailures = loaded.value;
  }
  const listen = project.target!.graph.listen;
  const busy = await listenProblem(listen);
  if (busy) {
    const ephemeral = busy.startsWith('the port is already in use') ? ephemeralPortNote(Number(listen.slice(listen.lastIndexOf(':') + 1))) : undefined;
    const hint = ephemeral ? `stop what holds it, or ${ephemeral.hint}: graph.listen in ${relative(cwd, targetFile)}` : `stop what holds it, or move graph.listen in ${relative(cwd, targetFile)}`;
    console.error(`confcall: the fake Graph cannot listen on ${listen}: ${busy}${ephemeral ? `; ${ephemeral.note}` : ''}; nothing was run.\n    hint: ${hint}`);
    return 2;
  }
  const scenarios = project.suites.reduce((n, s) => n + s.scenarios.length, 0);
  console.log(`confcall: ${scenarios} scenario(s) from ${project.suites.length} suite(s) against ${project.target!.name} (${project.target!.callbackUri})`);
  for (const line of applicabilityLines(project.suites, project.target!, project.recordings)) console.log(line);
  for (const stale of [UNREACHABLE_FILE, BOT_PROCESS_FILE, BOT_OUTPUT_FILE, PROXY_REFUSALS_FILE, 'results.json', 'junit.xml', SUMMARY_FILE, REQUIREMENTS_JUNIT_FILE]) rmSync(join(outDir, stale), { force: true });
  return { project, expectedFailures };
}

/**
 * Starts the target's bot (when its profile says how) while Playwright's runner loads. A bot that cannot be
 * started or reached leaves unreachable.json: the run's global setup then fails the run on it (exit 3).
 * Ctrl-C stops a bot that is still starting at once (the run then exits as interrupted).
 */
export async function startBot(target: TargetProfile, outDir: string, root: string, playwright: PlaywrightChild): Promise<RunBot | undefined> {
  if (!target.start || playwright.ended()) return undefined;
  try {
    return await startRunBot(target, outDir, root, playwright.interrupted);
  } catch (error) {
    if (error instanceof TargetUnreachable || error instanceof TargetStartInterrupted) return undefined;
    throw error;
  }
}

/** What the gate's word adds to the runner's environment (and so its workers'): the run's keys and CA, and who started the bot. */
export function gateEnvironment(): Record<string, string> {
  const shared = [RUN_KEYS_ENV, UNPUBLISHED_KEYS_ENV, RUN_CA_DIR_ENV].filter((name) => process.env[name] !== undefined);
  return { ...Object.fromEntries(shared.map((name) => [name, process.env[name]!])), [BOT_STARTED_BY_CLI_ENV]: '1' };
}
