import { randomUUID } from 'node:crypto';
import { pairMemo } from '../model/pair-memo.js';

/**
 * Recorded ids → the run's fresh ids. Every call id a scenario's recordings use for "the call"
 * becomes the run's one call id (the documents' examples disagree on call ids: a document
 * artefact, one call); every other participant, operation or call id gets a fresh id of its own.
 * Identity ids (users, applications) are people and apps, not per-run resources: they stay.
 */
export interface RunIds {
  callId: string;
  /** recorded id → fresh id */
  map: Map<string, string>;
  /** The recorded ids the map was made from: the same for every run of a scenario, so it keys compiled templates. */
  recorded: RecordedIds;
}

const CALL_IN_PATH = /calls\/([0-9A-Za-z-]{8,})/g;
const RESOURCE_IN_PATH = /(?:participants|operations)\/([0-9A-Za-z-]{8,})/g;
/** Keys whose values are per-run resource ids (not identities). */
const OTHER_ID_KEYS = new Set(['myParticipantId', 'replacesCallId', 'sourceParticipantId', 'observedParticipantId', 'participantId']);
/** `@odata.type`s whose `id` is a per-run resource id. */
const RESOURCE_TYPES = /#microsoft\.graph\.(participant|[a-zA-Z]*Operation)$/;

/** The recorded ids in a scenario's payloads and paths: those that stand for its call, and the others. */
export interface RecordedIds {
  callIds: Set<string>;
  otherIds: Set<string>;
}

/** Collects the recorded ids in a scenario's payloads and paths, and maps them to fresh ones. */
export function createRunIds(payloads: unknown[], fresh: () => string = randomUUID): RunIds {
  return freshRunIds(recordedIdsOf(payloads), fresh);
}

/** Collects the recorded ids in payloads and paths (the same for every run of a scenario: worth keeping). */
export function recordedIdsOf(payloads: unknown[]): RecordedIds {
  const callIds = new Set<string>();
  const otherIds = new Set<string>();
  const visit = (value: unknown, parent?: Record<string, unknown>, key?: string): void => {
    if (typeof value === 'string') {
      for (const m of value.matchAll(CALL_IN_PATH)) callIds.add(m[1]!);
      for (const m of value.matchAll(RESOURCE_IN_PATH)) otherIds.add(m[1]!);
      if (key && OTHER_ID_KEYS.has(key)) otherIds.add(value);
      if (key === 'id' && parent) {
        const type = String(parent['@odata.type'] ?? '');
        if (type === '#microsoft.graph.call') callIds.add(value);
        else if (RESOURCE_TYPES.test(type)) otherIds.add(value);
      }
      return;
    }
    if (Array.isArray(value)) return value.forEach((v) => visit(v));
    if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, value as Record<string, unknown>, k);
    }
  };
  payloads.forEach((p) => visit(p));
  return { callIds, otherIds };
}

/**
 * Maps recorded ids to a run's fresh ones: every call id to the run's one call id, each other id to
 * its own. Spellings of one GUID (the playPrompt response's `0fe0623f-d628-…` and its notification's
 * `0FE0623FD628…`, call-playprompt.md) share one fresh id, each in its recorded spelling, so the run
 * keeps the documents' relation between the two forms.
 */
export function freshRunIds(recorded: RecordedIds, fresh: () => string = randomUUID): RunIds {
  const callId = fresh();
  const map = new Map<string, string>();
  const plan = freshIdPlan(recorded);
  for (const id of plan.callIds) map.set(id, callId);
  // Fresh ids are drawn in the plan's order (the recorded ids' order), so a seeded run draws the same ones.
  const drawn: string[] = [];
  for (const { id, group, spell } of plan.others) {
    if (group === undefined) map.set(id, fresh());
    else map.set(id, spell(drawn[group] ?? (drawn[group] = fresh())));
  }
  return { callId, map, recorded };
}

/**
 * How a scenario's recorded ids get fresh ones, worked out once per scenario: the call ids, then
 * each other id with the GUID group it shares a fresh id with (undefined: an id of its own) and how
 * that id is spelled. Only the drawing of fresh ids is left for each run.
 */
interface FreshIdPlan {
  callIds: string[];
  others: Array<{ id: string; group?: number; spell: (fresh: string) => string }>;
}

