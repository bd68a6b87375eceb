/**
 * Finds the HTTP examples in a document page as the project received it (plain text, one
 * paragraph, table cell or code line per line). An example is an HTTP start line
 * (`POST https://...` or `HTTP/1.1 202 Accepted`), its header lines, and the JSON text that follows,
 * if any. The SDK code snippets between examples (C#, Go, Java, JS, PHP, PowerShell, Python, CLI)
 * have no start line, so they are never examples even where they hold JSON.
 */
import type { RecordingKind } from '../model/recording.js';
import type { LoadProblem } from '../load/problem.js';

/** A numbered line of a document. */
export interface DocLine {
  line: number;
  text: string;
}

/** The example an HTTP exchange belongs to. */
export interface ExampleContext {
  /** 1-based position of the example in the document; each example has one request. */
  ordinal: number;
  /** The heading line of the example, when the document shows one (e.g. `Пример 2. ...`). */
  heading?: DocLine;
}

/** One HTTP exchange half as the document shows it, before its JSON is parsed. */
export interface RawExample {
  file: string;
  kind: RecordingKind;
  /** 1-based line of the HTTP start line; for a body shown without one, the line of its `{`. */
  line: number;
  method?: string;
  url?: string;
  status?: number;
  reason?: string;
  /** Header lines in document order. */
  headers: Array<[name: string, value: string]>;
  /** The JSON text as shown (may hold trailing commas), absent when the example has no body. */
  json?: { text: string; line: number };
  /** The prose lines right above the start line (section titles, notes, lead-in sentences). */
  linesAbove: DocLine[];
  /** A title line standing between the headers (or the previous body) and the JSON. */
  inlineTitle?: DocLine;
  /** Set when this body is shown without a start line of its own and borrows the one at this line. */
  framingFrom?: number;
  example: ExampleContext;
}

/** The examples of one document, its language, and what could not be read. */
export interface ScannedDocument {
  file: string;
  language: 'ru' | 'zh' | 'en';
  examples: RawExample[];
  problems: LoadProblem[];
}

