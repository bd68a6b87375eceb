import { join } from 'node:path';
import { listFiles } from './list-files.js';
import type { Recording } from '../model/recording.js';
import type { LoadProblem } from './problem.js';
import { readInputFile } from './read-input.js';
import { readsCleanAsYaml } from './clean-json.js';
import { checkAgainstSchema, validatorFor } from './schema-check.js';
import { parseYamlSource, positionAt } from './yaml-source.js';

// Re-exported for its earlier importers; it lives in list-files.ts, which loads no parser.
export { listFiles };

/** Loads and checks every recording below `dir`; the id of each must equal its path. */
export function loadRecordings(dir: string, displayDir = dir): { recordings: Map<string, Recording>; problems: LoadProblem[] } {
  const recordings = new Map<string, Recording>();
  const problems: LoadProblem[] = [];
  for (const rel of listFiles(dir, '.json')) {
    const file = `${displayDir}/${rel}`;
    const read = readInputFile(join(dir, rel), file, { what: 'recording' });
    if (read.text === undefined) {
      problems.push(...read.problems);
      continue;
    }
    const result = loadRecordingFile(file, read.text, rel.replace(/\.json$/, ''));
    problems.push(...result.problems);
    if (result.value) recordings.set(result.value.id, result.value);
  }
  return { recordings, problems };
}

/** Parses one recording file (JSON) and checks it against `recording.schema.json`. */
export function loadRecordingFile(file: string, text: string, expectedId: string): { value?: Recording; problems: LoadProblem[] } {
  const clean = cleanRecording(text, expectedId);
  if (clean) return { value: withoutSchemaKey(clean), problems: [] };
  // The YAML parser reads JSON too and keeps positions for messages; JSON.parse gives the exact values.
  const { source, problems } = parseYamlSource(file, text);
  if (problems.length) return { problems: problems.map((p) => ({ ...p, message: p.message.replace('YAML', 'JSON') })) };
  let value: Recording & { $schema?: string };
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problems: [{ file, line: 1, col: 1, path: '', message: `not valid JSON: ${(error as Error).message}` }] };
  }
  const schemaProblems = checkAgainstSchema('recording', value, source);
  if (schemaProblems.length) return { problems: schemaProblems };
  if (value.id !== expectedId) {
    return {
      problems: [{ ...positionAt(source, ['id']), path: 'id', message: `id "${value.id}" does not match the file's path`, hint: `set it to "${expectedId}" or move the file` }],
    };
  }
  return { value: withoutSchemaKey(value), problems: [] };
}

/**
 * The recording when nothing is wrong with it: its JSON reads clean (clean-json.ts), it matches the
 * schema and its id is its path. Then no YAML parse is needed (it only places problems); else undefined.
 */
function cleanRecording(text: string, expectedId: string): (Recording & { $schema?: string }) | undefined {
  let value: Recording & { $schema?: string };
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!readsCleanAsYaml(text, value) || !validatorFor('recording')(value)) return undefined;
  return value.id === expectedId ? value : undefined;
}

/** A checked recording as the model holds it: no `$schema`, and `sources` always a list. */
function withoutSchemaKey(value: Recording & { $schema?: string }): Recording {
  const { $schema: _schema, ...recording } = value;
  // A captured recording has its provenance in `captured` and no document sources.
  return { ...recording, sources: recording.sources ?? [] };
}

/** Adds a further folder's recordings to `into`; an id both have is a problem (which would a suite mean?). */
export function addRecordings(into: Map<string, Recording>, loaded: { recordings: Map<string, Recording>; problems: LoadProblem[] }, displayDir: string): LoadProblem[] {
  const problems = [...loaded.problems];
  for (const [id, recording] of loaded.recordings) {
    if (into.has(id)) problems.push({ file: `${displayDir}/${id}.json`, line: 1, col: 1, path: 'id', message: `recording "${id}" is also in another recordings folder`, hint: 'record under another --name, or remove one of them' });
    else into.set(id, recording);
  }
  return problems;
}
