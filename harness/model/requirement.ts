import type { SourcePosition } from './position.js';

/** A rule a calling bot must keep, traced to the document sentence it comes from. */
export interface Requirement {
  /** e.g. `TRANSFER-FAIL-ESTABLISHED`. */
  id: string;
  level: 'MUST' | 'SHOULD';
  /**
   * `document`: the quoted sentence states the rule (and its level); `inferred`: confcall reasons
   * it from the quoted sentence (`reasoning` says how), so it is never stronger than SHOULD.
   */
  basis: 'document' | 'inferred';
  /** Why the level is what it is: the words of the quote that state it, or confcall's reasoning for an inferred rule. */
  levelFrom: string;
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
