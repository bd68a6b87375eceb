import { existsSync } from 'node:fs';
import { formatPosition } from '../model/position.js';
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

/**
 * confcall's catalogue and a bot repository's own (`confcall/requirements.yaml`, for its own suites) as
 * one. A project adds requirements under ids of its own: redefining one of confcall's would change what
 * the shipped scenarios judge, and `rule: true` names a protocol rule, which is confcall's code.
 */
export function loadCatalogue(shipped: string | undefined, own: string | undefined, display: (file: string) => string = (f) => f): { requirements: Requirement[]; problems: LoadProblem[] } {
  const base = shipped && existsSync(shipped) ? loadRequirements(shipped, display(shipped)) : { requirements: [], problems: [] };
  if (!own || !existsSync(own)) return base;
  const added = loadRequirements(own, display(own));
  const known = new Map(base.requirements.map((r) => [r.id, r]));
  const problems = [...base.problems, ...added.problems];
  const requirements = [...base.requirements];
  for (const r of added.requirements) {
    const theirs = known.get(r.id);
    if (theirs) problems.push({ ...r.position, path: 'id', message: `requirement ${r.id} is confcall's own (${formatPosition(theirs.position)})`, hint: 'give your requirement an id of its own; a scenario may name confcall\'s requirements as they are' });
    else if (r.rule) problems.push({ ...r.position, path: 'rule', message: `requirement ${r.id} says rule: true, but a protocol rule is confcall's code`, hint: 'leave rule out: your requirement is checked by the scenarios that name it' });
    else requirements.push(r);
  }
  return { requirements, problems };
}
