import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestOutcome } from './certification.js';

/** What a report says about a run that was stopped before it finished. */
export interface Interruption {
  signal: string;
  at: string;
  message: string;
}

/**
 * Marks the JSON and JUnit reports of an interrupted run as interrupted (Playwright's own JUnit
 * shows the cut-off tests as plain skips), writing minimal ones where Playwright wrote none.
 */
export function markReportsInterrupted(outDir: string, interruption: Interruption, reporters: string[]): void {
  const json = join(outDir, 'results.json');
  const report = existsSync(json) ? parseOrUndefined(readFileSync(json, 'utf8')) : undefined;
  writeAtomically(json, `${JSON.stringify({ ...(report ?? { suites: [], errors: [], stats: { expected: 0, unexpected: 0, skipped: 0, flaky: 0 } }), interrupted: interruption }, null, 2)}\n`);

  const junit = join(outDir, 'junit.xml');
  const property = `<properties>\n<property name="interrupted" value="${escapeXml(interruption.message)}">\n</property>\n</properties>\n`;
  if (!existsSync(junit) && !reporters.includes('junit')) return;
  const xml = existsSync(junit) ? readFileSync(junit, 'utf8') : '';
  // A file Playwright was killed while writing is replaced: half an XML document helps no one.
  const complete = /<testsuite[\s>]/.test(xml) && xml.trimEnd().endsWith('</testsuites>');
  const marked = complete
    ? xml.replace(/(<testsuite\b[^>]*[^/]>\n?)/g, `$1${property}`)
    : `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="0" failures="0" skipped="0" errors="0">\n<testsuite name="confcall" tests="0" failures="0" skipped="0" errors="0">\n${property}</testsuite>\n</testsuites>\n`;
  writeAtomically(junit, marked);
}

function parseOrUndefined(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined; // cut off mid-write: replaced by a minimal report that says so
  }
}

/** A reader never sees half a file, even if this process is stopped while writing. */
function writeAtomically(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The message a test fails with when the bot does not answer at all (harness/run/conformance.spec.ts). */
export const UNREACHABLE_MESSAGE = 'the bot could not be reached';

/**
 * Tests that failed only because the bot was gone after the signal did not finish: the bot stops
 * with the run (a terminal's Ctrl-C reaches it at once), and a test still talking to it then finds
 * it unreachable. Counted as failed, an interrupted run would blame the bot for the interruption.
 */
export function cutOffByInterruption(outcomes: TestOutcome[], interruption: Interruption | undefined): TestOutcome[] {
  if (!interruption) return outcomes;
  const signalledAt = Date.parse(interruption.at);
  return outcomes.map((o) => (o.status === 'failed' && o.message.includes(UNREACHABLE_MESSAGE) && o.endedAt !== undefined && o.endedAt >= signalledAt ? { ...o, status: 'unfinished' } : o));
}
