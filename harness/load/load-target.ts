import { readFileSync } from 'node:fs';
import type { TargetProfile } from '../model/target.js';
import type { LoadProblem } from './problem.js';
import { checkAgainstSchema } from './schema-check.js';
import { startEnvironment, targetProblems } from './target-checks.js';
import { formatPath, parseYamlSource, positionAt, type YamlSource } from './yaml-source.js';

const ENV_REFERENCE = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Loads a target profile, expanding `${env:NAME}` and `${env:NAME:-default}` from `env`. */
export function loadTarget(file: string, env: NodeJS.ProcessEnv = process.env): { value?: TargetProfile; problems: LoadProblem[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { problems: [{ file, line: 1, col: 1, path: '', message: `cannot read target profile: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, hint: 'pass --target with the path of a targets/*.yaml file' }] };
  }
  return parseTarget(file, text, env);
}

/** Parses and checks a target profile's text (see {@link loadTarget}). */
export function parseTarget(file: string, text: string, env: NodeJS.ProcessEnv = process.env): { value?: TargetProfile; problems: LoadProblem[] } {
  const { source, problems } = parseYamlSource(file, text);
  if (problems.length) return { problems };
  const raw = source.document.toJS();
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
