/**
 * How a check's finding weighs: its basis and level come from the requirement catalogue (or, for
 * checks no requirement owns, from the check itself), and its severity follows from them alone.
 */
import type { Requirement } from '../model/requirement.js';
import type { Basis, Finding, Severity } from '../model/transcript.js';

/** What judging needs to know beyond the transcript: the catalogue and whether SHOULD checks fail. */
export interface Judging {
  requirements: Map<string, Requirement>;
  /** `--strict`: SHOULD and inferred findings fail the test instead of warning. */
  strict: boolean;
}

/** Judging without a catalogue: each check keeps the basis and level it declares. */
export const DEFAULT_JUDGING: Judging = { requirements: new Map(), strict: false };

/** A catalogue as a map by id, for `Judging`. */
export function judgingOf(requirements: Requirement[], strict: boolean): Judging {
  return { requirements: new Map(requirements.map((r) => [r.id, r])), strict };
}

/** A document MUST fails; a SHOULD or an inferred check warns (fails with strict); a test-hook convention is a deviation. */
export function severityOf(basis: Basis, level: 'MUST' | 'SHOULD', strict: boolean): Severity {
  if (basis === 'contract') return 'deviation';
  if (basis === 'document' && level === 'MUST') return 'failure';
  return strict ? 'failure' : 'warning';
}

/** The weight of a finding against these requirements: the strongest of their bases and levels (a document MUST wins). */
export function weightOf(requirementIds: string[], judging: Judging, fallback: { basis: Basis; level: 'MUST' | 'SHOULD' }): Pick<Finding, 'basis' | 'level' | 'severity'> {
  const known = requirementIds.map((id) => judging.requirements.get(id)).filter((r): r is Requirement => r !== undefined);
  const strongest = known.find((r) => r.basis === 'document' && r.level === 'MUST') ?? known.find((r) => r.basis === 'document') ?? known[0];
  const basis: Basis = strongest?.basis ?? fallback.basis;
  const level = strongest?.level ?? fallback.level;
  return { basis, level, severity: severityOf(basis, level, judging.strict) };
}

/** A finding of a test-hook convention (control API, probe): listed as a deviation, never failing. */
export function contractWeight(): Pick<Finding, 'basis' | 'level' | 'severity'> {
  return { basis: 'contract', level: 'SHOULD', severity: 'deviation' };
}
