/** One line of the benchmark table: a figure, the baseline measured beside it in the same run, and the target. */
export interface BenchFigure {
  /** The issue's letter and a short name: `a`, `b16`, ... */
  id: string;
  title: string;
  value: number;
  unit: string;
  /** What the value is compared with, measured in the same run (absent where the issue asks for none). */
  baseline?: { title: string; value: number; unit: string };
  /** value / baseline (or baseline / value where smaller is better, as `ratioMeaning` says). */
  ratio?: number;
  ratioMeaning?: string;
  /** The issue's target, in words, and whether it is met (undefined: no target). */
  target?: string;
  met?: boolean;
  /** How it was measured (sizes, repetitions), for the JSON and the README. */
  method: string;
}

/** The median of some numbers (used to damp other processes' noise over repeated rounds). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Milliseconds an async action takes. */
export async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

/** One paired round of a figure, as a progress line: `(a16) round 3/15: harness 9108, baseline 12838 notifications/s, ratio 0.71`. */
export function roundLine(figure: string, round: number, rounds: number, pair: { value: number; baseline: number; unit: string; ratio?: number; extra?: string }): string {
  const ratio = pair.ratio ?? pair.value / pair.baseline;
  return `(${figure}) round ${round + 1}/${rounds}: harness ${pair.value.toFixed(pair.value >= 100 ? 0 : 1)}, baseline ${pair.baseline.toFixed(pair.baseline >= 100 ? 0 : 1)} ${pair.unit}, ratio ${ratio.toFixed(2)}${pair.extra ? `; ${pair.extra}` : ''}`;
}
