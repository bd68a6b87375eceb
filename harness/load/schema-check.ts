import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { packageRoot, schemaDir } from './package-root.js';
import type { LoadProblem } from './problem.js';
import { formatPath, positionAt, type YamlSource } from './yaml-source.js';

/** The input schemas that ship in `harness/schema/`. */
export type InputSchema = 'suite' | 'target' | 'recording' | 'requirements' | 'redaction';

/** Every input schema, for the build's precompilation. */
export const INPUT_SCHEMAS: readonly InputSchema[] = ['suite', 'target', 'recording', 'requirements', 'redaction'];

/** The options every input schema is compiled with, at build time and at run time alike. */
const AJV_OPTIONS = { allErrors: true, verbose: true, strict: false } as const;

const compiled = new Map<InputSchema, ValidateFunction>();

/**
 * The compiled validator for a shipped schema: the one the build precompiled (precompiledValidatorsDir,
 * see standaloneValidator) when it was made from this very schema text, else compiled now, once per process.
 * Compiling the four schemas a run reads took about 300 ms of CPU at every `confcall run`.
 */
export function validatorFor(name: InputSchema): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    const text = readFileSync(`${schemaDir()}/${name}.schema.json`, 'utf8');
    validate = precompiledValidator(name, text) ?? newAjv().compile(JSON.parse(text));
    compiled.set(name, validate);
  }
  return validate;
}

/** The build's validator for `name` when it was made from `schemaText`; undefined when there is none or it is stale. */
function precompiledValidator(name: InputSchema, schemaText: string): ValidateFunction | undefined {
  try {
    const module = createRequire(import.meta.url)(join(precompiledValidatorsDir(), `${name}.cjs`)) as ValidateFunction & { schemaSha256?: string };
    return module.schemaSha256 === sha256(schemaText) ? module : undefined;
  } catch {
    return undefined; // not built (running from source), or removed: compile instead
  }
}

/** Where the build writes the precompiled validators (found from the sources too, as the self-tests load them). */
export function precompiledValidatorsDir(): string {
  return join(packageRoot(), 'dist', 'harness', 'load', 'validators');
}

/** A standalone CommonJS module of the validator for `schemaText` (ajv's standalone code), stamped with the schema's hash. */
export function standaloneValidator(schemaText: string): string {
  // ajv's standalone module is CommonJS whose module.exports is the function itself.
  const standaloneCode = createRequire(import.meta.url)('ajv/dist/standalone') as (typeof import('ajv/dist/standalone/index.js'))['default'];
  const ajv = newAjv({ source: true, esm: false });
  const code = standaloneCode(ajv, ajv.compile(JSON.parse(schemaText)));
  return `${code}\nmodule.exports.schemaSha256 = ${JSON.stringify(sha256(schemaText))};\n`;
}

/**
 * An ajv instance with the input schemas' options. Loaded on use: with the build's validators (which need only
 * ajv's small runtime helpers) a run never compiles a schema, and ajv itself cost `confcall run` about 60 ms of CPU to load.
 */
function newAjv(code?: { source: true; esm: false }): Ajv {
  const { Ajv: AjvClass } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  return new AjvClass({ ...AJV_OPTIONS, ...(code && { code }) });
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Checks a value against a shipped schema; every error is placed on the YAML (or JSON) node it is about. */
export function checkAgainstSchema(name: InputSchema, value: unknown, source: YamlSource): LoadProblem[] {
  const validate = validatorFor(name);
  if (validate(value)) return [];
  return readableErrors(validate.errors ?? []).map((error) => toProblem(error, source));
}

/**
 * ajv reports every failing branch of a `oneOf`; a person wants one sentence about the value.
 * Keep the `oneOf` error itself (worded from the schema's description) and drop its branch errors,
 * and drop the step-level `oneOf` entirely: the loader reports "exactly one action" itself.
 */
function readableErrors(errors: ErrorObject[]): ErrorObject[] {
  const oneOfPaths = errors.filter((e) => e.keyword === 'oneOf').map((e) => e.schemaPath);
  const kept = errors.filter((e) => {
    if (e.keyword === 'oneOf') return !e.schemaPath.startsWith('#/definitions/step/');
    if (e.schemaPath.startsWith('#/definitions/step/oneOf')) return false;
    return !oneOfPaths.some((p) => e.schemaPath.startsWith(`${p}/`));
  });
  // A branch reached through a $ref that failed deeper inside the value says more than "the wrong shape".
  return kept.filter((e) => e.keyword !== 'oneOf' || !kept.some((other) => other.instancePath.startsWith(`${e.instancePath}/`)));
}

function toProblem(error: ErrorObject, source: YamlSource): LoadProblem {
  const path = pointerToPath(error.instancePath);
  if (error.keyword === 'additionalProperties') {
    const key = String(error.params.additionalProperty);
    const allowed = Object.keys((error.parentSchema as { properties?: object })?.properties ?? {});
    const near = closest(key, allowed);
    return {
      ...positionAt(source, [...path, key], true),
      path: formatPath([...path, key]),
      message: `unknown key "${key}"`,
      hint: near ? `did you mean "${near}"? allowed keys: ${allowed.join(', ')}` : `allowed keys: ${allowed.join(', ')}`,
    };
  }
  if (error.keyword === 'required') {
    const key = String(error.params.missingProperty);
    return { ...positionAt(source, path), path: formatPath(path), message: `missing required key "${key}"` };
  }
  return { ...positionAt(source, path), path: formatPath(path), message: describe(error) };
}

function describe(error: ErrorObject): string {
  const parent = error.parentSchema as { description?: string } | undefined;
  switch (error.keyword) {
    case 'type':
      return `must be ${article(String(error.params.type))}, got ${kindOf(error.data)}`;
    case 'enum':
      return `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(error.data)}`;
    case 'pattern':
      return `${JSON.stringify(error.data)} does not have the expected form${parent?.description ? ` (${parent.description})` : ''}`;
    case 'oneOf':
      return `has the wrong shape${parent?.description ? `: ${parent.description.replace(/\.$/, '')}` : ''}, got ${kindOf(error.data)}`;
    default:
      return error.message ?? 'is not valid';
  }
}

function pointerToPath(pointer: string): Array<string | number> {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function article(type: string): string {
  const words: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string', integer: 'an integer', number: 'a number', boolean: 'true or false' };
  return words[type] ?? type;
}

/** The allowed word nearest to a misspelt one (edit distance ≤ 2), if any. */
function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
