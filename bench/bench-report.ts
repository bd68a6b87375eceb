import { cpus, loadavg, totalmem } from 'node:os';
import type { BenchFigure } from './bench-figure.js';

/** The machine the figures come from: they mean nothing without it. */
export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  platform: string;
  /** 1-minute load average when the bench started: other processes make the figures noisy. */
  loadAverage: number;
}

/** This machine. */
export function thisMachine(): Machine {
  const list = cpus();
  return { cpus: list.length, cpuModel: list[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 1024 ** 3), node: process.version, platform: `${process.platform} ${process.arch}`, loadAverage: Number(loadavg()[0]!.toFixed(2)) };
}

/** The figures as a table: figure, value, baseline, ratio, target, met? */
export function benchTable(figures: BenchFigure[]): string {
  const rows = [
    ['figure', 'value', 'baseline (same run)', 'ratio', 'target', 'met?'],
    ...figures.map((f) => [
      `(${f.id}) ${f.title}`,
      `${format(f.value)} ${f.unit}`,
      f.baseline ? `${format(f.baseline.value)} ${f.baseline.unit} (${f.baseline.title})` : '-',
      f.ratio === undefined ? '-' : `${f.ratio.toFixed(2)} (${f.ratioMeaning})`,
      f.target ?? '-',
      f.met === undefined ? '-' : f.met ? 'yes' : 'NO',
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ').trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.slice(1).map(line)].join('\n');
}

function format(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(1);
}
