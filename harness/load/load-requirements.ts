import { readFileSync } from 'node:fs';
import type { Requirement } from '../model/requirement.js';
import type { LoadProblem } from './problem.js';
import { checkAgainstSchema } from './schema-check.js';
import { formatPath, parseYamlSource, positionAt } from './yaml-source.js';

/** Loads the requirement catalogue (`suites/requirements.yaml`); ids must be unique. */
export function loadRequirements(file: string, display = file): { requirements: Requirement[]; problems: LoadProblem[] } {
  const { source, problems } = parseYamlSource(display, readFileSync(file, 'utf8'));
  if (problems.length) return { requirements: [], problems };
  const raw = source.document.toJS();
  const schemaProblems = checkAgainstSchema('requirements', raw, source);
  if (schemaProblems.length) return { requirements: [], problems: schemaProblems };
  const requirements: Requirement[] = [];
  const seen = new Set<string>();
  (raw.requirements as Array<Omit<Requirement, 'position'>>).forEach((r, i) => {
    const position = positionAt(source, ['requirements', i]);
    if (seen.has(r.id)) problems.push({ ...positionAt(source, ['requirements', i, 'id']), path: formatPath(['requirements', i, 'id']), message: `requirement ${r.id} is listed twice` });
    seen.add(r.id);
    requirements.push({ ...r, rule: r.rule ?? false, position });
  });
  return { requirements, problems };
}
