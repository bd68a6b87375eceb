import type { PlaceholderKind, RedactionRule } from '../model/redaction.js';
import type { LoadProblem } from './problem.js';
import { checkAgainstSchema } from './schema-check.js';
import { readInputFile } from './read-input.js';
import { formatPath, parseYamlSource, positionAt, yamlValue } from './yaml-source.js';

/** A redaction rules file: its rules, and whether the built-in rules apply too. */
export interface RedactionRules {
  defaults: boolean;
  rules: RedactionRule[];
}

/** Loads and checks a redaction rules file (`harness/schema/redaction.schema.json`); regexes are compiled here. */
export function loadRedactionRules(file: string, display = file): { value?: RedactionRules; problems: LoadProblem[] } {
  const { text, problems } = readInputFile(file, display, { what: 'redaction rules', hint: 'pass --redact with the path of a rules YAML file' });
  if (text === undefined) return { problems };
  return parseRedactionRules(display, text);
}

/** Parses and checks the text of a redaction rules file (see {@link loadRedactionRules}). */
export function parseRedactionRules(file: string, text: string): { value?: RedactionRules; problems: LoadProblem[] } {
  const { source, problems } = parseYamlSource(file, text);
  if (problems.length) return { problems };
  const { value, problems: aliasProblems } = yamlValue(source);
  if (aliasProblems.length) return { problems: aliasProblems };
  const raw = (value ?? {}) as { defaults?: boolean; rules?: Array<{ pointer?: string; pattern?: string; as: PlaceholderKind }> };
  const schemaProblems = checkAgainstSchema('redaction', raw, source);
  if (schemaProblems.length) return { problems: schemaProblems };
  const rules: RedactionRule[] = [];
  const regexProblems: LoadProblem[] = [];
  (raw.rules ?? []).forEach((rule, i) => {
    const position = positionAt(source, ['rules', i]);
    if (rule.pointer !== undefined) return void rules.push({ pointer: rule.pointer, as: rule.as, position });
    try {
      rules.push({ pattern: new RegExp(rule.pattern!, 'g'), as: rule.as, position });
    } catch (error) {
      const path = ['rules', i, 'pattern'];
      regexProblems.push({ ...positionAt(source, path), path: formatPath(path), message: `not a valid regular expression: ${(error as Error).message}`, hint: 'write a JavaScript regular expression; in YAML, single quotes keep backslashes as they are' });
    }
  });
  if (regexProblems.length) return { problems: regexProblems };
  return { value: { defaults: raw.defaults ?? true, rules }, problems: [] };
}
