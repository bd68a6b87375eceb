/**
 * JSON as the documents print it: valid JSON except for trailing commas (`{"a": 1,}`), which are
 * removed and reported. Everything else must already be JSON; placeholders such as `"<message>"`
 * are ordinary strings and stay as they are.
 */

/** A place in the parsed text, 1-based, shifted by the line the text starts on in its file. */
export interface TextPoint {
  line: number;
  col: number;
}

/** One change made to turn the shown text into JSON. */
export interface JsonFix extends TextPoint {
  what: 'removed trailing comma';
}

/** Why the text is not JSON even after the fixes, and where. */
export interface JsonSyntaxError extends TextPoint {
  message: string;
}

export type TolerantParse =
  | { ok: true; value: unknown; fixes: JsonFix[] }
  | { ok: false; error: JsonSyntaxError; fixes: JsonFix[] };

/** Parses a document's JSON text; `firstLine` is the file line of the text's first line, for positions. */
export function parseTolerantJson(text: string, firstLine = 1): TolerantParse {
  const { cleaned, removed } = stripTrailingCommas(text);
  const fixes = removed.map((offset): JsonFix => ({ ...pointAt(text, offset, firstLine), what: 'removed trailing comma' }));
  try {
    return { ok: true, value: JSON.parse(cleaned), fixes };
  } catch (error) {
    const found = findSyntaxError(cleaned) ?? { offset: 0, message: (error as Error).message };
    const offset = originalOffset(found.offset, removed);
    return { ok: false, error: { ...pointAt(text, offset, firstLine), message: found.message }, fixes };
  }
}

/** Removes each comma, outside strings, whose next non-blank character closes an object or array. */
export function stripTrailingCommas(text: string): { cleaned: string; removed: number[] } {
  const removed: number[] = [];
  let cleaned = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') {
        cleaned += c + (text[i + 1] ?? '');
        i++;
        continue;
      }
      if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === ',' && /^\s*[}\]]/.test(text.slice(i + 1))) {
      removed.push(i);
      continue;
    }
    cleaned += c;
  }
  return { cleaned, removed };
}

/** 1-based line and column of a character offset. */
export function pointAt(text: string, offset: number, firstLine = 1): TextPoint {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  const line = firstLine + (before.match(/\n/g)?.length ?? 0);
  return { line, col: offset - lineStart + 1 };
}

/** Maps an offset in the cleaned text back to the shown text, given the removed offsets (ascending). */
function originalOffset(offset: number, removed: number[]): number {
  let result = offset;
  for (const r of removed) {
    if (r <= result) result++;
    else break;
  }
  return result;
}

/**
 * Finds the first syntax error and its offset. JSON.parse's messages carry no position on every
 * Node version ("Unexpected token '}', ... is not valid JSON"), so errors are located here.
 */
export function findSyntaxError(text: string): { offset: number; message: string } | undefined {
  let i = 0;
  const fail = (message: string): never => {
    throw { offset: i, message };
  };
  const skipBlanks = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const expect = (c: string): void => {
    if (text[i] !== c) fail(`expected '${c}', found ${describeAt(text, i)}`);
    i++;
  };
  const string = (): void => {
    expect('"');
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\n') fail('line break inside a string');
      i += text[i] === '\\' ? 2 : 1;
    }
    expect('"');
  };
  const value = (): void => {
    skipBlanks();
    const c = text[i];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    const literal = /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i));
    if (!literal) fail(`expected a value, found ${describeAt(text, i)}`);
    i += literal![0].length;
  };
  const object = (): void => {
    expect('{');
    skipBlanks();
    if (text[i] === '}') return void i++;
    for (;;) {
      skipBlanks();
      string();
      skipBlanks();
      expect(':');
      value();
      skipBlanks();
      if (text[i] === '}') return void i++;
      if (text[i] !== ',') fail(`expected ',' or '}' after a member, found ${describeAt(text, i)}`);
      i++;
    }
  };
  const array = (): void => {
    expect('[');
    skipBlanks();
    if (text[i] === ']') return void i++;
    for (;;) {
      value();
      skipBlanks();
      if (text[i] === ']') return void i++;
      if (text[i] !== ',') fail(`expected ',' or ']' after an element, found ${describeAt(text, i)}`);
      i++;
    }
  };
  try {
    value();
    skipBlanks();
    if (i < text.length) fail(`unexpected text after the JSON value: ${describeAt(text, i)}`);
    return undefined;
  } catch (error) {
    return error as { offset: number; message: string };
  }
}

function describeAt(text: string, i: number): string {
  return i >= text.length ? 'the end of the text' : JSON.stringify(text[i]);
}
