/** `confcall run` hands the validated project to Playwright's processes (load/project-handoff.ts) instead of their loading it again. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { loadProject } from '../harness/load/load-project.js';
import { readProjectHandoff, removeProjectHandoff, writeProjectHandoff } from '../harness/load/project-handoff.js';
import { conformanceSettings, handOverProject, loadConformanceProject } from '../harness/run/conformance-settings.js';

const paths = { root: process.cwd(), recordingsDir: 'recordings', suitePatterns: ['suites/*.yaml'], targetFile: 'targets/reference-bot.yaml', requirementsFile: 'requirements.yaml', libraryDirs: ['suites'] };

test('the project read back is the one written, Maps, shared and cyclic references included; another run id reads nothing', () => {
  const { project, problems } = loadProject(paths);
  expect(problems).toEqual([]);
  const file = join(mkdtempSync(join(tmpdir(), 'handoff-')), 'project.v8');
  writeProjectHandoff(file, 'run-1', project);
  expect(readProjectHandoff(file, 'run-1')).toEqual(project);
  expect(readProjectHandoff(file, 'run-2')).toBeUndefined();
  removeProjectHandoff(file);
  expect(readProjectHandoff(file, 'run-1')).toBeUndefined();
});

test("the conformance run's processes take the handed-over project; without one the global setup loads the inputs and hands them over", async () => {
  const { project } = loadProject(paths);
  const dir = mkdtempSync(join(tmpdir(), 'handoff-'));
  const file = join(dir, 'project.v8');
  // A marker no input holds: proof that the handoff, not the files, was read.
  const marked = { ...project, target: { ...project.target!, name: 'handed-over' } };
  writeProjectHandoff(file, 'run-1', marked);
  const env = { CONFCALL_ROOT: process.cwd(), CONFCALL_SUITES: 'suites/*.yaml', CONFCALL_LIBRARY: 'suites', CONFCALL_OUT_DIR: dir, CONFCALL_PROJECT_HANDOFF: file, CONFCALL_RUN_ID: 'run-1' };
  expect(loadConformanceProject(conformanceSettings(env)).target.name).toBe('handed-over');
  expect((await handOverProject(conformanceSettings(env), { ...env })).project.target.name).toBe('handed-over');
  // A stale handoff (another run's): the spec refuses it, and the global setup loads the files and hands them over anew.
  const stale: Record<string, string> = { ...env, CONFCALL_RUN_ID: 'an-earlier-run' };
  expect(() => loadConformanceProject(conformanceSettings(stale))).toThrow(/no project was handed over/);
  const fresh = await handOverProject(conformanceSettings(stale), stale);
  expect(fresh.project.target.name).toBe('reference-bot');
  expect(stale.CONFCALL_RUN_ID).not.toBe('an-earlier-run');
  expect(loadConformanceProject(conformanceSettings(stale)).target.name).toBe('reference-bot');
  fresh.remove();
  expect(() => loadConformanceProject(conformanceSettings(stale))).toThrow(/no project was handed over/);
});
