/**
 * Imports the documented HTTP examples of document pages into recording files.
 *
 *   npm run build && node dist/scripts/import-docs.js [--out recordings] FILE...
 *
 * Sources cite each document by its file name. Exit codes: 0 done, 2 bad usage or a document that
 * could not be read (nothing is written then).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { collectRecordings, writeRecordings, type DocumentFile } from '../harness/import/import-docs.js';
import { formatProblem } from '../harness/load/problem.js';

/** Command-line words → output folder and document paths, or a usage error. */
export function parseArgs(argv: string[]): { out: string; files: string[] } | { error: string } {
  let out = 'recordings';
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--out') {
      const value = argv[++i];
      if (!value) return { error: '--out needs a folder' };
      out = value;
    } else if (arg.startsWith('--out=')) out = arg.slice('--out='.length);
    else if (arg.startsWith('-')) return { error: `unknown option ${arg}` };
    else files.push(arg);
  }
  return files.length ? { out, files } : { error: 'no document given' };
}

/** Runs the import; returns the exit code. */
export function main(argv: string[]): number {
  const args = parseArgs(argv);
  if ('error' in args) {
    console.error(`import-docs: ${args.error}\nusage: import-docs [--out recordings] FILE...`);
    return 2;
  }
  let documents: DocumentFile[];
  try {
    documents = args.files.map((path) => ({ name: basename(path), text: readFileSync(path, 'utf8') }));
  } catch (error) {
    console.error(`import-docs: ${(error as Error).message}`);
    return 2;
  }
  const { recordings, problems } = collectRecordings(documents);
  if (problems.length) {
    for (const p of problems) console.error(formatProblem(p));
    return 2;
  }
  const outcomes = writeRecordings(args.out, recordings);
  for (const o of outcomes) if (o.status === 'written') console.log(`wrote ${o.path}`);
  const count = (kind: string) => recordings.filter((r) => r.kind === kind).length;
  const unchanged = outcomes.filter((o) => o.status === 'unchanged').length;
  console.log(
    `${recordings.length} recordings (${count('request')} requests, ${count('response')} responses, ${count('notification')} notifications); ` +
      `${outcomes.length - unchanged} written, ${unchanged} unchanged`,
  );
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv.slice(2));
