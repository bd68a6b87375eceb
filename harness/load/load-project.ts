import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Recording } from '../model/recording.js';
import type { Suite } from '../model/suite.js';
import type { TargetProfile } from '../model/target.js';
import { expandGlobs } from './expand-globs.js';
import { loadRecordings } from './load-recordings.js';
import { loadSuites } from './load-suites.js';
import { loadTarget } from './load-target.js';
import { sortProblems, type LoadProblem } from './problem.js';

/** Everything a conformance run reads from disk. */
export interface Project {
  recordings: Map<string, Recording>;
  suites: Suite[];
  target?: TargetProfile;
}

export interface ProjectPaths {
  /** Folder that relative paths and displayed file names are relative to. */
  root: string;
  recordingsDir: string;
  suitePatterns: string[];
  targetFile?: string;
}

/** Loads recordings, suites and the target; every problem found is returned, sorted by place. */
export function loadProject(paths: ProjectPaths, env: NodeJS.ProcessEnv = process.env): { project: Project; problems: LoadProblem[] } {
  const problems: LoadProblem[] = [];
  const display = (file: string): string => relative(paths.root, file) || file;
  const recordingsDir = join(paths.root, paths.recordingsDir);
  let recordings = new Map<string, Recording>();
  if (existsSync(recordingsDir)) {
    const loaded = loadRecordings(recordingsDir, display(recordingsDir));
    recordings = loaded.recordings;
    problems.push(...loaded.problems);
  } else {
    problems.push({ file: paths.recordingsDir, line: 1, col: 1, path: '', message: 'recordings folder not found', hint: 'run from the confcall folder, or pass --recordings DIR' });
  }
  const { files, unmatched } = expandGlobs(paths.suitePatterns, paths.root);
  for (const pattern of unmatched) problems.push({ file: pattern, line: 1, col: 1, path: '', message: 'no suite file matches this', hint: 'suites are suites/*.yaml' });
  const read = (f: string) => ({ file: display(f), text: readFileSync(f, 'utf8') });
  // Fragments may come from any suite beside the selected ones.
  const library = expandGlobs([...new Set(files.map((f) => `${dirname(f)}/*.yaml`))], paths.root).files;
  const loadedSuites = loadSuites(files.map(read), recordings, library.map(read));
  problems.push(...loadedSuites.problems);
  let target: TargetProfile | undefined;
  if (paths.targetFile) {
    const loaded = loadTarget(join(paths.root, paths.targetFile), env);
    problems.push(...loaded.problems.map((p) => ({ ...p, file: display(p.file) })));
    target = loaded.value;
  }
  return { project: { recordings, suites: loadedSuites.suites, target }, problems: sortProblems(problems) };
}
