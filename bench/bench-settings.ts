import { ephemeralClash } from '../harness/load/ephemeral-ports.js';
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

/**
 * Port base when none is given: away from the tests' default range (24000-24199), the bot's 3978, the fake
 * Graph's 4455, and Linux's ephemeral range (32768-60999 by default; 33000 lay inside it).
 */
export const DEFAULT_BENCH_PORT_BASE = 26000;
/** Ports a bench takes from its base: the figures use offsets up to +61. */
export const BENCH_PORT_SPAN = 100;

/**
 * The bench's port base from `--port-base` or CONFCALL_BENCH_PORT_BASE (`text`; default 26000), or why it cannot be
 * used: not a port, or its ports meet this machine's ephemeral range (a listener there can meet EADDRINUSE while
 * nothing listens).
 */
export function benchPortBase(text: string | undefined): { portBase: number } | { problem: string } {
  const portBase = Number(text ?? DEFAULT_BENCH_PORT_BASE);
  if (!Number.isInteger(portBase) || portBase < 1024 || portBase > 65535 - BENCH_PORT_SPAN + 1) {
    return { problem: `--port-base must be a port number between 1024 and ${65536 - BENCH_PORT_SPAN}, got "${text}"` };
  }
  const clash = ephemeralClash(`the port base ${portBase}`, { low: portBase, high: portBase + BENCH_PORT_SPAN - 1 }, BENCH_PORT_SPAN, DEFAULT_BENCH_PORT_BASE);
  return clash ? { problem: `${clash} (--port-base or CONFCALL_BENCH_PORT_BASE)` } : { portBase };
}
