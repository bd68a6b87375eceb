import type { PlaceholderKind, RedactionRule } from '../model/redaction.js';

/**
 * The placeholders given so far in one capture: the same value always gets the same placeholder,
 * so a participant named in a roster and in a transfer target is still the same person.
 */
export interface Placeholders {
  /** kind + original value → placeholder */
  given: Map<string, string>;
  /** placeholders given so far, per kind (numbers the next one) */
  counts: Map<string, number>;
}

/** A fresh, empty placeholder table for one capture. */
export function newPlaceholders(): Placeholders {
  return { given: new Map(), counts: new Map() };
}

/** The value with every rule applied: pointer rules first (whole values), then patterns inside strings. */
export function redactValue<T>(value: T, rules: readonly RedactionRule[], placeholders: Placeholders): T {
  return walk(value, [], rules, placeholders) as T;
}

/** A text with every pattern rule applied (for headers and other free text). */
export function redactText(text: string, rules: readonly RedactionRule[], placeholders: Placeholders): string {
  let out = text;
  for (const rule of rules) {
    if (rule.pattern) out = out.replace(rule.pattern.global ? rule.pattern : new RegExp(rule.pattern.source, `${rule.pattern.flags}g`), (match) => placeholderFor(rule.as, match, placeholders));
  }
  return out;
}

function walk(value: unknown, path: string[], rules: readonly RedactionRule[], placeholders: Placeholders): unknown {
  const byPointer = rules.find((r) => r.pointer !== undefined && pointerMatches(r.pointer, path));
  if (byPointer && (typeof value === 'string' || typeof value === 'number')) return placeholderFor(byPointer.as, String(value), placeholders);
  if (typeof value === 'string') return redactText(value, rules, placeholders);
  if (Array.isArray(value)) return value.map((v, i) => walk(v, [...path, String(i)], rules, placeholders));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, [...path, k], rules, placeholders)]));
  }
  return value;
}

/** Whether a JSON pointer with wildcards (`*` one segment, `**` any number) names this path. */
export function pointerMatches(pointer: string, path: readonly string[]): boolean {
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const match = (i: number, j: number): boolean => {
    if (i === segments.length) return j === path.length;
    const segment = segments[i]!;
    if (segment === '**') return match(i + 1, j) || (j < path.length && match(i, j + 1));
    return j < path.length && (segment === '*' || segment === path[j]) && match(i + 1, j + 1);
  };
  return match(0, 0);
}

/** The stable placeholder of a value; credentials all read the same, since nothing correlates by them. */
export function placeholderFor(kind: PlaceholderKind, original: string, placeholders: Placeholders): string {
  if (kind === 'secret') return '<redacted secret>';
  if (kind === 'token') return '<redacted token>';
  const key = `${kind}\u0000${original}`;
  const known = placeholders.given.get(key);
  if (known) return known;
  const n = (placeholders.counts.get(kind) ?? 0) + 1;
  placeholders.counts.set(kind, n);
  const made = {
    name: `Person ${n}`,
    phone: `+1555${String(n).padStart(7, '0')}`,
    email: `person${n}@example.invalid`,
    'user-id': `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  }[kind];
  placeholders.given.set(key, made);
  return made;
}
