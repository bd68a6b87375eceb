import type { Requirement } from '../model/requirement.js';
import type { LoadProblem } from './problem.js';
import { checkAgainstSchema } from './schema-check.js';
import { readInputFile } from './read-input.js';
import { formatPath, parseYamlSource, positionAt, yamlValue } from './yaml-source.js';

/** Loads the requirement catalogue (`suites/requirements.yaml`); ids must be unique. */
export function loadRequirements(file: string, display = file): { requirements: Requirement[]; problems: LoadProblem[] } {
  const read = readInputFile(file, display, { what: 'the requirement catalogue' });
  if (read.text === undefined) return { requirements: [], problems: read.problems };
  const { source, problems } = parseYamlSource(display, read.text);
  if (problems.length) return { requirements: [], problems };
  const { value: raw, problems: aliasProblems } = yamlValue(source) as { value?: any; problems: LoadProblem[] };
  if (aliasProblems.length) return { requirements: [], problems: aliasProblems };
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
