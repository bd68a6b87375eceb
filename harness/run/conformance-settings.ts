import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageRoot } from '../load/package-root.js';
import type { Project } from '../load/load-project.js';
import { readProjectHandoff } from '../load/project-handoff.js';
import type { TargetProfile } from '../model/target.js';

/**
 * Tests whose work runs at once by default. A test is mostly waiting (a documented run waits its
 * 300 ms of quiet): on 2 cores with the reference bot, a cold run of the shipped suites took 9.3 s
 * with 8, 7.3 s with 16, 6.1–6.3 s with 32 and 6.2 s with 64 (CPU-bound from 32 on). A bot that
 * holds fewer calls says so in its profile (`callsAtOnce`).
 */
export const DEFAULT_WORKERS = 32;

/** What `confcall run` hands the Playwright conformance project, through the environment. */
export interface ConformanceSettings {
  root: string;
  targetFile: string;
  suitePatterns: string[];
  recordingsDir: string;
  /** More recordings folders (`confcall run --recordings DIR`). */
  extraRecordingsDirs: string[];
  /** The requirement catalogue, relative to root. */
  requirementsFile: string;
  /** A bot repository's own requirements, added to the catalogue (CONFCALL_OWN_REQUIREMENTS). */
  ownRequirementsFile?: string;
  /** Folders whose suites lend fragments to the selected ones (the shipped suites). */
  libraryDirs: string[];
  outDir: string;
  /** Schedules to explore per scenario and licence level (0: the documented order only). */
  runs: number;
  seed: number;
  /** A replay token: run only that scenario's failing schedule. */
  replay?: string;
  concurrency: number;
  /** How many tests' work runs at once against the bot (`--workers`; 1: one test after another). */
  workers: number;
  /** Playwright runs only some of the declared tests (--grep, --shard): no work is started ahead. */
  selective: boolean;
  /** Robustness findings fail the run (otherwise they are warnings). */
  strict: boolean;
  timeLimitMs?: number;
  /** The validated project `confcall run` wrote (load/project-handoff.ts), and the run it belongs to. */
  projectHandoff?: { file: string; runId: string };
}

/** Reads the CONFCALL_* variables (with defaults for a plain `npx playwright test --project conformance`). */
export function conformanceSettings(env: NodeJS.ProcessEnv = process.env): ConformanceSettings {
  return {
    root: env.CONFCALL_ROOT ?? packageRoot(),
    targetFile: env.CONFCALL_TARGET ?? 'targets/reference-bot.yaml',
    suitePatterns: (env.CONFCALL_SUITES ?? 'suites/*.yaml').split('\n').filter(Boolean),
    recordingsDir: env.CONFCALL_RECORDINGS ?? 'recordings',
    extraRecordingsDirs: (env.CONFCALL_EXTRA_RECORDINGS ?? '').split('\n').filter(Boolean),
    requirementsFile: env.CONFCALL_REQUIREMENTS || 'requirements.yaml',
    ownRequirementsFile: env.CONFCALL_OWN_REQUIREMENTS || undefined,
    libraryDirs: (env.CONFCALL_LIBRARY ?? '').split('\n').filter(Boolean),
    outDir: env.CONFCALL_OUT_DIR ?? 'reports',
    runs: Number(env.CONFCALL_RUNS ?? 0),
    seed: Number(env.CONFCALL_SEED ?? 1),
    replay: env.CONFCALL_REPLAY || undefined,
    concurrency: Math.max(1, Number(env.CONFCALL_CONCURRENCY ?? 8)),
    workers: Math.max(1, Number(env.CONFCALL_WORKERS ?? DEFAULT_WORKERS) || DEFAULT_WORKERS),
    selective: env.CONFCALL_SELECTIVE === '1' || !!env.CONFCALL_SHARD,
    strict: env.CONFCALL_STRICT === '1',
    timeLimitMs: env.CONFCALL_TIME_LIMIT_MS ? Number(env.CONFCALL_TIME_LIMIT_MS) : undefined,
    projectHandoff: env.CONFCALL_PROJECT_HANDOFF && env.CONFCALL_RUN_ID ? { file: env.CONFCALL_PROJECT_HANDOFF, runId: env.CONFCALL_RUN_ID } : undefined,
  };
}

/**
 * The project for a conformance run, as handed over (load/project-handoff.ts) by `confcall run`, or by the
 * global setup of a plain `npx playwright test --project conformance` (handOverProject). Reading it loads no
 * YAML parser or schema validator into Playwright's runner or worker.
 */
export function loadConformanceProject(settings: ConformanceSettings): Project & { target: TargetProfile } {
  const handedOver = settings.projectHandoff && readProjectHandoff(settings.projectHandoff.file, settings.projectHandoff.runId);
  if (handedOver?.target) return handedOver as Project & { target: TargetProfile };
  throw new Error('confcall: the conformance project runs through `confcall run` (or its global setup, which hands the inputs over); no project was handed over');
}

/**
 * For the global setup: the project `confcall run` handed over, else the inputs loaded and checked here and
 * handed over to the spec in the runner and the workers (their variables set in `env`, which they inherit).
 * A bad input stops the run with every problem listed. `remove` deletes a handoff made here.
 */
export async function handOverProject(settings: ConformanceSettings, env: NodeJS.ProcessEnv = process.env): Promise<{ project: Project & { target: TargetProfile }; remove(): void }> {
  const handedOver = settings.projectHandoff && readProjectHandoff(settings.projectHandoff.file, settings.projectHandoff.runId);
  if (handedOver?.target) return { project: handedOver as Project & { target: TargetProfile }, remove: () => undefined };
  // Loaded on use: under `confcall run` no process of Playwright's parses an input.
  const [{ loadProject }, { formatProblem }, { writeProjectHandoff, removeProjectHandoff, PROJECT_HANDOFF_FILE }] = await Promise.all([import('../load/load-project.js'), import('../load/problem.js'), import('../load/project-handoff.js')]);
  const { project, problems } = loadProject({ root: settings.root, recordingsDir: settings.recordingsDir, extraRecordingsDirs: settings.extraRecordingsDirs, suitePatterns: settings.suitePatterns, targetFile: settings.targetFile, requirementsFile: settings.requirementsFile, ownRequirementsFile: settings.ownRequirementsFile, libraryDirs: settings.libraryDirs });
  if (problems.length || !project.target) {
    const failure = new Error(`confcall: the inputs have problems (run \`confcall validate\`):\n${problems.map(formatProblem).join('\n')}`);
    failure.stack = failure.message; // the inputs are the place to look, not our code
    throw failure;
  }
  const outPath = resolve(settings.root, settings.outDir);
  mkdirSync(outPath, { recursive: true });
  const file = join(outPath, PROJECT_HANDOFF_FILE);
  const runId = randomUUID();
  writeProjectHandoff(file, runId, project);
  Object.assign(env, { CONFCALL_PROJECT_HANDOFF: file, CONFCALL_RUN_ID: runId });
  return { project: project as Project & { target: TargetProfile }, remove: () => removeProjectHandoff(file) };
}
