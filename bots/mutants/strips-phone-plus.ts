/**
 * Mutant: "normalises" phone numbers to digits.
 *
 * The real defect: phone numbers are cleaned with `replace(/\D/g, '')` before they go to Graph,
 * which drops the leading plus. 001 (PSTN call): «电话 ID 是 E.164 格式的电话号码。» "The phone ID is
 * a phone number in E.164 format."
 */
import { referenceBehaviour } from '../reference/behaviour.js';
import type { JsonObject } from '../reference/json.js';
import { runMutant } from '../reference/run-mutant.js';

function digitsOnly(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(digitsOnly);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, member]) => {
      if (key !== 'phone' || member === null || typeof member !== 'object') return [key, digitsOnly(member)];
      const phone = member as { id?: unknown };
      return [key, typeof phone.id === 'string' ? { ...phone, id: phone.id.replace(/\D/g, '') } : phone];
    }),
  );
}

function callRequestWithDigitPhones(request: JsonObject, callbackUri: string): JsonObject {
  return digitsOnly(referenceBehaviour.callRequestBody(request, callbackUri)) as JsonObject;
}

await runMutant('strips-phone-plus', { callRequestBody: callRequestWithDigitPhones });
