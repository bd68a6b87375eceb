import { test, expect } from '@playwright/test';
import fc from 'fast-check';
import { behaviourDifference, inputText, inputTokens, observedBehaviour } from '../harness/oracle/order-independence.js';
import { provablySameBehaviour, runBehaviourDifference } from '../harness/oracle/same-behaviour.js';
import type { TranscriptEvent } from '../harness/model/transcript.js';

// The run's fresh ids map back to the recorded ones; the notification carries the participant id,
// the control body a transfer target; the bot adds a clientContext of its own per request.
const CALL = '11111111-aaaa-4bbb-8ccc-000000000001';
const PARTICIPANT = '22222222-aaaa-4bbb-8ccc-000000000002';
const runToRecorded = new Map([[CALL, 'recorded-call-id'], [PARTICIPANT, 'recorded-participant-id']]);
const TARGET_USER = 'user-8f3e2a10-target';

function transcriptOf(contexts: string[], participant = PARTICIPANT, target = TARGET_USER): TranscriptEvent[] {
  const notification = { type: 'notification', seq: 1, at: 0, stepIndex: 0, recording: 'r', url: 'u', status: 202, latencyMs: 1, body: { value: [{ resourceData: { id: PARTICIPANT } }] } };
  const control = { type: 'control', seq: 2, at: 0, stepIndex: 1, method: 'POST', url: `http://c/calls/${CALL}/transfer`, body: { transferTarget: { id: TARGET_USER } }, status: 202 };
  const graph = (i: number, clientContext: string) => ({
    type: 'graph', seq: 3 + i, at: 0, method: 'POST', path: `/communications/calls/${CALL}/participants/${participant}/startHoldMusic`, headers: {},
    body: { clientContext, target: target }, response: { status: 200, headers: {}, body: { id: `op-${i}` } },
  });
  return [notification, control, ...contexts.map((c, i) => graph(i, c))] as unknown as TranscriptEvent[];
}

const botValues = (n: number) => fc.uniqueArray(fc.uuid(), { minLength: n, maxLength: n });

test.describe('order independence compares the bot\'s own values up to renaming', () => {
  test('renaming the values a bot made up (a clientContext per request) never changes the verdict', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }).chain((n) => fc.tuple(botValues(n), botValues(n))), ([a, b]) => {
      const documented = observedBehaviour(transcriptOf(a), runToRecorded);
      expect(behaviourDifference(documented, observedBehaviour(transcriptOf(b), runToRecorded))).toBeUndefined();
    }));
  });

  test('the same made-up value where the documented run used two different ones is a difference (a bijection, not a wildcard)', () => {
    fc.assert(fc.property(botValues(2), fc.uuid(), (a, one) => {
      const documented = observedBehaviour(transcriptOf(a), runToRecorded);
      expect(behaviourDifference(documented, observedBehaviour(transcriptOf([one, one]), runToRecorded))).toBeDefined();
    }));
  });

  test('changing a value derived from an input (the notification\'s participant id, the control body\'s target) always changes the verdict', () => {
    fc.assert(fc.property(botValues(2), botValues(2), fc.uuid(), fc.boolean(), (a, b, other, inParticipant) => {
      const documented = observedBehaviour(transcriptOf(a), runToRecorded);
      const changed = inParticipant ? transcriptOf(b, other) : transcriptOf(b, PARTICIPANT, other);
      expect(behaviourDifference(documented, observedBehaviour(changed, runToRecorded))).toBeDefined();
    }));
  });
});

