/**
 * Where the documents allow a choice of shape, every documented choice passes: an answer may accept
 * any documented modalities, and a call's resourceData is never sent as a collection (no document shows one).
 */
import { test, expect } from '@playwright/test';
import { firstDifference } from '../harness/oracle/json-subset.js';
import { PAYLOAD_VARIANTS, variantModes } from '../harness/order/payload-variants.js';

const MODALITIES = { acceptedModalities: { $subsetOf: ['audio', 'video', 'videoBasedScreenSharing'] } };

test('$subsetOf: any non-empty list of the allowed values matches, in any order; another value or an empty list does not', () => {
  expect(firstDifference(MODALITIES, { acceptedModalities: ['audio'] })).toBeUndefined();
  // Before, the expectation was the example's [audio] exactly, and this answer failed.
  expect(firstDifference(MODALITIES, { acceptedModalities: ['video', 'audio'] })).toBeUndefined();
  expect(firstDifference(MODALITIES, { acceptedModalities: ['audio', 'hologram'] })).toBe('acceptedModalities: "hologram" is not one of ["audio","video","videoBasedScreenSharing"]');
  expect(firstDifference(MODALITIES, { acceptedModalities: [] })).toMatch(/acceptedModalities: expected at least one of/);
  expect(firstDifference(MODALITIES, {})).toMatch(/acceptedModalities: missing/);
});

test('$contains: the expected items in any order, others allowed', () => {
  const expected = { targets: { $contains: [{ identity: { user: { id: 'u1' } } }] } };
  expect(firstDifference(expected, { targets: [{ identity: { user: { id: 'u2' } } }, { identity: { user: { id: 'u1' }, displayName: 'x' } }] })).toBeUndefined();
  expect(firstDifference(expected, { targets: [{ identity: { user: { id: 'u2' } } }] })).toMatch(/targets: expected a list containing/);
  // A plain list still means: these items, in this order, no others.
  expect(firstDifference({ modalities: ['audio'] }, { modalities: ['audio', 'video'] })).toBe('modalities: expected 1 item(s), got 2');
});

test('the resource-data-collection variant wraps only what the documents show as a collection', () => {
  const variant = variantModes(PAYLOAD_VARIANTS.find((v) => v.id === 'resource-data-collection')!).find((m) => m.mode === 'documented')!;
  const item = (resourceUrl: string) => ({ changeType: 'updated', resourceUrl, resourceData: { id: 'x' } });
  const body = { value: [item('/communications/calls/c1'), item('/communications/calls/c1/operations/o1'), item('/communications/calls/c1/participants'), item('communications/calls/c1/contentSharingSessions/s1')] };
  const shaped = (variant.apply(body) as { value: Array<{ resourceData: unknown }> }).value.map((i) => Array.isArray(i.resourceData));
  // Before, the call and the operation were wrapped too: a bot reading call updates as objects failed every variant test.
  expect(shaped).toEqual([false, false, true, true]);
  // Wrapping them is still tried, as a robustness variant (a warning, a failure only with --strict).
  const robustness = variantModes(PAYLOAD_VARIANTS.find((v) => v.id === 'resource-data-collection')!).find((m) => m.mode === 'robustness')!;
  expect((robustness.apply(body) as { value: Array<{ resourceData: unknown }> }).value.map((i) => Array.isArray(i.resourceData))).toEqual([true, true, false, false]);
});
