/**
 * The validated project, handed from `confcall run` to Playwright's processes in a file.
 *
 * `confcall run` loads and checks every input before it starts Playwright (and stops, with each
 * problem's file:line, if there is one). Playwright's runner then loads the spec to list its tests,
 * and its worker loads it again to run them: without the handoff each would parse every YAML file
 * and compile every schema once more (about 1.5 s of CPU per process on a 2-core machine).
 * v8's serializer keeps what the project holds (Maps, shared and cyclic references) as it was.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import type { Project } from './load-project.js';

/** The handoff's file name, in the run's out folder; `confcall run` removes it when Playwright ends. */
export const PROJECT_HANDOFF_FILE = 'project.v8';

/** Tells the file apart from a stale one of another confcall version or another run. */
interface Handoff {
  format: 'confcall-project-1';
  runId: string;
  project: Project;
}

/** Writes the project for the run `runId`; only the user can read it (the target may hold a client secret). */
export function writeProjectHandoff(file: string, runId: string, project: Project): void {
  const handoff: Handoff = { format: 'confcall-project-1', runId, project };
  writeFileSync(file, serialize(handoff), { mode: 0o600 });
}

/** The project `confcall run` wrote for the run `runId`, or undefined when there is no such file (then load the inputs). */
export function readProjectHandoff(file: string, runId: string): Project | undefined {
  let handoff: Partial<Handoff>;
  try {
    handoff = deserialize(readFileSync(file)) as Partial<Handoff>;
  } catch {
    return undefined; // no file, or not one of ours: the caller loads the inputs itself
  }
  return handoff.format === 'confcall-project-1' && handoff.runId === runId ? handoff.project : undefined;
}

/** Removes the handoff (it holds the target's secrets and has no use after the run). */
export function removeProjectHandoff(file: string): void {
  rmSync(file, { force: true });
}
