import { existsSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { expandGlobs } from '../load/expand-globs.js';
import { ownRequirementsFile, projectLayout, recordingsFolders, requirementsFile, shippedSuitesFolder, USER_DIR, type ProjectLayout } from '../load/project-layout.js';
import { addRecordings, loadRecordings } from '../load/load-recordings.js';
import { loadSuites } from '../load/load-suites.js';
import { readInputFile, readInputFiles } from '../load/read-input.js';
import { parseTarget } from '../load/load-target.js';
import { loadCatalogue, loadRequirements } from '../load/load-requirements.js';
import { unknownRequirements } from '../load/load-project.js';
import type { Requirement } from '../model/requirement.js';
import { formatProblem, sortProblems, type LoadProblem } from '../load/problem.js';
import { defaultReplyRecordings } from '../graph/default-replies.js';

/** `confcall validate [--recordings DIR]... [PATH]...`: lints suites, recordings and targets; exit 2 on any problem. */
export function validateCommand(args: string[], cwd: string): number {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { recordings: { type: 'string', multiple: true } } });
  const layout = projectLayout(cwd);
  const paths = positionals.length ? positionals : defaultPaths(layout);
  const display = (file: string): string => relative(cwd, file) || file;
  const problems: LoadProblem[] = [];
  const warnings: LoadProblem[] = [];

  const folders = recordingsFolders(layout);
  const recordingsDir = resolve(cwd, folders.shipped);
  const { recordings, problems: recordingProblems } = existsSync(recordingsDir) ? loadRecordings(recordingsDir, display(recordingsDir)) : { recordings: new Map(), problems: [] };
  problems.push(...recordingProblems);
  for (const extra of [...folders.own, ...(values.recordings ?? [])]) {
    const dir = resolve(cwd, extra);
    if (!existsSync(dir)) problems.push({ file: extra, line: 1, col: 1, path: '', message: 'recordings folder not found', hint: 'pass the recordings folder `confcall record` wrote (its --out DIR/recordings)' });
    else problems.push(...addRecordings(recordings, loadRecordings(dir, display(dir)), display(dir)));
  }
  for (const id of existsSync(recordingsDir) ? defaultReplyRecordings() : []) {
    if (!recordings.has(id)) problems.push({ file: folders.shipped, line: 1, col: 1, path: id, message: `the fake Graph's default reply recording "${id}" is missing`, hint: 'restore it from git or re-import the documents' });
  }

  const { files, unmatched } = expandGlobs(paths.map((p) => (existsSync(resolve(cwd, p)) && statSync(resolve(cwd, p)).isDirectory() ? `${p}/**/*` : p)), cwd, '');
  for (const pattern of unmatched) problems.push({ file: pattern, line: 1, col: 1, path: '', message: 'no such file or folder', ...(pattern === USER_DIR && { hint: '`npx confcall init` writes it, with a target profile for your bot' }) });
  const suiteFiles: Array<{ file: string; text: string }> = [];
  const requirements: Requirement[] = [];
  const loadRequirementsAndReport = (file: string): Requirement[] => {
    const loaded = loadRequirements(file, display(file));
    problems.push(...loaded.problems);
    return loaded.requirements;
  };
  let checked = 0;
  for (const file of files) {
    if (!/\.(ya?ml)$/.test(file)) continue; // recordings (.json) were checked above, with their folder
    checked++;
    const { text, problems: unreadable } = readInputFile(file, display(file));
    problems.push(...unreadable);
    if (text === undefined) continue;
    // A bot repository's own requirements are checked with confcall's catalogue, below; confcall's checkout's on their own.
    if (file.endsWith('/requirements.yaml')) requirements.push(...(layout.base === cwd ? loadRequirementsAndReport(file) : []));
    else if (isTargetProfile(file, text)) {
      const loaded = parseTarget(display(file), text);
      problems.push(...loaded.problems);
      warnings.push(...(loaded.warnings ?? []));
    }
    else suiteFiles.push({ file: display(file), text });
  }
  const lenders = [...suiteFiles.map((f) => dirname(resolve(cwd, f.file))), shippedSuitesFolder(layout)];
  const besides = expandGlobs([...new Set(lenders.map((dir) => `${dir}/*.yaml`))], cwd).files;
  const library = readInputFiles(besides, display).files.filter((f) => !isTargetProfile(f.file, f.text));
  const loaded = loadSuites(suiteFiles, recordings, library);
  // A bot repository's suites name the shipped catalogue's requirements and its own (confcall/requirements.yaml).
  const catalogue = layout.base === cwd ? requirements : ownCatalogue(layout, display, problems);
  problems.push(...loaded.problems, ...unknownRequirements(loaded.suites, catalogue));
  warnings.push(...loaded.warnings);

  for (const problem of sortProblems([...problems, ...warnings])) console.error(formatProblem(problem));
  const found = [problems.length && `${problems.length} problem(s)`, warnings.length && `${warnings.length} warning(s)`].filter(Boolean).join(', ');
  const summary = `${checked} YAML file(s) and ${recordings.size} recording(s) checked: ${found || 'no problems'}`;
  (problems.length || warnings.length ? console.error : console.log)(summary);
  // A warning is a value the run would not honour as written: worth reading, no reason to stop a pipeline.
  return problems.length ? 2 : 0;
}

/** The catalogue a bot repository's run judges by: confcall's and its own requirements; the own file's problems are reported. */
function ownCatalogue(layout: ProjectLayout, display: (file: string) => string, problems: LoadProblem[]): Requirement[] {
  const own = ownRequirementsFile(layout);
  const loaded = loadCatalogue(resolve(layout.cwd, requirementsFile(layout)), own === undefined ? undefined : resolve(layout.cwd, own), display);
  problems.push(...loaded.problems);
  return loaded.requirements;
}

/** With no paths: confcall's own inputs in its checkout; in a bot's repository, its `confcall/` folder. */
function defaultPaths(layout: ProjectLayout): string[] {
  if (layout.base !== layout.cwd) return [USER_DIR];
  return ['suites', 'recordings', 'targets', ...(existsSync(resolve(layout.cwd, 'requirements.yaml')) ? ['requirements.yaml'] : [])];
}

function isTargetProfile(file: string, text: string): boolean {
  return /(^|\/)targets\//.test(file) || /^callbackUri:/m.test(text);
}

