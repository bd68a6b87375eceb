/**
 * Order independence judged against the documented run without re-tokenising each run: the
 * documented behaviour is compiled once into texts with slots for the run's ids, a run fills the
 * slots with its own ids and compares texts. Only when that says "different", or cannot decide
 * (the documented run has values the bot made up), is the run split into tokens (observedBehaviour)
 * to say how it differs. Both ways give the same verdict (tests/order-independence.spec.ts).
 */
import type { TranscriptEvent } from '../model/transcript.js';
import { behaviourDifference, forEachInput, observedBehaviour, stableJson, type ObservedBehaviour } from './order-independence.js';
import { comparableView } from './comparable-view.js';

/** How a run's behaviour differs from the documented run's (as behaviourDifference of observedBehaviour), or undefined. */
export function runBehaviourDifference(documented: ObservedBehaviour, transcript: TranscriptEvent[], runToRecorded: Map<string, string>): string | undefined {
  if (provablySameBehaviour(documented, transcript, runToRecorded)) return undefined;
  return behaviourDifference(documented, observedBehaviour(transcript, runToRecorded));
}

/**
 * True only when the run shows the documented behaviour (behaviourDifference would find none),
 * decided by filling the documented texts with the run's ids; false when it differs or this cannot tell.
 */
export function provablySameBehaviour(documented: ObservedBehaviour, transcript: TranscriptEvent[], runToRecorded: Map<string, string>): boolean {
  const plan = planOf(documented);
  return plan !== null && sameAsDocumented(plan, transcript, runToRecorded);
}

/**
 * The documented behaviour's texts split into id-like tokens (odd places) and the text between them
 * (even places), with every distinct token that is not `{call.id}`: each is either a recorded id
 * (a slot, filled with the run's id) or a literal the run must show as it is.
 */
interface DocumentedPlan {
  requests: string[][];
  finalView?: string[];
  tokens: Array<{ token: string; lower: string; digit: boolean }>;
}

/** An id-like token as order-independence.ts reads them, or the `{call.id}` a mapped-back call id reads as. */
const TOKEN_OR_CALL = /[0-9A-Za-z-]{8,}|\{call\.id\}/g;
const TOKEN_SHAPE = /^[0-9A-Za-z-]{8,}$/;
const CALL = '{call.id}';
const DIGIT = /[0-9]/;

const plans = new WeakMap<ObservedBehaviour, DocumentedPlan | null>();

/** The documented behaviour compiled once; null when it cannot be compared by filling slots (values the bot made up). */
function planOf(documented: ObservedBehaviour): DocumentedPlan | null {
  let plan = plans.get(documented);
  if (plan === undefined) plans.set(documented, (plan = compilePlan(documented)));
  return plan;
}

function compilePlan(documented: ObservedBehaviour): DocumentedPlan | null {
  const texts = documented.finalView === undefined ? documented.requests : [...documented.requests, documented.finalView];
  // A renamed made-up value matches any consistent renaming: only the tokenising comparison can judge that.
  if (texts.some((text) => text.includes('<bot:'))) return null;
  const tokens = new Map<string, { token: string; lower: string; digit: boolean }>();
  const split = (text: string): string[] | null => {
    const parts: string[] = [];
    let from = 0;
    for (const m of text.matchAll(TOKEN_OR_CALL)) {
      const token = m[0];
      // A `{call.id}` beside token characters (or another one) would join the run's call id into a longer token: not a slot.
      if (token === CALL && joinsToken(text, m.index)) return null;
      parts.push(text.slice(from, m.index), token);
      from = m.index + token.length;
      if (token !== CALL && !tokens.has(token)) tokens.set(token, { token, lower: token.toLowerCase(), digit: DIGIT.test(token) });
    }
    parts.push(text.slice(from));
    return parts;
  };
  const requests = documented.requests.map(split);
  const finalView = documented.finalView === undefined ? undefined : split(documented.finalView);
  if (requests.some((parts) => parts === null) || finalView === null) return null;
  return { requests: requests as string[][], ...(finalView && { finalView }), tokens: [...tokens.values()] };
}

/**
 * Whether the run provably shows the documented behaviour: its texts equal the documented ones with
 * the run's ids in the slots, and splitting them into tokens would map each slot back to its recorded
 * id and keep each literal as it is (no literal is one of the run's ids, and each literal with a digit
 * is one of the run's inputs, so none counts as made up).
 */
