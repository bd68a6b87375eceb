/**
 * Whether a JSON file, already parsed with JSON.parse, is one the YAML parser would read without a
 * problem. Recordings are JSON, read through the YAML parser only to place problems on lines (and to
 * refuse what the parser refuses); that parse took most of `confcall run`'s start-up. A recording that
 * passes this check and its schema needs no YAML parse at all; any doubt takes the full path, which
 * reports every problem as before.
 */
import { MAX_NESTING } from './yaml-source.js';

/** The YAML parser refuses longer implicit keys (YAML 1.2, 7.4.1); kept short of it. */
const MAX_KEY_LENGTH = 1000;

/** True when `text` (whose JSON.parse is `value`) has no tab, no key twice in an object, no over-long key, no too-deep nesting. */
export function readsCleanAsYaml(text: string, value: unknown): boolean {
  // JSON forbids raw tabs inside strings, so a tab is white space, which the YAML parser may refuse as indentation.
  if (text.includes('\t')) return false;
  const keys = objectKeys(value, 1);
  return keys !== undefined && keys === keyTokens(text);
}

/** How many keys the objects of `value` hold, or undefined when a key is over-long or nesting too deep. */
function objectKeys(value: unknown, depth: number): number | undefined {
  if (value === null || typeof value !== 'object') return 0;
  if (depth > MAX_NESTING) return undefined;
  let count = 0;
  for (const [key, item] of Object.entries(value)) {
    if (key.length > MAX_KEY_LENGTH) return undefined;
    const inner = objectKeys(item, depth + 1);
    if (inner === undefined) return undefined;
    count += inner + (Array.isArray(value) ? 0 : 1);
  }
  return count;
}

/**
 * How many keys the text writes: strings followed by a colon. Each match consumes a whole string
 * (escapes included), so in valid JSON no match starts inside one. More keys written than parsed
 * means a key written twice in one object.
 */
function keyTokens(text: string): number {
  let count = 0;
  for (const match of text.matchAll(/"(?:[^"\\]|\\.)*"(\s*:)?/g)) if (match[1] !== undefined) count++;
  return count;
}
