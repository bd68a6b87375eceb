import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { RunSummary } from '../../harness/report/run-summary.js';
import { ROOT } from './temp-root.js';

const validate = new Ajv({ allErrors: true, strict: true }).compile<RunSummary>(JSON.parse(readFileSync(join(ROOT, 'harness/schema/summary.schema.json'), 'utf8')));

/** A run's summary.json, parsed, after checking it against the published schema (the contract CI gates read). */
export function readSummary(file: string): RunSummary {
  const summary: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!validate(summary)) throw new Error(`${file} does not match harness/schema/summary.schema.json:\n${validate.errors!.map((e) => `  ${e.instancePath || '/'} ${e.message}`).join('\n')}`);
  return summary;
}

/** The same check for a summary built in memory. */
export function checkedSummary<T>(summary: T): T {
  if (!validate(summary)) throw new Error(`the summary does not match harness/schema/summary.schema.json:\n${validate.errors!.map((e) => `  ${e.instancePath || '/'} ${e.message}`).join('\n')}`);
  return summary;
}
