import { LineCounter, parseDocument, isCollection, isMap, isPair, isSeq, isScalar, visit, type Alias, type Document, type Node } from 'yaml';
import type { SourcePosition } from '../model/position.js';
import type { LoadProblem } from './problem.js';

/** A parsed YAML file that can say where any value in it came from. */
export interface YamlSource {
  file: string;
  document: Document.Parsed;
  lineCounter: LineCounter;
}

/**
 * How deep collections may nest. Graph payloads nest about 10 deep; the YAML parser itself runs out
 * of stack near 1000, and confcall's own walks over bodies (schema checks, id mapping, matching)
 * recurse too, so the bound sits well below the parser's.
 */
export const MAX_NESTING = 64;
/** Alias expansions allowed per document (the `yaml` library's `maxAliasCount`, its default). */
export const MAX_ALIAS_COUNT = 100;

/** Parses YAML keeping node positions; syntax errors come back as problems with line and column. */
export function parseYamlSource(file: string, text: string): { source: YamlSource; problems: LoadProblem[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems: LoadProblem[] = [...document.errors, ...document.warnings].map((e) => {
    const at = lineCounter.linePos(e.pos[0]);
    if (/call stack/i.test(e.message)) return { file, line: at.line, col: at.col, path: '', ...tooDeep() };
    return {
      file,
      line: at.line,
      col: at.col,
      path: '',
      message: `YAML ${e.name === 'YAMLWarning' ? 'warning' : 'syntax error'}: ${firstLine(e.message)}`,
      hint: syntaxHint(e.code),
    };
  });
  const source = { file, document, lineCounter };
  if (!problems.length) problems.push(...nestingProblems(source));
  return { source, problems };
}

/**
 * The document's value, with aliases expanded up to {@link MAX_ALIAS_COUNT}: aliases of aliases grow
 * exponentially ("billion laughs"), and the library refuses them without saying where.
 */
export function yamlValue(source: YamlSource): { value?: unknown; problems: LoadProblem[] } {
  try {
    return { value: source.document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), problems: [] };
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    const alias = aliasAtFault(source.document);
    const at = source.lineCounter.linePos(alias?.range?.[0] ?? 0);
    const name = alias ? `*${alias.source}` : 'an alias';
    const excessive = /excessive alias count/i.test(error.message);
    return {
      problems: [
        {
          file: source.file,
          line: at.line,
          col: at.col,
          path: '',
          message: excessive ? `${name} expands to too many values: aliases of aliases grow exponentially, and confcall expands at most ${MAX_ALIAS_COUNT}` : `YAML alias ${name}: ${firstLine(error.message)}`,
          hint: excessive ? 'write the values out, or refer to an anchor that holds no aliases itself' : 'define the anchor (&name) before its alias (*name)',
        },
      ],
    };
  }
}

/** The first alias that alone expands past the bound (else the first alias): where a person should look. */
function aliasAtFault(document: Document.Parsed): Alias | undefined {
  let first: Alias | undefined;
  let faulty: Alias | undefined;
  visit(document, {
    Alias(_key, node) {
      first ??= node;
      try {
        node.toJS(document, { maxAliasCount: MAX_ALIAS_COUNT });
      } catch {
        faulty = node;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return faulty ?? first;
}

/** A problem at the first collection nested deeper than {@link MAX_NESTING}. */
function nestingProblems(source: YamlSource): LoadProblem[] {
  const tooDeepAt = (node: unknown, depth: number): Node | undefined => {
    if (isPair(node)) return tooDeepAt(node.value, depth);
    if (!isCollection(node)) return undefined;
    if (depth > MAX_NESTING) return node;
    for (const item of node.items) {
      const found = tooDeepAt(item, depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  const node = tooDeepAt(source.document.contents, 1);
  if (!node) return [];
  const at = source.lineCounter.linePos(rangeStart(node) ?? 0);
  return [{ file: source.file, line: at.line, col: at.col, path: '', ...tooDeep() }];
}

function tooDeep(): { message: string; hint: string } {
  return { message: `nested more than ${MAX_NESTING} levels deep`, hint: `confcall reads mappings and lists nested up to ${MAX_NESTING} levels (Graph payloads nest about 10); flatten the value` };
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
