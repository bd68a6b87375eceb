import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { stringify } from 'yaml';
import { schemaDir } from '../load/package-root.js';
import type { Recording } from '../model/recording.js';
import type { CaptureSuite } from './capture-to-suite.js';

/** Where a capture is written: its recordings below a recordings folder, and its suite file. */
export interface CaptureFiles {
  recordingsDir: string;
  suiteFile: string;
}

/**
 * Writes the recordings (same format as `recordings/`, provenance in `captured`) and the suite
 * (with the schema comment editors use). `finish` gets each file's text last: a final redaction pass.
 */
export function writeCapture(files: CaptureFiles, capture: CaptureSuite, finish: (text: string) => string = (t) => t): string[] {
  const written: string[] = [];
  for (const recording of capture.recordings) {
    const file = join(files.recordingsDir, `${recording.id}.json`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, finish(serializeCapturedRecording(recording, relative(dirname(file), join(schemaDir(), 'recording.schema.json')))));
    written.push(file);
  }
  mkdirSync(dirname(files.suiteFile), { recursive: true });
  const schema = relative(dirname(files.suiteFile), join(schemaDir(), 'suite.schema.json'));
  writeFileSync(files.suiteFile, finish(`# yaml-language-server: $schema=${schema}\n${stringify(capture.suite, { lineWidth: 0 })}`));
  written.push(files.suiteFile);
  return written;
}

/** A captured recording's file text: keys in the order of the document recordings, `captured` for `sources`. */
export function serializeCapturedRecording(recording: Recording, schemaPath: string): string {
  const ordered = {
    $schema: schemaPath,
    id: recording.id,
    kind: recording.kind,
    title: recording.title,
    http: recording.http,
    ...(recording.body === undefined ? {} : { body: recording.body }),
    captured: recording.captured,
    ...(recording.notes?.length ? { notes: recording.notes } : {}),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
