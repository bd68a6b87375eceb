import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Document, type Node } from 'yaml';
import type { SourcePosition } from '../model/position.js';
import type { LoadProblem } from './problem.js';

/** A parsed YAML file that can say where any value in it came from. */
export interface YamlSource {
  file: string;
  document: Document.Parsed;
  lineCounter: LineCounter;
}

/** Parses YAML keeping node positions; syntax errors come back as problems with line and column. */
export function parseYamlSource(file: string, text: string): { source: YamlSource; problems: LoadProblem[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems: LoadProblem[] = [...document.errors, ...document.warnings].map((e) => {
    const at = lineCounter.linePos(e.pos[0]);
    return {
      file,
      line: at.line,
      col: at.col,
      path: '',
      message: `YAML ${e.name === 'YAMLWarning' ? 'warning' : 'syntax error'}: ${firstLine(e.message)}`,
      hint: syntaxHint(e.code),
    };
  });
  return { source: { file, document, lineCounter }, problems };
}

/** Position of the value at `path` (keys and indexes), or of the key itself when `atKey` is set. */
export function positionAt(source: YamlSource, path: Array<string | number>, atKey = false): SourcePosition {
  let node: unknown = source.document.contents;
  let offset = rangeStart(node) ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      const isLast = segment === path[path.length - 1];
      offset = rangeStart(atKey && isLast ? pair.key : pair.value ?? pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      node = node.items[segment];
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  const at = source.lineCounter.linePos(offset);
  return { file: source.file, line: at.line, col: at.col };
}

/** Renders a path like `scenarios[2].steps[0].notify`. */
export function formatPath(path: Array<string | number>): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | undefined)?.range?.[0];
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function syntaxHint(code: string): string | undefined {
  switch (code) {
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'check the indentation: nested keys need more spaces than their parent, and the same number as their siblings';
    case 'DUPLICATE_KEY':
      return 'each key may appear once in a mapping; remove or rename the second one';
    case 'TAB_AS_INDENT':
      return 'YAML indentation must use spaces, not tabs';
    default:
      return undefined;
  }
}
