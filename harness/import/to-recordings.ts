/**
 * Raw examples of several documents → recordings. Occurrences with the same kind, the same HTTP
 * framing (method and URL, or status) and the same body, key order included, are one recording
 * that lists every occurrence as a source. Ids are made from the documents alone:
 * `<topic>/<kind>-<what>`, where topic comes from the page's request path.
 */
import type { LoadProblem } from '../load/problem.js';
import type { Recording, RecordingHttp, RecordingKind, RecordingSource } from '../model/recording.js';
import type { RawExample, ScannedDocument } from './scan-document.js';
import { parseTolerantJson, type JsonFix } from './tolerant-json.js';
import { exampleTitle, pickSectionTitle, slugify, translateHeading, type Title } from './titles.js';

/** Topic folder of each page, by the last segment of the page's request path. */
const PAGE_TOPICS: Record<string, string> = {
  calls: 'create-call',
  transfer: 'transfer',
  startHoldMusic: 'hold-music',
  stopHoldMusic: 'hold-music',
};

/** One place a payload is shown, with everything needed to name and describe it. */
interface Occurrence {
  raw: RawExample;
  topic: string;
  hasBody: boolean;
  body: unknown;
  fixes: JsonFix[];
  example: Title & { number: number };
  section: Title & { original: string };
  source: RecordingSource;
}

/** Turns scanned documents into deduplicated recordings with stable ids; unreadable examples become problems. */
export function toRecordings(documents: ScannedDocument[]): { recordings: Recording[]; problems: LoadProblem[] } {
  const problems: LoadProblem[] = documents.flatMap((d) => d.problems);
  const occurrences: Occurrence[] = [];
  for (const document of [...documents].sort((a, b) => a.file.localeCompare(b.file))) {
    const page = pageOf(document);
    if (!page) {
      // A document whose only request could not be read has said what is wrong already.
      if (document.problems.length) continue;
      problems.push({ file: document.file, line: 1, col: 1, path: '', message: 'no request to graph.microsoft.com in this document, so its topic is unknown' });
      continue;
    }
    for (const raw of document.examples) {
      const parsed = raw.json ? parseTolerantJson(raw.json.text, raw.json.line) : undefined;
      if (parsed && !parsed.ok) {
        problems.push({ file: raw.file, line: parsed.error.line, col: parsed.error.col, path: '', message: `the JSON of this example is not valid: ${parsed.error.message}` });
        continue;
      }
      occurrences.push(toOccurrence(raw, page, document.language, parsed?.value, parsed?.fixes ?? []));
    }
  }
  const groups = groupByContent(occurrences);
  const ids = assignIds(groups);
  return { recordings: groups.map((group, i) => toRecording(ids[i]!, group)), problems };
}

/** The last path segment of the document's first request, e.g. `transfer` or `calls`. */
export function pageOf(document: ScannedDocument): string | undefined {
  const request = document.examples.find((e) => e.kind === 'request' && e.url);
  return request ? lastSegment(request.url!) : undefined;
}

/** The key two occurrences share exactly when they are the same recording. */
export function contentKey(kind: RecordingKind, http: RecordingHttp, hasBody: boolean, body: unknown): string {
  const framing = kind === 'response' ? String(http.status) : `${http.method} ${http.url}`;
  return `${kind}\n${framing}\n${hasBody ? JSON.stringify(body) : '(no body)'}`;
}

function toOccurrence(raw: RawExample, page: string, language: string, body: unknown, fixes: JsonFix[]): Occurrence {
  const number = Number(/\d+/.exec(raw.example.heading?.text ?? '')?.[0] ?? raw.example.ordinal);
  const example = { ...exampleTitle(page, raw.example.ordinal, raw.example.heading?.text), number };
  const section = sectionOf(raw);
  const source: RecordingSource = {
    document: raw.file,
    line: raw.line,
    language,
    example: example.en,
    section: section.en,
    ...(section.original !== section.en ? { sectionOriginal: section.original } : {}),
  };
  return { raw, topic: PAGE_TOPICS[page] ?? (slugify(page) || 'misc'), hasBody: raw.json !== undefined, body, fixes, example, section, source };
}

/** The section title of an occurrence; an inline title (e.g. full or delta roster) refines the one above. */
function sectionOf(raw: RawExample): Title & { original: string } {
  const above = pickSectionTitle(raw.linesAbove);
  const outer = above ? { ...translateHeading(above.text), original: above.text } : fallbackSection(raw.kind);
  if (!raw.inlineTitle) return outer;
  const inner = translateHeading(raw.inlineTitle.text);
  return {
    en: `${outer.en}: ${inner.en}`,
    slug: inner.slug || outer.slug,
    original: `${outer.original}: ${raw.inlineTitle.text}`,
  };
}

function fallbackSection(kind: RecordingKind): Title & { original: string } {
  const en = kind[0]!.toUpperCase() + kind.slice(1);
  return { en, slug: kind, original: en };
}

function httpOf(raw: RawExample): RecordingHttp {
  const headers = Object.fromEntries(raw.headers);
  const framing: RecordingHttp = raw.kind === 'response' ? { status: raw.status, reason: raw.reason } : { method: raw.method, url: raw.url };
  return raw.headers.length ? { ...framing, headers } : framing;
}

