import { ephemeralClash } from '../../harness/load/ephemeral-ports.js';

/** The base when CONFCALL_TEST_PORT_BASE is unset: clear of Linux's default ephemeral range (32768-60999) and of confcall's own defaults (3978, 4455). */
export const DEFAULT_TEST_PORT_BASE = 24000;
/** Ports each Playwright parallel worker gets: slots of two (bot, fake Graph), and the bench's offsets up to +81. */
export const PORTS_PER_WORKER = 100;
/** The self-test project's workers (playwright.config.ts): the span a base must keep clear. */
const SELFTEST_WORKERS = 2;

/**
 * CONFCALL_TEST_PORT_BASE (default 24000), refused when the ports it gives would meet this machine's ephemeral
 * range: a test there loses its run to an EADDRINUSE that no listener caused (it happened at 41000 and 32978).
 */
export function testPortBase(env: NodeJS.ProcessEnv = process.env, workers = SELFTEST_WORKERS): number {
  const text = env.CONFCALL_TEST_PORT_BASE;
  const base = text === undefined || text === '' ? DEFAULT_TEST_PORT_BASE : Number(text);
  const span = Math.max(workers, 1) * PORTS_PER_WORKER;
  if (!Number.isInteger(base) || base < 1024 || base + span - 1 > 65535) {
    throw new Error(`CONFCALL_TEST_PORT_BASE must be a port from 1024 to ${65536 - span} (the tests use ${span} ports from it), got "${text}"`);
  }
  const clash = ephemeralClash(`CONFCALL_TEST_PORT_BASE=${base}`, { low: base, high: base + span - 1 }, span, DEFAULT_TEST_PORT_BASE);
  if (clash) throw new Error(clash);
  return base;
}

/**
 * Ports for one conformance run, distinct per Playwright parallel worker so runs can overlap.
 * CONFCALL_TEST_PORT_BASE moves the whole range, so two checkouts can run their tests side by side.
 */
export function portsFor(parallelIndex: number, slot = 0): { CONFCALL_BOT_PORT: string; CONFCALL_GRAPH_PORT: string } {
  const base = testPortBase(process.env, parallelIndex + 1) + parallelIndex * PORTS_PER_WORKER + slot * 2;
  return { CONFCALL_BOT_PORT: String(base), CONFCALL_GRAPH_PORT: String(base + 1) };
}
