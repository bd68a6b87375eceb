/**
 * Mutant: reads resultInfo codes only when they are JSON numbers.
 *
 * The real defect: a typed model (`code: number; subcode: number`) read with `typeof x === 'number'`
 * guards, or a deserialiser that drops what does not fit. Graph's call-delete page shows the
 * terminated notification with `"code": "200", "subcode": "5001"` as strings (graph-calling.md Q2;
 * PART 8 S11 "accepts string codes. BUG: JSON type assertion crash"), and the transfer page (003)
 * shows numbers: this bot loses the end reason of a hung-up call, and sees no failure code at all
 * when a transfer failure comes with string codes.
 */
import { isRecord } from '../reference/json.js';
import type { ResultInfo } from '../reference/model.js';
import { readField } from '../reference/json.js';
import { runMutant } from '../reference/run-mutant.js';

const numberOnly = (value: unknown): number | undefined => (typeof value === 'number' && Number.isInteger(value) ? value : undefined);

function readResultInfoNumbersOnly(raw: unknown): ResultInfo | undefined {
  if (!isRecord(raw)) return undefined;
  const code = numberOnly(readField(raw, 'code'));
  const subcode = numberOnly(readField(raw, 'subcode'));
  if (code === undefined && subcode === undefined) return undefined;
  const message = readField(raw, 'message');
  return { code: code ?? 0, subcode: subcode ?? 0, ...(typeof message === 'string' && { message }) };
}

await runMutant('reads-codes-as-numbers-only', { readResultInfo: readResultInfoNumbersOnly });
