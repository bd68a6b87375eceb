import type { GraphExchange, ProbeRead, TranscriptEvent } from '../model/transcript.js';

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
  const inputs = inputTokens(transcript, runToRecorded);
  const mapBack = (token: string): string | undefined => runToRecorded.get(token) ?? runToRecorded.get(token.toLowerCase());
  const madeUp = (token: string): boolean => /[0-9]/.test(token) && !inputs.has(token) && mapBack(token) === undefined;
  const masked = (text: string): string => text.replace(TOKEN, (token) => mapBack(token) ?? (madeUp(token) ? '<bot>' : token));
  // Sort by the masked text first, so the renaming does not depend on the made-up values themselves.
  const raw = transcript
    .filter((e): e is GraphExchange => e.type === 'graph')
    .map((e) => `${e.method} ${e.path} ${stableJson(e.body)}`)
    .map((text) => ({ text, key: masked(text) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const names = new Map<string, string>();
  const rename = (text: string): string =>
    text.replace(TOKEN, (token) => {
      const back = mapBack(token);
      if (back !== undefined) return back;
      if (!madeUp(token)) return token;
      let name = names.get(token);
      if (!name) names.set(token, (name = `<bot:${names.size + 1}>`));
      return name;
    });
  const requests = raw.map((r) => rename(r.text)).sort();
  const probes = transcript.filter((e): e is ProbeRead => e.type === 'probe');
  const last = probes.at(-1);
  return { requests, finalView: last ? rename(stableJson(last.view)) : undefined };
}

/** Every id-like token the harness gave the bot in a run: notification bodies, Graph responses, control bodies, run and recorded ids. */
export function inputTokens(transcript: TranscriptEvent[], runToRecorded: Map<string, string>): Set<string> {
  const tokens = new Set<string>();
  const add = (value: unknown): void => {
    if (value === undefined) return;
    for (const token of (typeof value === 'string' ? value : JSON.stringify(value)).match(TOKEN) ?? []) tokens.add(token);
  };
  for (const e of transcript) {
    if (e.type === 'notification') add(e.body);
    else if (e.type === 'graph') add(e.response.body);
    else if (e.type === 'control') {
      add(e.body);
      add(e.url);
      add(e.responseBody);
    }
  }
  for (const recorded of runToRecorded.values()) add(recorded);
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

/** JSON with object keys sorted, so equal values print equally. */
export function stableJson(value: unknown): string {
  if (value === undefined) return '';
  return JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}
