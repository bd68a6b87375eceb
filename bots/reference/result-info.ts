import { isRecord, readField, readInteger } from './json.js';
import type { ResultInfo } from './model.js';

/**
 * Reads a `resultInfo` in any of the forms the documents show:
 * - 003 transfer: completion spells it `"subcode": 7015`, failure `"subCode": 7000` (and 7700);
 * - Graph's call-delete page sends codes as strings (`"code": "200", "subcode": "5001"`);
 * - 201 responses carry `"resultInfo": null`.
 * A missing code or subcode reads as 0, the schema's default for these Int32 members.
 */
export function readResultInfo(raw: unknown): ResultInfo | undefined {
  if (!isRecord(raw)) return undefined;
  const code = readInteger(readField(raw, 'code'));
  const subcode = readInteger(readField(raw, 'subcode'));
  if (code === undefined && subcode === undefined) return undefined;
  const message = readField(raw, 'message');
  return {
    code: code ?? 0,
    subcode: subcode ?? 0,
    ...(typeof message === 'string' && { message }),
  };
}
