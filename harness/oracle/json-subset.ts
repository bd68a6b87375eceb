/**
 * Subset matching of JSON values: every member the expectation names must be present with an
 * equal value; extra members in the actual value are fine. Arrays match element by element and
 * must have the same length, unless the expectation says otherwise where the documents allow a set:
 * `{$contains: [...]}` (these items, in any order, others allowed) or `{$subsetOf: [...]}` (a
 * non-empty list of these values only, e.g. the documented modalities).
 */

/** Describes the first place where `actual` does not contain `expected`, or undefined when it does. */
export function firstDifference(expected: unknown, actual: unknown, ignore: string[] = [], path = ''): string | undefined {
  if (ignore.includes(path.replace(/^\./, ''))) return undefined;
  if (expected === null || typeof expected !== 'object') {
    return Object.is(expected, actual) ? undefined : `${label(path)}: expected ${show(expected)}, got ${show(actual)}`;
  }
  const set = arrayOperator(expected);
  if (set) return setDifference(set, actual, ignore, path);
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${label(path)}: expected a list, got ${show(actual)}`;
    if (expected.length !== actual.length) return `${label(path)}: expected ${expected.length} item(s), got ${actual.length}`;
    for (let i = 0; i < expected.length; i++) {
      const difference = firstDifference(expected[i], actual[i], ignore, `${path}[${i}]`);
      if (difference) return difference;
    }
    return undefined;
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return `${label(path)}: expected an object, got ${show(actual)}`;
  for (const [key, value] of Object.entries(expected)) {
    const childPath = `${path}.${key}`;
    if (ignore.includes(childPath.slice(1))) continue;
    if (!(key in actual)) return `${childPath.slice(1)}: missing (expected ${show(value)})`;
    const difference = firstDifference(value, (actual as Record<string, unknown>)[key], ignore, childPath);
    if (difference) return difference;
  }
  return undefined;
}

/** `{$contains: [...]}` or `{$subsetOf: [...]}`, when the expectation is one. */
function arrayOperator(expected: unknown): { op: '$contains' | '$subsetOf'; items: unknown[] } | undefined {
  if (expected === null || typeof expected !== 'object' || Array.isArray(expected)) return undefined;
  const keys = Object.keys(expected);
  if (keys.length !== 1 || (keys[0] !== '$contains' && keys[0] !== '$subsetOf')) return undefined;
  const items = (expected as Record<string, unknown>)[keys[0]];
  return Array.isArray(items) ? { op: keys[0], items } : undefined;
}

/** How an actual list breaks a set expectation: an expected item missing, or a value outside the allowed ones. */
function setDifference(set: { op: '$contains' | '$subsetOf'; items: unknown[] }, actual: unknown, ignore: string[], path: string): string | undefined {
  if (!Array.isArray(actual)) return `${label(path)}: expected a list, got ${show(actual)}`;
  const matches = (want: unknown, got: unknown): boolean => firstDifference(want, got, ignore, path) === undefined;
  if (set.op === '$contains') {
    const missing = set.items.find((want) => !actual.some((got) => matches(want, got)));
    return missing === undefined ? undefined : `${label(path)}: expected a list containing ${show(missing)}, got ${show(actual)}`;
  }
  if (!actual.length) return `${label(path)}: expected at least one of ${show(set.items)}, got an empty list`;
  const outside = actual.find((got) => !set.items.some((want) => matches(want, got)));
  return outside === undefined ? undefined : `${label(path)}: ${show(outside)} is not one of ${show(set.items)}`;
}

function label(path: string): string {
  return path.replace(/^\./, '') || 'body';
}

/** A short JSON rendering for messages. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
