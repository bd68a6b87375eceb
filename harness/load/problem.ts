import type { SourcePosition } from '../model/position.js';

/** Something wrong with an input file, located precisely enough to fix. */
export interface LoadProblem extends SourcePosition {
  /** Dotted path of the offending value inside the file, e.g. `scenarios[2].steps[0].notify`. */
  path: string;
  message: string;
  /** How to fix it, when we can say. */
  hint?: string;
  /** A warning is a value the run would not honour as written; it stops nothing. Absent: an error. */
  severity?: 'warning';
}

/** The result of loading: a value, or the problems that stopped it. Problems may accompany a value. */
export type Loaded<T> = { value: T; problems: LoadProblem[] } | { value?: undefined; problems: LoadProblem[] };

/** Formats one problem as `file:line:col: path: message (hint)`; a warning says so before its message. */
export function formatProblem(p: LoadProblem): string {
  const where = `${p.file}:${p.line}:${p.col}`;
  const path = p.path ? ` ${p.path}:` : '';
  const hint = p.hint ? `\n    hint: ${p.hint}` : '';
  return `${where}:${path} ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}${hint}`;
}

/** Orders problems by file, then line, then column, so output reads top to bottom. */
export function sortProblems(problems: LoadProblem[]): LoadProblem[] {
  return [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
}
