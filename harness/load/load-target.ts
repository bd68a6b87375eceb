import type { TargetProfile } from '../model/target.js';
import type { LoadProblem } from './problem.js';
import { checkAgainstSchema } from './schema-check.js';
import { startEnvironment, targetProblems } from './target-checks.js';
import { targetValueProblems } from './target-values.js';
import { readInputFile } from './read-input.js';
import { formatPath, parseYamlSource, positionAt, yamlValue, type YamlSource } from './yaml-source.js';

/** A loaded profile; `warnings` are values the run would not honour as written (they stop nothing). */
export interface LoadedTarget {
  value?: TargetProfile;
  problems: LoadProblem[];
  warnings?: LoadProblem[];
}

const ENV_REFERENCE = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Loads a target profile, expanding `${env:NAME}` and `${env:NAME:-default}` from `env`. */
export function loadTarget(file: string, env: NodeJS.ProcessEnv = process.env): LoadedTarget {
  const { text, problems } = readInputFile(file, file, { what: 'target profile', hint: 'pass --target with the path of a targets/*.yaml file' });
  if (text === undefined) return { problems };
  return parseTarget(file, text, env);
}

/** Parses and checks a target profile's text (see {@link loadTarget}). */
export function parseTarget(file: string, text: string, env: NodeJS.ProcessEnv = process.env): LoadedTarget {
  const { source, problems } = parseYamlSource(file, text);
  if (problems.length) return { problems };
  const { value: raw, problems: aliasProblems } = yamlValue(source);
  if (aliasProblems.length) return { problems: aliasProblems };
  const expandProblems: LoadProblem[] = [];
  const expanded = expandEnv(raw, env, source, [], expandProblems);
  if (expandProblems.length) return { problems: expandProblems };
  const schemaProblems = checkAgainstSchema('target', expanded, source);
  if (schemaProblems.length) return { problems: schemaProblems };
  const target = expanded as TargetProfile;
  const values = targetValueProblems(target, source);
  const profileProblems = [...values.problems, ...targetProblems(target, source)];
  if (profileProblems.length) return { problems: profileProblems, warnings: values.warnings };
  const start = target.start && { ...target.start, env: startEnvironment(target) };
  return { value: { ...target, ...(start && { start }), file }, problems: [], warnings: values.warnings };
}

/**
 * A `${env:` that is not `${env:NAME}` or `${env:NAME:-default}` would stay in the value as text
 * (a callbackUri with `${env:PORT-3978}` in it reaches no bot): it is refused, with the form it lacks.
 */
function malformedEnvReference(text: string): { message: string; hint: string } | undefined {
  for (const m of text.matchAll(ENV_REFERENCE)) {
    if (m[2]?.includes('${')) return { message: `${m[0]}}: a default cannot hold another \${…} reference`, hint: 'give a plain default, or set the variable' };
  }
  const rest = text.replace(ENV_REFERENCE, '');
  const at = rest.indexOf('${env:');
  if (at < 0) return undefined;
  const written = rest.slice(at, rest.indexOf('}', at) + 1 || undefined);
  const form = written.endsWith('}') ? `${written} is not an environment reference` : `${written} is not closed with }`;
  return { message: form, hint: 'write ${env:NAME} or ${env:NAME:-default}: NAME is letters, digits and _ (not starting with a digit), and the default follows :-' };
}

function expandEnv(value: unknown, env: NodeJS.ProcessEnv, source: YamlSource, path: Array<string | number>, problems: LoadProblem[]): unknown {
  if (typeof value === 'string') {
    const malformed = malformedEnvReference(value);
    if (malformed) {
      problems.push({ ...positionAt(source, path), path: formatPath(path), ...malformed });
      return value;
    }
    return value.replace(ENV_REFERENCE, (whole, name: string, fallback: string | undefined) => {
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      problems.push({ ...positionAt(source, path), path: formatPath(path), message: `environment variable ${name} is not set`, hint: `set ${name}, or give a default: \${env:${name}:-value}` });
      return whole;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => expandEnv(v, env, source, [...path, i], problems));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandEnv(v, env, source, [...path, k], problems)]));
  }
  return value;
}
