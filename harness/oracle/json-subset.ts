/**
 * Subset matching of JSON values: every member the expectation names must be present with an
 * equal value; extra members in the actual value are fine. Arrays match element by element and
 * must have the same length.
 */

/** Describes the first place where `actual` does not contain `expected`, or undefined when it does. */
export function firstDifference(expected: unknown, actual: unknown, ignore: string[] = [], path = ''): string | undefined {
  if (ignore.includes(path.replace(/^\./, ''))) return undefined;
  if (expected === null || typeof expected !== 'object') {
    return Object.is(expected, actual) ? undefined : `${label(path)}: expected ${show(expected)}, got ${show(actual)}`;
  }
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

function label(path: string): string {
  return path.replace(/^\./, '') || 'body';
}

/** A short JSON rendering for messages. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
