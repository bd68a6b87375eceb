import type { GraphExchange, ProbeRead, TranscriptEvent } from '../model/transcript.js';

/** What can be seen of a bot from outside in one run, with the run's ids put back to the recorded ones. */
export interface ObservedBehaviour {
  /** The bot's Graph requests as `METHOD path body`, sorted (a multiset: timing may reorder them). */
  requests: string[];
  /** The bot's last probe view, when it has a probe. */
  finalView?: string;
}

/** The observable behaviour of a run; `runToRecorded` maps the run's fresh ids back to recorded ones. */
export function observedBehaviour(transcript: TranscriptEvent[], runToRecorded: Map<string, string>): ObservedBehaviour {
  const normalise = (text: string): string => text.replace(/[0-9A-Za-z-]{8,}/g, (token) => runToRecorded.get(token) ?? runToRecorded.get(token.toLowerCase()) ?? token);
  const requests = transcript
    .filter((e): e is GraphExchange => e.type === 'graph')
    .map((e) => normalise(`${e.method} ${e.path} ${stableJson(e.body)}`))
    .sort();
  const probes = transcript.filter((e): e is ProbeRead => e.type === 'probe');
  const last = probes.at(-1);
  return { requests, finalView: last ? normalise(stableJson(last.view)) : undefined };
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
