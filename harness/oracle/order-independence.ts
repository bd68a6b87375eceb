import type { GraphExchange, ProbeRead, TranscriptEvent } from '../model/transcript.js';
import { comparableView } from './comparable-view.js';

/** What can be seen of a bot from outside in one run, with the run's ids put back to the recorded ones. */
export interface ObservedBehaviour {
  /** The bot's Graph requests as `METHOD path body`, sorted (a multiset: timing may reorder them). */
  requests: string[];
  /** The bot's last probe view, when it has a probe. */
  finalView?: string;
}

/** An id-like token: what the run's ids and the bot's own values (UUIDs, timestamps) look like. */
const TOKEN = /[0-9A-Za-z-]{8,}/g;

/**
 * The observable behaviour of a run; `runToRecorded` maps the run's fresh ids back to recorded ones.
 * Values the bot made up (id-like tokens with a digit found in no input of the run: no notification,
 * Graph response, control body or run id) are renamed `<bot:N>` in order of first appearance, so two
 * runs are the same behaviour when a consistent renaming of those values maps one onto the other.
 */
export function observedBehaviour(transcript: TranscriptEvent[], runToRecorded: Map<string, string>): ObservedBehaviour {
  // The inputs are read only when a token needs them, and each token is decided once (it recurs in both uses).
  let inputs: InputText | undefined;
  const decided = new Map<string, boolean>();
  const mapBack = (token: string): string | undefined => runToRecorded.get(token) ?? runToRecorded.get(token.toLowerCase());
  const madeUp = (token: string): boolean => {
    let made = decided.get(token);
    if (made === undefined) decided.set(token, (made = DIGIT.test(token) && mapBack(token) === undefined && !(inputs ??= inputText(transcript, runToRecorded)).has(token)));
    return made;
  };
  // Each text is split once into literal text (run ids mapped back) and the made-up tokens between it.
  const split = (text: string): string[] => splitMadeUp(text, mapBack, madeUp);
  // Sort by the text with made-up tokens masked first, so the renaming does not depend on the made-up values themselves.
  const raw: Array<{ parts: string[]; key: string }> = [];
  for (const e of transcript) {
    if (e.type !== 'graph') continue;
    const parts = split(`${e.method} ${e.path} ${stableJson(e.body)}`);
    raw.push({ parts, key: joined(parts, () => '<bot>') });
  }
  raw.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const names = new Map<string, string>();
  const name = (token: string): string => {
    let named = names.get(token);
    if (!named) names.set(token, (named = `<bot:${names.size + 1}>`));
    return named;
  };
  const requests = raw.map((r) => joined(r.parts, name)).sort();
  let last: ProbeRead | undefined;
  for (const e of transcript) if (e.type === 'probe') last = e;
  return { requests, finalView: last ? joined(split(stableJson(comparableView(last.view))), name) : undefined };
}

/**
 * A text's id-like tokens decided once: literal text at even places (each token that is a run id
 * mapped back, each other token that is not made up kept), a made-up token at each odd place.
 */
function splitMadeUp(text: string, mapBack: (token: string) => string | undefined, madeUp: (token: string) => boolean): string[] {
  const parts: string[] = [];
  let literal = '';
  let from = 0;
  for (const m of text.matchAll(TOKEN)) {
    const token = m[0];
    literal += text.slice(from, m.index);
    from = m.index + token.length;
    const back = mapBack(token);
    if (back !== undefined) literal += back;
    else if (!madeUp(token)) literal += token;
    else {
      parts.push(literal, token);
      literal = '';
    }
  }
  parts.push(literal + text.slice(from));
  return parts;
}

/** Split text joined again, each made-up token written as `nameOf` says. */
function joined(parts: string[], nameOf: (token: string) => string): string {
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) out += nameOf(parts[i]!) + parts[i + 1]!;
  return out;
}

const DIGIT = /[0-9]/;

/** Whether a token is one of a run's input tokens. */
export interface InputText {
  has(token: string): boolean;
}

/**
 * The inputs of a run as one text, asked token by token: a token (a maximal run of TOKEN's
 * characters) is one of inputTokens' exactly when it occurs with no token character on either side.
 * Only the few tokens the bot's requests hold are looked up, so the inputs are not split into tokens.
 */
export function inputText(transcript: TranscriptEvent[], runToRecorded: Map<string, string>): InputText {
  const parts: string[] = [];
  const add = (value: unknown): void => {
    if (value !== undefined) parts.push(typeof value === 'string' ? value : JSON.stringify(value));
  };
  forEachInput(transcript, runToRecorded, add);
  const text = parts.join('\n');
  return {
    has(token) {
      for (let at = text.indexOf(token); at >= 0; at = text.indexOf(token, at + 1)) {
        if (!isTokenChar(text.charCodeAt(at - 1)) && !isTokenChar(text.charCodeAt(at + token.length))) return true;
      }
      return false;
    },
  };
}

/** A character of TOKEN: a letter, a digit or a dash (NaN, outside the text, is none). */
function isTokenChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 45;
}

