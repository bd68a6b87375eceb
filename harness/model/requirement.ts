import type { SourcePosition } from './position.js';

/** A rule a calling bot must keep, traced to the document sentence it comes from. */
export interface Requirement {
  /** e.g. `TRANSFER-FAIL-ESTABLISHED`. */
  id: string;
  level: 'MUST' | 'SHOULD';
  title: string;
  /** The document (file, page or section). */
  source: string;
  /** The sentence, in the document's language. */
  quote: string;
  /** An English gloss when the quote is not English. */
  gloss?: string;
  /** Whether a protocol rule with this id is checked in every scenario. */
  rule: boolean;
  position: SourcePosition;
}
