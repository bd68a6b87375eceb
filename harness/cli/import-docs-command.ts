import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { collectRecordings, writeRecordings } from '../import/import-docs.js';
import { formatProblem } from '../load/problem.js';
import { UsageError } from './usage.js';

/** `confcall import-docs [--out DIR] FILE...`: documents → recordings, idempotent. */
export async function importDocsCommand(args: string[], cwd: string): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string' } } });
  if (!positionals.length) throw new UsageError('import-docs needs at least one document file');
  const files = positionals.map((file) => ({ name: basename(file), text: readFileSync(resolve(cwd, file), 'utf8') }));
  const { recordings, problems } = collectRecordings(files);
  if (problems.length) {
    for (const p of problems) console.error(formatProblem(p));
    return 2;
  }
  const outcomes = writeRecordings(resolve(cwd, values.out ?? 'recordings'), recordings);
  const changed = outcomes.filter((o) => o.status === 'written').length;
  console.log(`confcall: ${recordings.length} recording(s) from ${files.length} document(s); ${changed} file(s) written, ${outcomes.length - changed} unchanged in ${values.out ?? 'recordings'}/`);
  return 0;
}
