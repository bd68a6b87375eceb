import type { Project } from '../harness/load/load-project.js';

/** What every figure gets: sizes (quick or full), where its ports are, and the loaded suites. */
export interface BenchSettings {
  /** Small sizes, for a smoke test: the figures are then only indicative. */
  quick: boolean;
  /** Each figure takes ports from here on (base+10.., base+20.., ...), so a bench can share the machine. */
  portBase: number;
  project: Project;
  /** Folder for files a figure writes (collections, reports of timed runs). */
  workDir: string;
  /** Progress lines go here (stderr), the table to stdout. */
  log(line: string): void;
}

/** The full size, or the quick one. */
export function size(settings: BenchSettings, full: number, quick: number): number {
  return settings.quick ? quick : full;
}
