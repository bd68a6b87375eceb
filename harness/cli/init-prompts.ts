import { createInterface } from 'node:readline/promises';

/** A value init may ask for on a terminal: its flag, the question, and the default shown. */
export interface Question {
  flag: string;
  question: string;
  fallback: string;
}

/**
 * On a terminal, asks each question whose flag was not given; an empty answer keeps the default.
 * Returns the flags' values with the answers added (defaults stay unset, for the caller's defaults).
 */
export async function askMissing(values: Record<string, unknown>, questions: Question[]): Promise<Record<string, unknown>> {
  const open = questions.filter((q) => values[q.flag] === undefined);
  if (!open.length) return values;
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  // Read through the iterator: it keeps lines typed (or pasted) ahead of their question.
  const lines = terminal[Symbol.asyncIterator]();
  const answers: Record<string, string> = {};
  try {
    for (const q of open) {
      process.stdout.write(`${q.question} (${q.fallback}): `);
      const next = await lines.next();
      if (next.done) break; // Ctrl+D: the defaults for the rest
      if (next.value.trim()) answers[q.flag] = next.value.trim();
    }
  } finally {
    terminal.close();
  }
  return { ...values, ...answers };
}
