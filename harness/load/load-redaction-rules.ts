import { readFileSync } from 'node:fs';
import type { PlaceholderKind, RedactionRule } from '../model/redaction.js';
import type { LoadProblem } from './problem.js';
import { checkAgainstSchema } from './schema-check.js';
import { formatPath, parseYamlSource, positionAt } from './yaml-source.js';

/** A redaction rules file: its rules, and whether the built-in rules apply too. */
export interface RedactionRules {
  defaults: boolean;
  rules: RedactionRule[];
}

/** Loads and checks a redaction rules file (`harness/schema/redaction.schema.json`); regexes are compiled here. */
export function loadRedactionRules(file: string, display = file): { value?: RedactionRules; problems: LoadProblem[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { problems: [{ file: display, line: 1, col: 1, path: '', message: `cannot read redaction rules: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, hint: 'pass --redact with the path of a rules YAML file' }] };
  }
  return parseRedactionRules(display, text);
}

/** Parses and checks the text of a redaction rules file (see {@link loadRedactionRules}). */
export function parseRedactionRules(file: string, text: string): { value?: RedactionRules; problems: LoadProblem[] } {
  const { source, problems } = parseYamlSource(file, text);
  if (problems.length) return { problems };
  const raw = (source.document.toJS() ?? {}) as { defaults?: boolean; rules?: Array<{ pointer?: string; pattern?: string; as: PlaceholderKind }> };
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