const REQUEST_LINE = /^(GET|POST|PUT|PATCH|DELETE) (https?:\/\/\S+)$/;
const GRAPH_URL = /^https?:\/\/graph\.microsoft\.com(\/|$)/;
const STATUS_LINE = /^HTTP\/1\.[01] (\d{3}) (.+)$/;
// Header names have a dash or are one of the few single-word ones, so a prose "Note: ..." is no header.
const HEADER_LINE = /^([A-Za-z][A-Za-z0-9]*-[A-Za-z0-9-]+|Location|Authorization|Accept|Prefer|Host|ETag|Date|Allow|Vary|Server): *(.*)$/i;
// Whole-line example headings: the "Examples" section title, or "Пример 2. ...", "示例 6:...", "Example 1: ...".
const EXAMPLE_HEADING = /^(Примеры?|Examples?|示例)(\s*\d+\s*[.:：].*)?$/u;
// Lines that end or start like code; prose in the documents ends in a word or a full stop.
const CODE_END = /[;{}()[\],\\'`]\s*$/;
const CODE_START = /^(\/\/|#|\$|<\?php|import |using |from |var |const |let |await |mgc)/;
const MAX_LINES_ABOVE = 5;

/** Document text → its HTTP examples, in document order. */
export function scanDocument(file: string, text: string): ScannedDocument {
  const lines = text.split(/\r?\n/);
  const examples: RawExample[] = [];
  const problems: LoadProblem[] = [];
  let example: ExampleContext = { ordinal: 0 };
  let exampleHasRequest = false;
  let lastConsumed = -1; // 0-based index of the last line that belonged to an example

  for (let i = 0; i < lines.length; i++) {
    const lineText = lines[i]!.trim();
    if (EXAMPLE_HEADING.test(lineText)) {
      const heading = { line: i + 1, text: lineText };
      // A heading that follows another with no request between them refines it ("Примеры" → "Пример 1. ...").
      example = exampleHasRequest || example.ordinal === 0 ? { ordinal: example.ordinal + 1, heading } : { ...example, heading };
      exampleHasRequest = false;
      continue;
    }
    const start = parseStartLine(lineText);
    if (!start) continue;
    if (start.kind === 'request' && exampleHasRequest) example = { ordinal: example.ordinal + 1 };
    if (example.ordinal === 0) example = { ordinal: 1 };
    if (start.kind === 'request') exampleHasRequest = true;

    const linesAbove = proseAbove(lines, i, lastConsumed);
    const read = readHeadersAndBody(file, lines, i + 1);
    lastConsumed = read.end;
    if (read.problems.length) {
      problems.push(...read.problems);
      i = lastConsumed;
      continue;
    }
    examples.push({ file, ...start, line: i + 1, headers: read.headers, json: read.json, linesAbove, inlineTitle: read.inlineTitle, example });

    if (start.kind === 'notification' && read.json) {
      // The documents show variants of one notification (e.g. full and delta roster) as further
      // bodies under their own title, sharing the start line and headers above.
      for (let more = continuationAt(lines, lastConsumed + 1); more; more = continuationAt(lines, lastConsumed + 1)) {
        const body = readJson(file, lines, more.jsonIndex);
        if ('problem' in body) {
          problems.push(body.problem);
          break;
        }
        examples.push({
          file, ...start, line: more.jsonIndex + 1, headers: read.headers, json: body.json, linesAbove,
          inlineTitle: more.title, framingFrom: i + 1, example,
        });
        lastConsumed = body.end;
      }
    }
    i = lastConsumed;
  }
  return { file, language: documentLanguage(text), examples, problems };
}

/** Classifies an HTTP start line; requests go to Graph, notifications go to the bot. */
export function parseStartLine(text: string):
  | { kind: 'request' | 'notification'; method: string; url: string }
  | { kind: 'response'; status: number; reason: string }
  | undefined {
  const request = REQUEST_LINE.exec(text);
  if (request) {
    const url = request[2]!;
    const kind = GRAPH_URL.test(url) ? 'request' : 'notification';
    return { kind, method: request[1]!, url };
  }
  const status = STATUS_LINE.exec(text);
  if (status) return { kind: 'response', status: Number(status[1]), reason: status[2]!.trim() };
  return undefined;
}

/** The language most of the document's letters are written in. */
export function documentLanguage(text: string): 'ru' | 'zh' | 'en' {
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const cyrillic = text.match(/\p{Script=Cyrillic}/gu)?.length ?? 0;
  if (han >= 20 && han >= cyrillic) return 'zh';
  if (cyrillic >= 20) return 'ru';
  return 'en';
}

/** Whether a line reads like code rather than prose. */
export function looksLikeCode(text: string): boolean {
  return CODE_END.test(text) || CODE_START.test(text) || text.startsWith('{') || text.startsWith('"');
}

/** The prose lines directly above line `index`, stopping at code, at the previous example, or after a few lines. */
function proseAbove(lines: string[], index: number, lastConsumed: number): DocLine[] {
  const above: DocLine[] = [];
  for (let j = index - 1; j > lastConsumed && above.length < MAX_LINES_ABOVE; j--) {
    const text = lines[j]!.trim();
    if (text === '') continue;
    if (looksLikeCode(text) || EXAMPLE_HEADING.test(text) || parseStartLine(text)) break;
    above.unshift({ line: j + 1, text });
  }
  return above;
}

interface HeadersAndBody {
  headers: Array<[string, string]>;
  json?: { text: string; line: number };
  inlineTitle?: DocLine;
  /** 0-based index of the last line read. */
  end: number;
  problems: LoadProblem[];
}

/** Reads header lines from `index`, then an optional title line, then the JSON body if one follows. */
function readHeadersAndBody(file: string, lines: string[], index: number): HeadersAndBody {
  const headers: Array<[string, string]> = [];
  let i = index;
  for (; i < lines.length; i++) {
    const header = HEADER_LINE.exec(lines[i]!.trim());
    if (!header) break;
    headers.push([header[1]!, header[2]!.trim()]);
  }
  const here = lines[i]?.trim() ?? '';
  let inlineTitle: DocLine | undefined;
  if (!opensJson(here)) {
    // One stray title line may stand between the headers and the JSON (a badly rendered section title).
    const next = lines[i + 1]?.trim() ?? '';
    if (here === '' || !opensJson(next) || parseStartLine(here)) return { headers, end: i - 1, problems: [] };
    inlineTitle = { line: i + 1, text: here };
    i++;
  }
  const body = readJson(file, lines, i);
  if ('problem' in body) return { headers, inlineTitle, end: i, problems: [body.problem] };
  return { headers, json: body.json, inlineTitle, end: body.end, problems: [] };
}

/** A further body of the same notification: one title line, then a line that opens JSON. */
function continuationAt(lines: string[], index: number): { title: DocLine; jsonIndex: number } | undefined {
  const title = lines[index]?.trim() ?? '';
  const next = lines[index + 1]?.trim() ?? '';
  if (title === '' || !opensJson(next) || looksLikeCode(title) || parseStartLine(title) || EXAMPLE_HEADING.test(title)) return undefined;
  return { title: { line: index + 1, text: title }, jsonIndex: index + 1 };
}

function opensJson(text: string): boolean {
  return text.startsWith('{') || text.startsWith('[');
}

/** Reads the JSON value that starts on line `index`: up to the bracket that closes the first one. */
function readJson(file: string, lines: string[], index: number): { json: { text: string; line: number }; end: number } | { problem: LoadProblem } {
  let depth = 0;
  let inString = false;
  for (let i = index; i < lines.length; i++) {
    const line = lines[i]!;
    for (let c = 0; c < line.length; c++) {
      const ch = line[c]!;
      if (inString) {
        if (ch === '\\') c++;
        else if (ch === '"') inString = false;
      } else if (ch === '"') inString = true;
      else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) {
          const text = [...lines.slice(index, i), line.slice(0, c + 1)].join('\n');
          return { json: { text, line: index + 1 }, end: i };
        }
      }
    }
    // A string never spans lines in the documents; an open one means a broken quote, so stop here.
    if (inString) return { problem: { file, line: i + 1, col: line.length + 1, path: '', message: 'unterminated string in the JSON of an example' } };
  }
  return { problem: { file, line: index + 1, col: 1, path: '', message: 'the JSON of this example is never closed' } };
}