const plans = new WeakMap<RecordedIds, FreshIdPlan>();

function freshIdPlan(recorded: RecordedIds): FreshIdPlan {
  let plan = plans.get(recorded);
  if (plan) return plan;
  plan = { callIds: [...recorded.callIds], others: [] };
  const groups = new Map<string, number>();
  for (const id of recorded.otherIds) {
    if (recorded.callIds.has(id)) continue;
    const guid = guidOf(id);
    if (guid === undefined) {
      plan.others.push({ id, spell: (fresh) => fresh });
      continue;
    }
    let group = groups.get(guid);
    if (group === undefined) groups.set(guid, (group = groups.size));
    plan.others.push({ id, group, spell: (fresh) => spelledLike(fresh, id) });
  }
  plans.set(recorded, plan);
  return plan;
}

/**
 * The ids for one reply taken from a recording the scenario may never have named (a default
 * reply): its call ids become `callId` (the call the request was about), its other ids (operations,
 * participants) keep the run's mapping where the scenario has one, else get fresh ones, so a
 * Location or an operation id never leaks the document's example ids.
 */
export function idsForReply(ids: RunIds, reply: RecordedIds, callId: string, fresh: () => string = randomUUID): RunIds {
  const map = new Map(ids.map);
  for (const id of reply.callIds) map.set(id, callId);
  for (const id of reply.otherIds) if (!map.has(id)) map.set(id, fresh());
  return { callId, map, recorded: reply };
}

/** The 32 hex digits of a GUID in any spelling (dashed or not, any case); undefined for other ids. */
export function guidOf(id: string): string | undefined {
  const digits = id.replace(/-/g, '').toLowerCase();
  return /^[0-9a-f]{32}$/.test(digits) && /^[0-9a-fA-F]{8}(-?[0-9a-fA-F]{4}){3}-?[0-9a-fA-F]{12}$/.test(id) ? digits : undefined;
}

/** A fresh id written the way a recorded one is: without dashes if it has none, upper-case if it is. */
function spelledLike(freshId: string, recordedId: string): string {
  const undashed = recordedId.includes('-') ? freshId : freshId.replace(/-/g, '');
  return recordedId === recordedId.toUpperCase() && recordedId !== recordedId.toLowerCase() ? undashed.toUpperCase() : undashed;
}

/** Replaces recorded ids (whole strings, or inside paths and URLs) and `{call.id}` templates. */
export function substituteIds<T>(value: T, ids: RunIds): T {
  if (typeof value === 'string') return substituteString(value, ids) as T;
  if (value !== null && typeof value === 'object') return build(templateOf(value, ids.recorded), ids) as T;
  return value;
}

/**
 * A payload compiled for one scenario's recorded ids: the parts that hold an id are rebuilt per
 * run, the rest is shared by every run (frozen, so a consumer that would change it fails loudly).
 * Substituting whole bodies per notification was most of the harness's own cost per delivery.
 */
type Template = { shared: unknown; rebuild?: undefined } | { shared?: undefined; rebuild: (ids: RunIds) => unknown };

const templateOf = pairMemo((value: object, recorded: RecordedIds): Template => compile(value, recorded));

function build(template: Template, ids: RunIds): unknown {
  return template.rebuild === undefined ? template.shared : template.rebuild(ids);
}

/** Whether a compiled part is the same in every run. */
function isShared(template: Template): boolean {
  return template.rebuild === undefined;
}

function compile(value: unknown, recorded: RecordedIds): Template {
  if (typeof value === 'string') return compileString(value, recorded);
  if (Array.isArray(value)) {
    const items = value.map((v) => compile(v, recorded));
    if (items.every(isShared)) return { shared: Object.freeze(value) };
    return { rebuild: (ids) => items.map((t) => build(t, ids)) };
  }
  if (value !== null && typeof value === 'object') {
    const members = Object.keys(value).map((key) => [key, compile((value as Record<string, unknown>)[key], recorded)] as const);
    if (members.every(([, t]) => isShared(t))) return { shared: Object.freeze(value) };
    return {
      rebuild: (ids) => {
        const out: Record<string, unknown> = {};
        for (const [key, t] of members) {
          if (key === '__proto__') Object.defineProperty(out, key, { value: build(t, ids), enumerable: true, writable: true, configurable: true });
          else out[key] = build(t, ids);
        }
        return out;
      },
    };
  }
  return { shared: value };
}

