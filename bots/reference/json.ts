/**
 * Defensive readers for JSON that came over the wire. Graph payloads are open types with
 * documented quirks (numbers as strings, unknown members), so nothing is trusted to match
 * its TypeScript type until one of these has read it.
 */

export type JsonObject = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * A JSON number or a numeric string. Codes arrive both ways: the transfer document (003) sends
 * `"code": 500`, Graph's call-delete page `"code": "200"`; OData may also write Int64 as a string.
 */
export function readInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  return undefined;
}

/** The value of `name` in `object`, whatever the casing of the key (`subcode` / `subCode`). */
export function readField(object: JsonObject, name: string): unknown {
  if (Object.hasOwn(object, name)) return object[name];
  const wanted = name.toLowerCase();
  const key = Object.keys(object).find((k) => k.toLowerCase() === wanted);
  return key === undefined ? undefined : object[key];
}
