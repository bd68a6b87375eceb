import type { SourcePosition } from './position.js';

/** What a redacted value becomes: a stable placeholder of this kind (same value, same placeholder). */
export type PlaceholderKind = 'name' | 'phone' | 'email' | 'user-id' | 'secret' | 'token';

/** Every placeholder kind, for the schema and messages. */
export const PLACEHOLDER_KINDS: readonly PlaceholderKind[] = ['name', 'phone', 'email', 'user-id', 'secret', 'token'];

/**
 * One redaction rule: either every value at a JSON pointer (`*` one member or index, `**` any
 * depth) or every match of a regular expression inside any string, replaced by a placeholder.
 */
export interface RedactionRule {
  pointer?: string;
  pattern?: RegExp;
  as: PlaceholderKind;
  /** Where the rule was written (absent for the built-in rules). */
  position?: SourcePosition;
}