test('a run\'s inputs asked token by token say what splitting them into tokens says', () => {
  // Texts of token characters and separators; tokens drawn from the texts themselves and made up.
  const piece = fc.stringMatching(/^[0-9A-Za-z-]{0,12}$/);
  const text = fc.array(fc.tuple(piece, fc.constantFrom('/', '"', ' ', '.', ':', '_')), { maxLength: 8 }).map((parts) => parts.map(([p, sep]) => p + sep).join(''));
  fc.assert(
    fc.property(fc.array(text, { minLength: 1, maxLength: 4 }), fc.array(piece, { maxLength: 6 }), (texts, probes) => {
      const transcript = texts.map((url, i) => ({ type: 'control', seq: i + 1, at: 0, stepIndex: i, method: 'POST', url, body: { text: url }, status: 202 })) as unknown as TranscriptEvent[];
      const tokens = inputTokens(transcript, runToRecorded);
      const lookup = inputText(transcript, runToRecorded);
      const candidates = [...tokens, ...probes.filter((p) => p.length >= 8), ...[...tokens].map((t) => t.slice(1)).filter((t) => t.length >= 8)];
      for (const token of candidates) expect(lookup.has(token), token).toBe(tokens.has(token));
    }),
  );
});

/**
 * observedBehaviour as it was before it split each text once and wrote JSON without a replacer
 * (commit 4834f6f): the reference the faster one must agree with, character for character.
 */
function referenceBehaviour(transcript: TranscriptEvent[], runToRecorded: Map<string, string>): { requests: string[]; finalView?: string } {
  const TOKEN = /[0-9A-Za-z-]{8,}/g;
  const byLocale = new Intl.Collator().compare;
  const sortedKeys = (_key: string, v: unknown): unknown => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
    const keys = Object.keys(v);
    if (keys.length < 2) return v;
    if (keys.includes('__proto__')) return Object.fromEntries(keys.sort(byLocale).map((key) => [key, (v as Record<string, unknown>)[key]]));
    const out: Record<string, unknown> = {};
    for (const key of keys.sort(byLocale)) out[key] = (v as Record<string, unknown>)[key];
    return out;
  };
  const stable = (value: unknown): string => (value === undefined ? '' : JSON.stringify(value, sortedKeys));
  const inputs = inputTokens(transcript, runToRecorded);
  const mapBack = (token: string): string | undefined => runToRecorded.get(token) ?? runToRecorded.get(token.toLowerCase());
  const madeUp = (token: string): boolean => /[0-9]/.test(token) && mapBack(token) === undefined && !inputs.has(token);
  const masked = (text: string): string => text.replace(TOKEN, (token) => mapBack(token) ?? (madeUp(token) ? '<bot>' : token));
  const raw = transcript.flatMap((e) => (e.type === 'graph' ? [`${e.method} ${e.path} ${stable(e.body)}`] : [])).map((text) => ({ text, key: masked(text) }));
  raw.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const names = new Map<string, string>();
  const rename = (text: string): string =>
    text.replace(TOKEN, (token) => {
      const back = mapBack(token);
      if (back !== undefined) return back;
      if (!madeUp(token)) return token;
      if (!names.has(token)) names.set(token, `<bot:${names.size + 1}>`);
      return names.get(token)!;
    });
  const requests = raw.map((r) => rename(r.text)).sort();
  const last = transcript.filter((e) => e.type === 'probe').at(-1) as { view?: unknown } | undefined;
  return { requests, finalView: last ? rename(stable(last.view)) : undefined };
}