/**
 * `JSON.stringify(substituteIds(value, ids))`, from JSON text compiled once per payload and recorded
 * ids: the id-free parts are serialised once, only the strings that hold an id are per run. A
 * notification is serialised for every delivery; its recording is the same for every run. `value`
 * is plain JSON (a recording's body, parsed from a file).
 */
export function substituteIdsToJson(value: unknown, ids: RunIds): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(substituteIds(value, ids));
  let byRecorded = jsonTemplates.get(value);
  if (!byRecorded) jsonTemplates.set(value, (byRecorded = new WeakMap()));
  let pieces = byRecorded.get(ids.recorded);
  if (!pieces) byRecorded.set(ids.recorded, (pieces = joinedLiterals(jsonPieces(value, ids.recorded, []))));
  let out = '';
  for (const piece of pieces) out += typeof piece === 'string' ? piece : piece(ids);
  return out;
}

type JsonPiece = string | ((ids: RunIds) => string);
const jsonTemplates = new WeakMap<object, WeakMap<RecordedIds, JsonPiece[]>>();

function jsonPieces(value: unknown, recorded: RecordedIds, out: JsonPiece[]): JsonPiece[] {
  const template = compile(value, recorded);
  if (isShared(template)) out.push(JSON.stringify(value) ?? 'null');
  else if (value === null || typeof value !== 'object') out.push((ids) => JSON.stringify(build(template, ids)) ?? 'null');
  else if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, i) => jsonPieces(item, recorded, i ? (out.push(','), out) : out));
    out.push(']');
  } else {
    // Members as JSON.stringify writes them: own keys in order, undefined ones left out.
    const keys = Object.keys(value).filter((key) => (value as Record<string, unknown>)[key] !== undefined);
    out.push('{');
    keys.forEach((key, i) => jsonPieces((value as Record<string, unknown>)[key], recorded, (out.push(`${i ? ',' : ''}${JSON.stringify(key)}:`), out)));
    out.push('}');
  }
  return out;
}

/** Adjacent literal pieces as one. */
function joinedLiterals(pieces: JsonPiece[]): JsonPiece[] {
  const out: JsonPiece[] = [];
  for (const piece of pieces) {
    if (typeof piece === 'string' && typeof out.at(-1) === 'string') out[out.length - 1] += piece;
    else out.push(piece);
  }
  return out;
}

/** A string as substituteString would map it, split once into literal text and the recorded ids in it. */
function compileString(text: string, { callIds, otherIds }: RecordedIds): Template {
  const isId = (token: string): boolean => callIds.has(token) || otherIds.has(token);
  if (isId(text)) return { rebuild: (ids) => ids.map.get(text) };
  // A `{call.id}` template (scenario paths, rare in payloads) may join the tokens around it: map it whole each run.
  if (text.includes('{call.id}')) return { rebuild: (ids) => substituteString(text, ids) };
  if (!text.includes('/')) return { shared: text };
  const pieces: Array<{ literal: string } | { id: string }> = [];
  let from = 0;
  for (const m of text.matchAll(/[0-9A-Za-z-]{8,}/g)) {
    if (!isId(m[0])) continue;
    pieces.push({ literal: text.slice(from, m.index) }, { id: m[0] });
    from = m.index + m[0].length;
  }
  if (!pieces.length) return { shared: text };
  pieces.push({ literal: text.slice(from) });
  // Literal text around each id, written out per run without an array per string.
  const literals = pieces.filter((p): p is { literal: string } => 'literal' in p).map((p) => p.literal);
  const idsIn = pieces.filter((p): p is { id: string } => 'id' in p).map((p) => p.id);
  return {
    rebuild: (ids) => {
      let out = literals[0]!;
      for (let i = 0; i < idsIn.length; i++) out += (ids.map.get(idsIn[i]!) ?? '') + literals[i + 1]!;
      return out;
    },
  };
}

