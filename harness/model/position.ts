/** A place in an input file, 1-based, for messages a user can click. */
export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

/** Formats a position as `file:line:col`. */
export function formatPosition(pos: SourcePosition): string {
  return `${pos.file}:${pos.line}:${pos.col}`;
}
