/**
 * Documents → recording files: `recordings/<id>.json`, one per recording, pretty-printed with a
 * fixed key order so that re-importing the same documents changes nothing.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { formatProblem, sortProblems, type LoadProblem } from '../load/problem.js';
import type { Recording, RecordingHttp, RecordingSource } from '../model/recording.js';
import { scanDocument } from './scan-document.js';
import { toRecordings } from './to-recordings.js';

/** A document to import: its file name (as cited in sources) and its text. */
export interface DocumentFile {
  name: string;
  text: string;
}

/** What writing one recording file did. */
export interface WriteOutcome {
  id: string;
  path: string;
  status: 'written' | 'unchanged';
}

/** Path of the recording schema from the repository root; `$schema` points here relative to each file. */
export const RECORDING_SCHEMA_PATH = 'harness/schema/recording.schema.json';

/** Documents → recordings, with the problems that kept examples out (unreadable JSON, unknown topic). */
export function collectRecordings(files: DocumentFile[]): { recordings: Recording[]; problems: LoadProblem[] } {
  const { recordings, problems } = toRecordings(files.map((f) => scanDocument(f.name, f.text)));
  return { recordings, problems: sortProblems(problems) };
}

/** Documents → recordings; throws, listing every problem as `file:line:col`, if any example could not be read. */
export function importDocuments(files: DocumentFile[]): Recording[] {
  const { recordings, problems } = collectRecordings(files);
  if (problems.length) {
    throw Object.assign(new Error(`cannot import the documents:\n${problems.map(formatProblem).join('\n')}`), { problems });
  }
  return recordings;
}

/** Writes each recording to `<dir>/<id>.json`, leaving files whose content is already the same untouched. */
export function writeRecordings(dir: string, recordings: Recording[]): WriteOutcome[] {
  return recordings.map((recording) => {
    const path = join(dir, `${recording.id}.json`);
    const text = serializeRecording(recording);
    if (readOrUndefined(path) === text) return { id: recording.id, path, status: 'unchanged' };
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return { id: recording.id, path, status: 'written' };
  });
}

/** The file text of a recording: keys in the order $schema, id, kind, title, http, body, sources, notes. */
export function serializeRecording(recording: Recording): string {
  const depth = recording.id.split('/').length;
  const ordered = {
    $schema: `${'../'.repeat(depth)}${RECORDING_SCHEMA_PATH}`,
    id: recording.id,
    kind: recording.kind,
    title: recording.title,
    http: orderHttp(recording.http),
    ...('body' in recording ? { body: recording.body } : {}),
    sources: recording.sources.map(orderSource),
    ...(recording.notes?.length ? { notes: recording.notes } : {}),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

function orderHttp(http: RecordingHttp): RecordingHttp {
  return dropUndefined({ method: http.method, url: http.url, status: http.status, reason: http.reason, headers: http.headers });
}

function orderSource(s: RecordingSource): RecordingSource {
  return dropUndefined({
    document: s.document, line: s.line, language: s.language, example: s.example,
    section: s.section, sectionOriginal: s.sectionOriginal, upstream: s.upstream,
  });
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