/** Every input of a run, as given (with its kind): notification bodies, Graph responses, control bodies and URLs, recorded ids. */
export function forEachInput(transcript: TranscriptEvent[], runToRecorded: Map<string, string>, add: (value: unknown, kind: 'notification' | 'graph' | 'control' | 'id') => void): void {
  for (const e of transcript) {
    if (e.type === 'notification') add(e.body, 'notification');
    else if (e.type === 'graph') add(e.response.body, 'graph');
    else if (e.type === 'control') {
      add(e.body, 'control');
      add(e.url, 'control');
      add(e.responseBody, 'control');
    }
  }
  for (const recorded of runToRecorded.values()) add(recorded, 'id');
}

/** Every id-like token the harness gave the bot in a run: notification bodies, Graph responses, control bodies, run and recorded ids. */
export function inputTokens(transcript: TranscriptEvent[], runToRecorded: Map<string, string>): Set<string> {
  const tokens = new Set<string>();
  forEachInput(transcript, runToRecorded, (value) => {
    if (value === undefined) return;
    for (const token of (typeof value === 'string' ? value : JSON.stringify(value)).match(TOKEN) ?? []) tokens.add(token);
  });
  return tokens;
}

/** How a run's behaviour differs from the documented order's, or undefined when it is the same. */
export function behaviourDifference(documented: ObservedBehaviour, observed: ObservedBehaviour): string | undefined {
  const missing = multisetMinus(documented.requests, observed.requests);
  const extra = multisetMinus(observed.requests, documented.requests);
  if (missing.length || extra.length) {
    const parts = [];
    if (extra.length) parts.push(`sent ${extra.map(short).join(', ')} that it does not send in the documented order`);
    if (missing.length) parts.push(`did not send ${missing.map(short).join(', ')} that it sends in the documented order`);
    return parts.join('; and ');
  }
  if (documented.finalView !== observed.finalView) return `ended with the view ${observed.finalView}, not ${documented.finalView} as in the documented order`;
  return undefined;
}

function multisetMinus(a: string[], b: string[]): string[] {
  const left = [...b];
  return a.filter((x) => {
    const i = left.indexOf(x);
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}

function short(request: string): string {
  const [method, path] = request.split(' ');
  return `${method} ${path}`;
}

/** JSON with object keys sorted (in localeCompare's order), so equal values print equally. */
export function stableJson(value: unknown): string {
  if (value === undefined) return '';
  // JSON.stringify with a replacer was a tenth of order independence's cost: JSON values (parsed
  // bodies, probe views) are written directly, anything else (toJSON, bigint, cycles) as before.
  return isPlainJson(value, 0) ? sortedJson(value) : JSON.stringify(value, sortedKeys);
}

/** Plain JSON as JSON.parse makes it: null, booleans, finite numbers, strings, arrays and plain objects, not too deep. */
function isPlainJson(value: unknown, depth: number): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth > MAX_DIRECT_DEPTH) return false;
  if (Array.isArray(value)) return value.every((item) => isPlainJson(item, depth + 1));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key in value) if (!Object.hasOwn(value, key) || !isPlainJson((value as Record<string, unknown>)[key], depth + 1)) return false;
  return true;
}

/** Deeper values go the replacer's way (which throws on cycles as it always did). */
const MAX_DIRECT_DEPTH = 64;

/** JSON.stringify(value, sortedKeys) for a value isPlainJson accepts. */
function sortedJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + sortedJson(value[i]);
    return `${out}]`;
  }
  let out = '{';
  let first = true;
  for (const key of keyOrder(Object.keys(value))) {
    out += `${first ? '' : ','}${JSON.stringify(key)}:${sortedJson((value as Record<string, unknown>)[key])}`;
    first = false;
  }
  return `${out}}`;
}

// localeCompare's order, from one collator built once (localeCompare builds one per call).
const byLocale = new Intl.Collator().compare;

/**
 * Keys in byLocale's order, each set of keys sorted once: the bodies of a run, and of every run of a
 * scenario, repeat a few shapes. The kept order is used only for the very keys it was sorted from.
 */
function keyOrder(keys: string[]): string[] {
  if (keys.length < 2) return keys;
  const id = keys.join('\u0000');
  const known = sortedOrders.get(id);
  if (known && known.given.length === keys.length && known.given.every((key, i) => key === keys[i])) return known.sorted;
  // As the replacer's re-built object lists them: integer-like keys first (ascending), then the others sorted.
  const sorted = Object.keys(Object.fromEntries([...keys].sort(byLocale).map((key) => [key, 0])));
  if (sortedOrders.size < MAX_KEY_ORDERS) sortedOrders.set(id, { given: keys, sorted });
  return sorted;
}

const sortedOrders = new Map<string, { given: string[]; sorted: string[] }>();
/** Enough for every shape the shipped suites' bodies and a bot's requests have; beyond it keys are sorted each time. */
const MAX_KEY_ORDERS = 4096;

function sortedKeys(_key: string, v: unknown): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  const keys = Object.keys(v);
  if (keys.length < 2) return v;
  if (keys.includes('__proto__')) return Object.fromEntries(keys.sort(byLocale).map((key) => [key, (v as Record<string, unknown>)[key]]));
  const out: Record<string, unknown> = {};
  for (const key of keys.sort(byLocale)) out[key] = (v as Record<string, unknown>)[key];
  return out;
}