/** A string with its recorded ids (whole, or inside a path or URL) and `{call.id}` templates replaced. */
export function substituteString(text: string, ids: RunIds): string {
  const whole = ids.map.get(text);
  if (whole) return whole;
  const plan = stringPlanOf(text);
  if (plan === null || !TOKEN_SHAPE.test(ids.callId)) return substitutedAfresh(text, ids);
  if (!plan.mapsTokens) return plan.pieces.join(ids.callId);
  // Literal text at even places; at odd places a token (looked up in the run's map) or the call slot.
  const { pieces } = plan;
  let out = pieces[0]!;
  for (let i = 1; i < pieces.length; i += 2) {
    const token = pieces[i] === CALL_SLOT ? ids.callId : pieces[i]!;
    out += (ids.map.get(token) ?? token) + pieces[i + 1]!;
  }
  return out;
}

/** substituteString by its definition: `{call.id}` replaced, then (in a path or URL) every id-like token looked up. */
function substitutedAfresh(text: string, ids: RunIds): string {
  const out = text.replaceAll('{call.id}', ids.callId);
  if (!out.includes('/')) return out;
  return out.replace(/[0-9A-Za-z-]{8,}/g, (token) => ids.map.get(token) ?? token);
}

/**
 * A string split once into what substituteString does to it in every run (scenario paths are
 * substituted in every run): with `mapsTokens`, literal text and tokens alternating (CALL_SLOT where
 * `{call.id}` was); without, the text around each `{call.id}`. Null when a `{call.id}` sits beside a
 * token character (the call id would join it into one longer token): that text is substituted afresh.
 */
type StringPlan = { mapsTokens: boolean; pieces: string[] };

const CALL_SLOT = '{call.id}';
const TOKEN_OR_CALL = /[0-9A-Za-z-]{8,}|\{call\.id\}/g;
const TOKEN_SHAPE = /^[0-9A-Za-z-]{8,}$/;
const stringPlans = new Map<string, StringPlan | null>();
/** Scenario paths and templates are few; strings past this many are substituted afresh, not kept. */
const MAX_STRING_PLANS = 4096;

function stringPlanOf(text: string): StringPlan | null {
  let plan = stringPlans.get(text);
  if (plan === undefined) {
    plan = compileStringPlan(text);
    if (stringPlans.size < MAX_STRING_PLANS) stringPlans.set(text, plan);
  }
  return plan;
}

function compileStringPlan(text: string): StringPlan | null {
  if (!text.includes('/')) return { mapsTokens: false, pieces: text.split(CALL_SLOT) };
  const pieces: string[] = [];
  let from = 0;
  for (const m of text.matchAll(TOKEN_OR_CALL)) {
    if (m[0] === CALL_SLOT && joinsToken(text, m.index)) return null;
    pieces.push(text.slice(from, m.index), m[0]);
    from = m.index + m[0].length;
  }
  pieces.push(text.slice(from));
  return { mapsTokens: true, pieces };
}

/** Whether the call id written at `at` (in place of `{call.id}`) would join a token character or another call id beside it. */
function joinsToken(text: string, at: number): boolean {
  const end = at + CALL_SLOT.length;
  return isTokenChar(text.charCodeAt(at - 1)) || isTokenChar(text.charCodeAt(end)) || text.startsWith(CALL_SLOT, end) || (at >= CALL_SLOT.length && text.startsWith(CALL_SLOT, at - CALL_SLOT.length));
}

/** A character of an id-like token: a letter, a digit or a dash (NaN, outside the text, is none). */
function isTokenChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 45;
}

/** Fresh id → the recorded id it stands for (the run's call stands for the first recorded call id). */
export function reverseIds(ids: RunIds): Map<string, string> {
  const out = new Map<string, string>([[ids.callId, '{call.id}'], [ids.callId.toLowerCase(), '{call.id}']]);
  for (const [recorded, fresh] of ids.map) if (fresh !== ids.callId) out.set(fresh, recorded);
  return out;
}

/** The documents' examples name their own bot's callback on Microsoft's example domains (bot.contoso.com). */
const DOCUMENTED_BOT_HOST = /^https?:\/\/[^/]*\bcontoso\.com(?=[/:]|$)/i;

/**
 * A control body with the documented bot's own callbackUri replaced by the target's: a bot that keeps
 * the callbackUri it is handed must give Graph its own endpoint, not the example's bot.contoso.com.
 */
export function withTargetCallbackUri<T>(body: T, callbackUri: string): T {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const given = (body as Record<string, unknown>).callbackUri;
  if (typeof given !== 'string' || !DOCUMENTED_BOT_HOST.test(given)) return body;
  return { ...body, callbackUri };
}
