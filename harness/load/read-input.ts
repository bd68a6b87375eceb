/**
 * Reading an input file (suite, recording, target profile, requirement catalogue, redaction rules)
 * as text: within a size confcall can parse without hanging, and as UTF-8 or not at all. Node's
 * `readFileSync(f, 'utf8')` turns bytes that are not UTF-8 into U+FFFD silently, so a Latin-1
 * `café` would reach a bot as `caf�`; WHATWG's fatal decoder refuses them instead.
 */
import { readFileSync, statSync } from 'node:fs';
import type { LoadProblem } from './problem.js';

/**
 * The largest input file confcall reads: twice the largest body `confcall record` captures (4 MiB),
 * so every recording it writes loads. Parsing keeps positions and is slow (about 2 s per MiB), and a
 * file of hundreds of MiB would not fit in one string at all.
 */
export const MAX_INPUT_BYTES = 8 * 1024 * 1024;

/** The text of an input file, or the problem that kept it out (unreadable, too big, not UTF-8). */
export function readInputFile(path: string, display: string, unreadable: { what: string; hint?: string } = { what: 'file' }): { text?: string; problems: LoadProblem[] } {
  const at = { file: display, line: 1, col: 1, path: '' };
  let bytes: Buffer;
  try {
    const size = statSync(path).size;
    if (size > MAX_INPUT_BYTES) {
      return { problems: [{ ...at, message: `the file is ${mebibytes(size)}; confcall reads input files up to ${mebibytes(MAX_INPUT_BYTES)}`, hint: 'split it (a suite per feature, a recording per message), or check that this is the file you meant' }] };
    }
    bytes = readFileSync(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { problems: [{ ...at, message: `cannot read ${unreadable.what}: ${reason}`, ...(unreadable.hint && { hint: unreadable.hint }) }] };
  }
  return decodeUtf8(display, bytes);
}

/** Reads several input files: the texts of those that could be read, and the problems of the others. */
export function readInputFiles(paths: string[], display: (path: string) => string): { files: Array<{ file: string; text: string }>; problems: LoadProblem[] } {
  const files: Array<{ file: string; text: string }> = [];
  const problems: LoadProblem[] = [];
  for (const path of paths) {
    const read = readInputFile(path, display(path));
    if (read.text === undefined) problems.push(...read.problems);
    else files.push({ file: display(path), text: read.text });
  }
  return { files, problems };
}

/** Decodes UTF-8 strictly; the first byte that is not UTF-8 is a problem at its line and column. */
export function decodeUtf8(file: string, bytes: Uint8Array): { text?: string; problems: LoadProblem[] } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), problems: [] };
  } catch {
    const offset = firstInvalidByte(bytes);
    const lineStart = offset === 0 ? 0 : bytes.lastIndexOf(0x0a, offset - 1) + 1;
    const line = countNewlines(bytes, lineStart) + 1;
    const col = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset)).length + 1;
    const byte = bytes[offset] === undefined ? 'the file ends inside a character' : `byte 0x${bytes[offset]!.toString(16).toUpperCase().padStart(2, '0')} (offset ${offset})`;
    return {
      problems: [{ file, line, col, path: '', message: `not UTF-8: ${byte} is not part of a UTF-8 character`, hint: 'save the file as UTF-8 (a Latin-1 or UTF-16 file must be converted, e.g. iconv -f latin1 -t utf-8)' }],
    };
  }
}

/**
 * The offset where the first character that is not UTF-8 starts. A prefix that decodes in
 * streaming mode (an unfinished character at its end is no error yet) stays decodable when cut
 * shorter, so the first failing prefix length is found by bisection; the bad character starts at
 * the last character boundary before it (at most 3 bytes back), with the decoder's own notion of UTF-8.
 */
function firstInvalidByte(bytes: Uint8Array): number {
  const decodes = (length: number, stream: boolean): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, length), { stream });
      return true;
    } catch {
      return false;
    }
  };
  if (decodes(bytes.length, true)) return bytes.length; // only the end is unfinished
  let good = 0;
  let bad = bytes.length;
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    if (decodes(middle, true)) good = middle;
    else bad = middle;
  }
  for (let start = bad - 1; start > Math.max(0, bad - 4); start--) if (decodes(start, false)) return start;
  return Math.max(0, bad - 4);
}

function countNewlines(bytes: Uint8Array, end: number): number {
  let count = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) count++;
  return count;
}

function mebibytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
}