function sameAsDocumented(plan: DocumentedPlan, transcript: TranscriptEvent[], runToRecorded: Map<string, string>): boolean {
  const runIdOf = new Map<string, string>();
  for (const [runId, recorded] of runToRecorded) if (!runIdOf.has(recorded)) runIdOf.set(recorded, runId);
  const fill = (parts: string[]): string | undefined => {
    let out = parts[0]!;
    for (let i = 1; i < parts.length; i += 2) {
      const runId = runIdOf.get(parts[i]!);
      if (runId !== undefined && !TOKEN_SHAPE.test(runId)) return undefined; // the tokeniser would not see it as one token
      if (runId === undefined && parts[i] === CALL) return undefined;
      out += (runId ?? parts[i]!) + parts[i + 1]!;
    }
    return out;
  };
  const requests: string[] = [];
  for (const e of transcript) if (e.type === 'graph') requests.push(`${e.method} ${e.path} ${stableJson(e.body)}`);
  if (requests.length !== plan.requests.length) return false;
  const expected = plan.requests.map(fill);
  if (expected.some((text) => text === undefined)) return false;
  requests.sort();
  (expected as string[]).sort();
  if (requests.some((text, i) => text !== expected[i])) return false;
  let last: TranscriptEvent | undefined;
  for (const e of transcript) if (e.type === 'probe') last = e;
  const view = last?.type === 'probe' ? stableJson(comparableView(last.view)) : undefined;
  if ((plan.finalView === undefined) !== (view === undefined)) return false;
  if (plan.finalView && fill(plan.finalView) !== view) return false;
  let inputs: LazyInputs | undefined;
  const inputsOfRun = (): LazyInputs => (inputs ??= lazyInputs(transcript, runToRecorded));
  return plan.tokens.every(({ token, lower, digit }) => runIdOf.has(token) || literalKept(token, lower, digit, runToRecorded, inputsOfRun));
}

/** A literal token stays as it is when it is no run id (in any case) and, holding a digit, is one of the run's inputs. */
function literalKept(token: string, lower: string, digit: boolean, runToRecorded: Map<string, string>, inputs: () => LazyInputs): boolean {
  if (runToRecorded.has(token) || runToRecorded.has(lower)) return false;
  return !digit || inputs().has(token);
}

/** The run's inputs, written out one at a time until one holds the token (most tokens sit in a small control body). */
interface LazyInputs {
  has(token: string): boolean;
}

function lazyInputs(transcript: TranscriptEvent[], runToRecorded: Map<string, string>): LazyInputs {
  // The smaller inputs first (control calls, Graph's answers, the ids), the notifications last.
  const early: unknown[] = [];
  const late: unknown[] = [];
  forEachInput(transcript, runToRecorded, (value, kind) => void (value !== undefined && (kind === 'notification' ? late : early).push(value)));
  const values = early.concat(late);
  const texts: string[] = [];
  return {
    has(token) {
      for (let i = 0; i < values.length; i++) {
        const text = (texts[i] ??= typeof values[i] === 'string' ? (values[i] as string) : JSON.stringify(values[i]));
        if (holdsToken(text, token)) return true;
      }
      return false;
    },
  };
}

/** Whether `token` occurs in `text` with no token character on either side (as inputText decides it). */
function holdsToken(text: string, token: string): boolean {
  for (let at = text.indexOf(token); at >= 0; at = text.indexOf(token, at + 1)) {
    if (!isTokenChar(text.charCodeAt(at - 1)) && !isTokenChar(text.charCodeAt(at + token.length))) return true;
  }
  return false;
}

/** Whether a call id written at `at` (in place of `{call.id}`) would join a token character or another call id beside it. */
function joinsToken(text: string, at: number): boolean {
  const end = at + CALL.length;
  return isTokenChar(text.charCodeAt(at - 1)) || isTokenChar(text.charCodeAt(end)) || text.startsWith(CALL, end) || (at >= CALL.length && text.startsWith(CALL, at - CALL.length));
}

/** A character of an id-like token: a letter, a digit or a dash (NaN, outside the text, is none). */
function isTokenChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 45;
}
