import { parseArgs } from 'node:util';
import { loadProject } from '../load/load-project.js';
import { formatProblem } from '../load/problem.js';
import { capabilitiesOf } from '../model/suite.js';

/** `confcall list`: the scenarios (with what they need and cover), or the recordings. */
export function listCommand(args: string[], cwd: string): number {
  const { values } = parseArgs({ args, options: { suite: { type: 'string', multiple: true }, recordings: { type: 'boolean' } } });
  const { project, problems } = loadProject({ root: cwd, recordingsDir: 'recordings', suitePatterns: values.suite ?? ['suites/*.yaml'] });
  if (problems.length) {
    for (const p of problems) console.error(formatProblem(p));
    return 2;
  }
  if (values.recordings) {
    for (const r of [...project.recordings.values()].sort((a, b) => a.id.localeCompare(b.id))) {
      const where = r.sources.map((s) => `${s.document}:${s.line}`).join(', ');
      console.log(`${r.id.padEnd(64)} ${r.kind.padEnd(12)} ${where}`);
    }
    return 0;
  }
  for (const suite of project.suites) {
    console.log(`${suite.id}: ${suite.title} (${suite.file})`);
    for (const s of suite.scenarios) {
      const needs = capabilitiesOf(s);
      const extra = [needs.length ? `needs ${needs.join('+')}` : '', s.requirements.length ? `covers ${s.requirements.join(', ')}` : ''].filter(Boolean).join('; ');
      console.log(`  ${suite.id}/${s.id}  ${s.title}${extra ? `  [${extra}]` : ''}`);
    }
  }
  return 0;
}
