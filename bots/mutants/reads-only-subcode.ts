/**
 * Mutant: reads `resultInfo.subcode` only.
 *
 * The real defect: a typed model that follows the schema (`subcode`) and drops unknown members.
 * The transfer document's failure notifications spell it `subCode` (500/7000, 500/7700), so the
 * reason of a failed transfer is lost: the probe shows subcode 0.
 */
import { isRecord, readInteger } from '../reference/json.js';
import type { ResultInfo } from '../reference/model.js';
import { runMutant } from '../reference/run-mutant.js';

function readResultInfoSchemaCasingOnly(raw: unknown): ResultInfo | undefined {
  if (!isRecord(raw)) return undefined;
  const code = readInteger(raw.code);
  const subcode = readInteger(raw.subcode);
  if (code === undefined && subcode === undefined) return undefined;
  return { code: code ?? 0, subcode: subcode ?? 0, ...(typeof raw.message === 'string' && { message: raw.message }) };
}

await runMutant('reads-only-subcode', { readResultInfo: readResultInfoSchemaCasingOnly });
