import type { TargetProfile } from '../model/target.js';
import type { LoadProblem } from './problem.js';
import { checkAgainstSchema } from './schema-check.js';
import { startEnvironment, targetProblems } from './target-checks.js';
import { readInputFile } from './read-input.js';
import { formatPath, parseYamlSource, positionAt, yamlValue, type YamlSource } from './yaml-source.js';

const ENV_REFERENCE = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Loads a target profile, expanding `${env:NAME}` and `${env:NAME:-default}` from `env`. */
export function loadTarget(file: string, env: NodeJS.ProcessEnv = process.env): { value?: TargetProfile; problems: LoadProblem[] } {
  const { text, problems } = readInputFile(file, file, { what: 'target profile', hint: 'pass --target with the path of a targets/*.yaml file' });
  if (text === undefined) return { problems };
  return parseTarget(file, text, env);
}

/** Parses and checks a target profile's text (see {@link loadTarget}). */
export function parseTarget(file: string, text: string, env: NodeJS.ProcessEnv = process.env): { value?: TargetProfile; problems: LoadProblem[] } {
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
  const profileProblems = targetProblems(target, source);
  if (profileProblems.length) return { problems: profileProblems };
  const start = target.start && { ...target.start, env: startEnvironment(target) };
  return { value: { ...target, ...(start && { start }), file }, problems: [] };
}

function expandEnv(value: unknown, env: NodeJS.ProcessEnv, source: YamlSource, path: Array<string | number>, problems: LoadProblem[]): unknown {
  if (typeof value === 'string') {
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
