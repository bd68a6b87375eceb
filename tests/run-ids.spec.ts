/**
 * Run ids: a payload compiled once per scenario (shared parts, rebuilt parts) maps ids exactly as
 * substituting the whole payload afresh does, for any payload.
 */
import fc from 'fast-check';
import { test, expect } from '@playwright/test';
import { freshRunIds, recordedIdsOf, substituteIds, substituteIdsToJson, substituteString, type RunIds } from '../harness/graph/run-ids.js';

const CALL = '57dab8b1-894c-409a-b240-bd8beae78896';
const PARTICIPANT = 'fa1e9582-7145-4ca3-bcd8-577f561fcb6e';
const OPERATION = 'c73c7f8c-1b5e-4c2d-a6f0-9a1b2c3d4e5f';

/** Strings a payload holds: ids whole, ids inside paths and URLs, templates, and text that only looks like an id. */
const text = fc.oneof(
  fc.constantFrom(CALL, PARTICIPANT, OPERATION, '{call.id}', 'established', 'abcdefgh-not-an-id'),
  fc.constantFrom(`/app/calls/${CALL}`, `communications/calls/${CALL}/participants/${PARTICIPANT}`, `/calls/{call.id}/operations/${OPERATION}`, `https://bot.example/${PARTICIPANT}?x=${CALL}`, 'x/{call.id}abcdefgh', 'a/b/c'),
  // Paths built from parts: ids anywhere, next to separators, letters or templates.
  fc.array(fc.constantFrom(CALL, PARTICIPANT, OPERATION, '/', '?', '{call.id}', 'calls', 'x', '-', 'participants/', 'abcdefgh'), { maxLength: 8 }).map((parts) => parts.join('')),
  fc.string(),
);
const payload = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.constantFrom('id', 'resource', 'resourceUrl', 'myParticipantId', 'state', '__proto__', 'x'), tie('value'), { maxKeys: 4 })),
})).value;

// The recorded ids of a scenario: the call, a participant and an operation, as the documents use them.
const recorded = recordedIdsOf([`/communications/calls/${CALL}/participants/${PARTICIPANT}`, `/communications/calls/${CALL}/operations/${OPERATION}`]);

/** The plain substitution, walked afresh over the whole payload: what the compiled one must equal. */
function substitutedAfresh(value: unknown, ids: RunIds): unknown {
  if (typeof value === 'string') return substituteString(value, ids);
  if (Array.isArray(value)) return value.map((v) => substitutedAfresh(v, ids));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitutedAfresh(v, ids)]));
  return value;
}

test('a compiled payload maps ids exactly as substituting it afresh does', () => {
  fc.assert(
    fc.property(payload, (value) => {
      let n = 0;
      const ids = freshRunIds(recorded, () => `fresh-${++n}-00000000`);
      const afresh = substitutedAfresh(value, ids);
      expect(substituteIds(value, ids)).toEqual(afresh);
      expect(substituteIds(value, ids)).toEqual(afresh); // the cached template, a second time
    }),
    { numRuns: 500 },
  );
});

test('a payload compiled to JSON text is, run after run, the JSON of the payload with its ids mapped', () => {
  fc.assert(
    fc.property(payload, (value) => {
      let n = 0;
      for (let run = 0; run < 2; run++) {
        const ids = freshRunIds(recorded, () => `fresh-${++n}-00000000`);
        expect(substituteIdsToJson(value, ids)).toBe(JSON.stringify(substitutedAfresh(value, ids)));
      }
    }),
    { numRuns: 500 },
  );
});

test('two runs get their own ids; what holds no id is shared and frozen', () => {
  const body = { value: [{ resource: `/app/calls/${CALL}`, resourceData: { state: 'established', resultInfo: { code: 500, subcode: 7000 } } }] };
  const first = substituteIds(body, freshRunIds(recorded));
  const second = substituteIds(body, freshRunIds(recorded));
  expect(first.value[0]!.resource).not.toBe(second.value[0]!.resource);
  expect(first.value[0]!.resource).toMatch(/^\/app\/calls\/[0-9a-f-]{36}$/);
  expect(first.value[0]!.resourceData).toBe(second.value[0]!.resourceData);
  expect(Object.isFrozen(first.value[0]!.resourceData.resultInfo)).toBe(true);
  expect(() => ((first.value[0]!.resourceData as { state: string }).state = 'terminated')).toThrow(TypeError);
});

test('the spellings of one GUID share one fresh id, each kept in its own spelling (call-playprompt.md: 0fe0623f-d628-… and 0FE0623FD628…)', () => {
  const dashed = '0fe0623f-d628-42ed-b4bd-8ac290072cc5';
  const upper = '0FE0623FD62842EDB4BD8AC290072CC5';
  const ids = freshRunIds(recordedIdsOf([`/communications/calls/${CALL}/operations/${dashed}`, `/communications/calls/${CALL}/operations/${upper}`, `/operations/${OPERATION}`]));
  const fresh = ids.map.get(dashed)!;
  expect(fresh).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  expect(fresh).not.toBe(dashed);
  expect(ids.map.get(upper)).toBe(fresh.replace(/-/g, '').toUpperCase());
  // Another GUID is another operation.
  expect(ids.map.get(OPERATION)).not.toBe(fresh);
});

/** substituteString as it was written before its strings were split once (its definition). */
function substitutedByDefinition(text: string, ids: RunIds): string {
  const whole = ids.map.get(text);
  if (whole) return whole;
  const out = text.replaceAll('{call.id}', ids.callId);
  if (!out.includes('/')) return out;
  return out.replace(/[0-9A-Za-z-]{8,}/g, (token) => ids.map.get(token) ?? token);
}

test('a string split once is substituted, run after run, as the definition substitutes it', () => {
  // Call ids of any shape: a GUID, one of the recorded ids, short ones and ones with separators.
  const callId = fc.oneof(fc.uuid(), fc.constantFrom(PARTICIPANT, 'short', `with/${PARTICIPANT}`, `${PARTICIPANT} x`, `${CALL}x`));
  fc.assert(
    fc.property(text, fc.array(callId, { minLength: 2, maxLength: 2 }), (value, callIds) => {
      for (const id of callIds) {
        let n = 0;
        const ids = { ...freshRunIds(recorded, () => (n++ === 0 ? id : `fresh-${n}-00000000`)) };
        expect(substituteString(value, ids)).toBe(substitutedByDefinition(value, ids));
      }
    }),
    { numRuns: 2000 },
  );
});