test('the observed behaviour is the reference one, for any transcript (ids mapped back, made-up values renamed, keys sorted)', () => {
  // Tokens of every kind: run ids (any case), input values, values only the bot has, words without a digit.
  const token = fc.constantFrom(CALL, CALL.toUpperCase(), PARTICIPANT, TARGET_USER, 'a1b2c3d4e5', 'f00dcafe-0001', 'callbackUri', 'established', '12345678', 'op-12345678');
  const text = fc.array(fc.oneof(token, fc.constantFrom('/', ' ', '-', '"', 'x', '9', 'é')), { maxLength: 6 }).map((parts) => parts.join(''));
  const key = fc.oneof(text, fc.constantFrom('2', '10', '0', '__proto__', 'B', 'a', 'é', 'id', 'isInLobby'));
  const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constant(null), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), text, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(key, tie('value'), { maxKeys: 5 })),
  })).value;
  const event = fc.oneof(
    fc.record({ type: fc.constant('graph'), method: fc.constantFrom('POST', 'GET', 'DELETE'), path: text.map((t) => `/communications/calls/${t}`), body: fc.option(json, { nil: undefined }), response: fc.record({ status: fc.constant(200), headers: fc.constant({}), body: fc.option(json, { nil: undefined }) }) }),
    fc.record({ type: fc.constant('notification'), body: json }),
    fc.record({ type: fc.constant('control'), method: fc.constant('POST'), url: text, body: fc.option(json, { nil: undefined }), responseBody: fc.option(json, { nil: undefined }) }),
    fc.record({ type: fc.constant('probe'), view: fc.option(json, { nil: undefined }) }),
  );
  fc.assert(
    fc.property(fc.array(event, { maxLength: 8 }), (events) => {
      const transcript = events.map((e, i) => ({ seq: i + 1, at: 0, ...e })) as unknown as TranscriptEvent[];
      expect(observedBehaviour(transcript, runToRecorded)).toEqual(referenceBehaviour(transcript, runToRecorded));
    }),
    { numRuns: 2000 },
  );
});

