import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Recording } from '../model/recording.js';
import type { Scenario, Step, Suite } from '../model/suite.js';
import type { TargetProfile } from '../model/target.js';
import type { Requirement } from '../model/requirement.js';
import { loadCatalogue } from './load-requirements.js';
import { expandGlobs } from './expand-globs.js';
import { addRecordings, loadRecordings } from './load-recordings.js';
import { loadSuites } from './load-suites.js';
import { readInputFiles } from './read-input.js';
import { loadTarget } from './load-target.js';
import { sortProblems, type LoadProblem } from './problem.js';

/** Everything a conformance run reads from disk. */
export interface Project {
  recordings: Map<string, Recording>;
  suites: Suite[];
  target?: TargetProfile;
  /** The requirement catalogue (`requirements.yaml`), empty when there is none. */
  requirements: Requirement[];
}

export interface ProjectPaths {
  /** Folder that relative paths and displayed file names are relative to. */
  root: string;
  recordingsDir: string;
  /** More recordings folders (a capture's), relative to root or absolute; their ids must not clash. */
  extraRecordingsDirs?: string[];
  suitePatterns: string[];
  targetFile?: string;
  /** The requirement catalogue, relative to root (default `requirements.yaml`). */
  requirementsFile?: string;
  /** A bot repository's own requirements (`confcall/requirements.yaml`), added to the catalogue. */
  ownRequirementsFile?: string;
  /** More folders whose suites lend their fragments (the shipped suites, to a bot repository's own). */
  libraryDirs?: string[];
}

/**
 * Loads recordings, suites and the target; every problem found is returned, sorted by place.
 * `warnings` are values the run would not honour as written, or checks that can never fail: they stop nothing.
 */
export function loadProject(paths: ProjectPaths, env: NodeJS.ProcessEnv = process.env): { project: Project; problems: LoadProblem[]; warnings: LoadProblem[] } {
  const problems: LoadProblem[] = [];
  const display = (file: string): string => relative(paths.root, file) || file;
  const recordingsDir = resolve(paths.root, paths.recordingsDir);
  let recordings = new Map<string, Recording>();
  if (existsSync(recordingsDir)) {
    const loaded = loadRecordings(recordingsDir, display(recordingsDir));
    recordings = loaded.recordings;
    problems.push(...loaded.problems);
  } else {
    problems.push({ file: paths.recordingsDir, line: 1, col: 1, path: '', message: 'recordings folder not found', hint: 'run from the confcall folder' });
  }
  for (const extra of paths.extraRecordingsDirs ?? []) {
    const dir = resolve(paths.root, extra);
    if (!existsSync(dir)) {
      problems.push({ file: extra, line: 1, col: 1, path: '', message: 'recordings folder not found', hint: 'pass the recordings folder `confcall record` wrote (its --out DIR/recordings)' });
      continue;
    }
    problems.push(...addRecordings(recordings, loadRecordings(dir, display(dir)), display(dir)));
  }
  const { files, unmatched } = expandGlobs(paths.suitePatterns, paths.root);
  for (const pattern of unmatched) problems.push({ file: pattern, line: 1, col: 1, path: '', message: 'no suite file matches this', hint: 'suites are suites/*.yaml' });
  const selected = readInputFiles(files, display);
  problems.push(...selected.problems);
  // Fragments may come from any suite beside the selected ones, and from the library folders (their own problems are theirs to report).
  const libraryDirs = [...files.map((f) => dirname(f)), ...(paths.libraryDirs ?? []).map((d) => resolve(paths.root, d)).filter((d) => existsSync(d))];
  const library = readInputFiles(expandGlobs([...new Set(libraryDirs.map((d) => `${d}/*.yaml`))], paths.root).files, display).files;
  const loadedSuites = loadSuites(selected.files, recordings, library);
  problems.push(...loadedSuites.problems);
  const catalogue = resolve(paths.root, paths.requirementsFile ?? 'requirements.yaml');
  const own = paths.ownRequirementsFile === undefined ? undefined : resolve(paths.root, paths.ownRequirementsFile);
  const { requirements, problems: requirementProblems } = loadCatalogue(catalogue, own, display);
  problems.push(...requirementProblems, ...unknownRequirements(loadedSuites.suites, requirements));
  const warnings = [...loadedSuites.warnings];
  let target: TargetProfile | undefined;
  if (paths.targetFile) {
    const loaded = loadTarget(resolve(paths.root, paths.targetFile), env);
    problems.push(...loaded.problems.map((p) => ({ ...p, file: display(p.file) })));
    warnings.push(...(loaded.warnings ?? []).map((p) => ({ ...p, file: display(p.file) })));
    target = loaded.value;
  }
  return { project: { recordings, suites: loadedSuites.suites, target, requirements }, problems: sortProblems(problems), warnings: sortProblems(warnings) };
}

/**
 * Scenarios may only name requirements the catalogue has (when there is a catalogue); a scenario's own step's `checks`
 * only its scenario's; a fragment's step's `checks` any of the catalogue's, since they travel with the fragment into
 * every scenario that includes it. Each problem once, at the step's own place.
 */
export function unknownRequirements(suites: Suite[], requirements: Requirement[]): LoadProblem[] {
  const known = new Set(requirements.map((r) => r.id));
  const scenarioProblems = suites.flatMap((suite) =>
    suite.scenarios.flatMap((scenario) => [
      ...(requirements.length ? scenario.requirements : [])
        .filter((id) => !known.has(id))
        .map((id) => ({ ...scenario.position, path: 'requirements', message: `requirement ${id} is not in requirements.yaml`, hint: 'add it to the catalogue, with the sentence it comes from' })),
      ...(scenario.alternatives ?? [scenario]).flatMap((start) => start.steps.flatMap((step) => (step.fragment ? fragmentStepProblems(step, known) : ownStepProblems(step, scenario)))),
    ]),
  );
  const fragmentProblems = suites.flatMap((suite) => Object.values(suite.fragments).flatMap((steps) => steps.flatMap((step) => fragmentStepProblems(step, known))));
  return onePerPlace([...scenarioProblems, ...fragmentProblems]);
}

/** A scenario's own step checks only requirements its scenario names. */
function ownStepProblems(step: Step, scenario: Scenario): LoadProblem[] {
  return (step.checks ?? [])
    .filter((id) => !scenario.requirements.includes(id))
    .map((id) => ({ ...step.position, path: 'checks', message: `step checks ${id}, which scenario ${scenario.id} does not name in its requirements`, hint: `add ${id} to the scenario's requirements, or name one of ${scenario.requirements.join(', ') || '(none)'}` }));
}

/** A fragment's step checks requirements of the catalogue (without a catalogue there is nothing to check them against). */
function fragmentStepProblems(step: Step, known: Set<string>): LoadProblem[] {
  if (!known.size) return [];
  return (step.checks ?? [])
    .filter((id) => !known.has(id))
    .map((id) => ({ ...step.position, path: 'checks', message: `step of fragment ${step.fragment} checks ${id}, which is not in requirements.yaml`, hint: `a fragment's checks go into every scenario that includes it: name a requirement of the catalogue, or leave checks out (a failure of the step is then the scenario's premise, PREMISE)` }));
}

/** Problems without repeats: a fragment's step is in every scenario (and every start) that includes it. */
function onePerPlace(problems: LoadProblem[]): LoadProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.file}:${p.line}:${p.col}:${p.message}`;
    return !seen.has(key) && (seen.add(key), true);
  });
}