function groupByContent(occurrences: Occurrence[]): Occurrence[][] {
  const groups = new Map<string, Occurrence[]>();
  for (const o of occurrences) {
    const key = contentKey(o.raw.kind, httpOf(o.raw), o.hasBody, o.body);
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  return [...groups.values()];
}

/**
 * Ids in document order: the first recording to want a name gets it; a later one with the same
 * name adds its first example's slug (e.g. `transfer/notification-transfer-failed-consultative`).
 */
function assignIds(groups: Occurrence[][]): string[] {
  const used = new Set<string>();
  return groups.map((group) => {
    const first = group[0]!;
    const base = `${first.topic}/${baseName(group)}`;
    const candidates = [base, `${base}-${first.example.slug}`];
    let id = candidates.find((c) => !used.has(c));
    for (let n = 2; !id; n++) if (!used.has(`${candidates[1]}-${n}`)) id = `${candidates[1]}-${n}`;
    used.add(id);
    return id;
  });
}

/** What a recording is called before collisions are resolved. */
function baseName(group: Occurrence[]): string {
  const first = group[0]!;
  const kind = first.raw.kind;
  if (kind === 'notification') return `notification-${first.section.slug.replace(/^notification-/, '') || first.example.slug}`;
  if (examplesOf(group).length === 1) return `${kind}-${first.example.slug}`;
  // The same request or response in several examples is named after what it is, not where.
  return kind === 'response' ? `response-${slugify(first.raw.reason ?? '') || first.raw.status}` : `request-${slugify(lastSegment(first.raw.url!))}`;
}

function examplesOf(group: Occurrence[]): Occurrence[] {
  const seen = new Set<string>();
  return group.filter((o) => {
    const key = `${o.raw.file}#${o.raw.example.ordinal}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function toRecording(id: string, group: Occurrence[]): Recording {
  const first = group[0]!;
  const recording: Recording = {
    id,
    kind: first.raw.kind,
    title: titleOf(group),
    http: httpOf(first.raw),
    ...(first.hasBody ? { body: first.body } : {}),
    sources: group.map((o) => o.source),
  };
  const notes = notesOf(group);
  return notes.length ? { ...recording, notes } : recording;
}

/** "<section> — <example>", or "— examples 1, 3, 5" for a payload several examples share. */
function titleOf(group: Occurrence[]): string {
  const first = group[0]!;
  const head = first.raw.kind === 'response' ? `${first.section.en} ${first.raw.status} ${first.raw.reason}` : first.section.en;
  const examples = examplesOf(group);
  if (examples.length === 1) return `${head} — ${first.example.en}`;
  const oneDocument = examples.every((o) => o.raw.file === first.raw.file);
  return oneDocument ? `${head} — examples ${examples.map((o) => o.example.number).join(', ')}` : `${head} — ${examples.length} examples`;
}

/** What a reader of the recording must know about how its text was shown and made valid. */
function notesOf(group: Occurrence[]): string[] {
  const first = group[0]!;
  const notes: string[] = [];
  const fixed = group.flatMap((o) => o.fixes.map((f) => `${o.raw.file}:${f.line}:${f.col}`));
  if (fixed.length) notes.push(`removed trailing commas to make the JSON valid, at ${fixed.join(', ')}`);
  const placeholders = [...new Set(placeholdersIn(first.body))];
  if (placeholders.length) notes.push(`placeholders kept verbatim: ${placeholders.map((p) => JSON.stringify(p)).join(', ')}`);
  const urlPlaceholders = first.raw.url?.match(/\{[^{}]+\}/g) ?? [];
  if (urlPlaceholders.length) notes.push(`the URL has the placeholder ${urlPlaceholders.join(', ')} where a real id goes; kept verbatim`);
  for (const o of group) {
    if (o.raw.framingFrom) {
      notes.push(`${o.raw.file}:${o.raw.line} shows this body without a start line of its own; method, URL and headers are those of the notification at line ${o.raw.framingFrom}`);
    } else if (o.raw.inlineTitle) {
      notes.push(`${o.raw.file}:${o.raw.inlineTitle.line} has the title line ${JSON.stringify(o.raw.inlineTitle.text)} between the headers and the JSON; it is the section title "${translateHeading(o.raw.inlineTitle.text).en}", not part of the payload`);
    }
  }
  const firstHeaders = JSON.stringify(first.raw.headers);
  const differing = group.filter((o) => JSON.stringify(o.raw.headers) !== firstHeaders);
  if (differing.length) {
    notes.push(`headers are those at ${first.raw.file}:${first.raw.line}; they differ at ${differing.map((o) => `${o.raw.file}:${o.raw.line}`).join(', ')}`);
  }
  return notes;
}

/** String values of the form `<...>`: the documents' placeholders for values to fill in. */
function placeholdersIn(value: unknown): string[] {
  if (typeof value === 'string') return /^<[^<>]+>$/.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(placeholdersIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(placeholdersIn);
  return [];
}

function lastSegment(url: string): string {
  const path = url.replace(/^https?:\/\/[^/]+/, '').replace(/[?#].*$/, '');
  return path.split('/').filter(Boolean).pop() ?? '';
}