test.describe('a run compared with the documented run by filling its texts with the run\'s ids', () => {
  // Two runs of one scenario: the same recorded ids, each with fresh ids of its own.
  const runA = new Map([[CALL, '{call.id}'], [PARTICIPANT, 'recorded-participant-id'], ['33333333-aaaa-4bbb-8ccc-000000000003', 'op-recorded-00000001']]);
  const CALL_B = '44444444-aaaa-4bbb-8ccc-000000000004';
  const PARTICIPANT_B = '55555555-aaaa-4bbb-8ccc-000000000005';
  const runB = new Map([[CALL_B, '{call.id}'], [CALL_B.toUpperCase(), '{call.id}'], [PARTICIPANT_B, 'recorded-participant-id'], ['66666666-aaaa-4bbb-8ccc-000000000006', 'op-recorded-00000001']]);
  const idsOf = (run: Map<string, string>) => [...run].filter(([fresh]) => fresh === fresh.toLowerCase()).map(([fresh]) => fresh);
  // Texts made of slots (the run's i-th id), literal tokens (inputs or not, with and without a digit), and separators.
  // Mostly slots and literals a run keeps; now and then one that only splitting into tokens can judge (made up, or a recorded id sent as written).
  const piece = fc.oneof(
    { arbitrary: fc.integer({ min: 0, max: 2 }).map((slot) => ({ slot })), weight: 4 },
    { arbitrary: fc.constantFrom('user-8f3e2a10-target', 'established', '/', ' ', ':', '"', 'é').map((text) => ({ text })), weight: 4 },
    { arbitrary: fc.constantFrom('a1b2c3d4e5', '{call.id}', 'x{call.id}', 'op-recorded-00000001').map((text) => ({ text })), weight: 1 },
  );
  const rarely = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary, weight: 1 });
  const template = fc.array(piece, { maxLength: 6 });
  const fill = (parts: Array<{ slot?: number; text?: string }>, ids: string[]) => parts.map((p) => (p.slot !== undefined ? ids[p.slot] : p.text)).join('');
  const transcriptOfTemplates = (requests: Array<Array<{ slot?: number; text?: string }>>, view: Array<{ slot?: number; text?: string }> | undefined, ids: string[], target: string) =>
    [
      { type: 'control', seq: 1, at: 0, stepIndex: 0, method: 'POST', url: `http://c/calls/${ids[0]}/transfer`, body: { transferTarget: { id: target } }, status: 202 },
      ...requests.map((parts, i) => ({ type: 'graph', seq: 2 + i, at: 0, method: 'POST', path: `/communications/calls/${ids[0]}/x`, headers: {}, body: { text: fill(parts, ids) }, response: { status: 202, headers: {}, body: {} } })),
      ...(view ? [{ type: 'probe', seq: 9, at: 0, stepIndex: 1, url: 'u', status: 200, view: { state: fill(view, ids) } }] : []),
    ] as unknown as TranscriptEvent[];

  test('it says "the same" for a run that differs only in its ids, and never where splitting into tokens finds a difference', () => {
    let same = 0;
    fc.assert(
      fc.property(fc.array(template, { minLength: 1, maxLength: 3 }), fc.option(template, { nil: undefined }), rarely(fc.constant(true)), rarely(fc.tuple(fc.nat(), template)), fc.boolean(), (requests, view, targetB, change, shuffled) => {
        const documented = observedBehaviour(transcriptOfTemplates(requests, view, idsOf(runA), TARGET_USER), runA);
        const changed = change ? requests.map((r, i) => (i === change[0] % requests.length ? change[1] : r)) : requests;
        const run = transcriptOfTemplates(shuffled ? [...changed].reverse() : changed, view, idsOf(runB), targetB ? 'someone-else-00000001' : TARGET_USER);
        const full = behaviourDifference(documented, observedBehaviour(run, runB));
        const provably = provablySameBehaviour(documented, run, runB);
        if (provably) same++;
        if (provably) expect(full).toBeUndefined();
        expect(runBehaviourDifference(documented, run, runB)).toBe(full);
      }),
      { numRuns: 3000 },
    );
    expect(same).toBeGreaterThan(100); // the texts-filled comparison decided a good share itself
  });

  test('the same requests in another order, with the run\'s own ids, are the same behaviour without splitting into tokens', () => {
    const documented = observedBehaviour(transcriptOfTemplates([[{ slot: 1 }], [{ text: 'user-8f3e2a10-target' }]], [{ text: 'established' }], idsOf(runA), TARGET_USER), runA);
    const run = transcriptOfTemplates([[{ text: 'user-8f3e2a10-target' }], [{ slot: 1 }]], [{ text: 'established' }], idsOf(runB), TARGET_USER);
    expect(provablySameBehaviour(documented, run, runB)).toBe(true);
    // The target as a literal the bot made up (not in the run's inputs) is not the documented behaviour.
    const other = transcriptOfTemplates([[{ text: 'user-8f3e2a10-target' }], [{ slot: 1 }]], [{ text: 'established' }], idsOf(runB), 'someone-else-00000001');
    expect(provablySameBehaviour(documented, other, runB)).toBe(false);
    expect(runBehaviourDifference(documented, other, runB)).toBeDefined();
  });

  test('a `{call.id}` the bot wrote itself, beside another, is no slot: two call ids side by side are one token', () => {
    const documented = observedBehaviour(transcriptOfTemplates([[{ text: '/{call.id}{call.id}/' }]], undefined, idsOf(runA), TARGET_USER), runA);
    const run = transcriptOfTemplates([[{ text: '/' }, { slot: 0 }, { slot: 0 }, { text: '/' }]], undefined, idsOf(runB), TARGET_USER);
    expect(provablySameBehaviour(documented, run, runB)).toBe(false);
    expect(runBehaviourDifference(documented, run, runB)).toBe(behaviourDifference(documented, observedBehaviour(run, runB)));
  });
});

test('final views are compared with resultInfo in one spelling: subcode or subCode, numbers or numeric strings, are the same fact; other values are not', async () => {
  const { comparableView } = await import('../harness/oracle/comparable-view.js');
  const mirrored = { state: 'terminated', resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', code: '200', subCode: '5001', message: 'The conversation has ended.' } };
  const normalised = { state: 'terminated', resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', code: 200, subcode: 5001, message: 'The conversation has ended.' } };
  expect(comparableView(mirrored)).toEqual(comparableView(normalised));
  expect(comparableView({ ...normalised, resultInfo: { code: 200, subcode: 0 } })).not.toEqual(comparableView({ ...normalised, resultInfo: { code: 200, subcode: 7015 } }));
  expect(comparableView({ ...normalised, resultInfo: { code: 200, subcode: 'x1' } })).toEqual({ ...normalised, resultInfo: { code: 200, subcode: 'x1' } });
  expect(comparableView(['not', 'a view'])).toEqual(['not', 'a view']);
});
