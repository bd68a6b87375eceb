/**
 * The payload-variant audit (issue 12, class 1): a variant is documented only for the resource types
 * where a document shows its shape; on every other resource type it is a robustness variant, which
 * still runs but warns (a failure only with --strict).
 */
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { PAYLOAD_VARIANTS, RESOURCE_TYPES, allVariantModes, resourceTypeOf, variantModes, type ResourceType } from '../harness/order/payload-variants.js';
import { confcall, portsFor, tempDir } from './support/cli.js';
import { readSummary } from './support/summary-file.js';
import { expectDeviated } from './support/mutant-deviation.js';

const CALL = 'c0000000-0000-4000-8000-000000000001';

/** One item of each resource type, shaped as the documents show them (each with what the item variants can reshape). */
const ITEMS: Record<Exclude<ResourceType, 'unknown'>, Record<string, unknown>> = {
  call: {
    changeType: 'deleted',
    resourceUrl: `/communications/calls/${CALL}`,
    resourceData: { '@odata.type': '#microsoft.graph.call', state: 'terminated', resultInfo: { code: 200, subcode: 5001, message: 'The conversation has ended.' } },
  },
  participant: { changeType: 'updated', resourceUrl: `/communications/calls/${CALL}/participants`, resourceData: [{ '@odata.type': '#microsoft.graph.participant', id: 'p1' }] },
  operation: {
    changeType: 'deleted',
    resourceUrl: `communications/calls/${CALL}/operations/o1`,
    resourceData: { '@odata.type': '#microsoft.graph.playPromptOperation', status: 'completed', resultInfo: { code: 200, subcode: 0, message: 'Action completed successfully.' } },
  },
  contentSharingSession: { changeType: 'created', resourceUrl: `/communications/calls/${CALL}/contentsharingsessions`, resourceData: [{ '@odata.type': '#microsoft.graph.contentSharingSession', id: 's1' }] },
};
// A participant and a content sharing session sent as one object: what resource-data-collection and unknown-members could reshape.
const OBJECT_ITEMS: Record<string, Record<string, unknown>> = {
  participant: { ...ITEMS.participant, resourceData: { '@odata.type': '#microsoft.graph.participant', id: 'p1' } },
  contentSharingSession: { ...ITEMS.contentSharingSession, resourceData: { '@odata.type': '#microsoft.graph.contentSharingSession', id: 's1' } },
};

test('resourceTypeOf: from resourceUrl (with or without slash, /app form), else from the @odata.type of resourceData', () => {
  expect(resourceTypeOf({ resourceUrl: `/communications/calls/${CALL}` })).toBe('call');
  expect(resourceTypeOf({ resourceUrl: `communications/calls/${CALL}/` })).toBe('call');
  expect(resourceTypeOf({ resource: `/app/calls/${CALL}` })).toBe('call');
  expect(resourceTypeOf({ resourceUrl: `/communications/calls/${CALL}/participants` })).toBe('participant');
  expect(resourceTypeOf({ resourceUrl: `/communications/calls/${CALL}/operations/o1` })).toBe('operation');
  expect(resourceTypeOf({ resourceUrl: `/communications/calls/${CALL}/operations/participants` })).toBe('operation'); // participant-invite.md Example 2's quirk
  expect(resourceTypeOf({ resourceUrl: `/communications/calls/${CALL}/contentsharingsessions` })).toBe('contentSharingSession');
  expect(resourceTypeOf({ resourceUrl: `/communications/calls/${CALL}/contentSharingSessions/s1` })).toBe('contentSharingSession');
  expect(resourceTypeOf({ resourceUrl: `/communications/calls/${CALL}/audioRoutingGroups/a` })).toBe('unknown');
  expect(resourceTypeOf({ resourceData: { '@odata.type': '#microsoft.graph.call' } })).toBe('call');
  expect(resourceTypeOf({ resourceData: [{ '@odata.type': '#microsoft.graph.deltaParticipants' }] })).toBe('participant');
  expect(resourceTypeOf({ resourceData: { '@odata.type': '#microsoft.graph.startHoldMusicOperation' } })).toBe('operation');
  expect(resourceTypeOf({ resourceData: [{ '@odata.type': '#microsoft.graph.contentSharingSession' }] })).toBe('contentSharingSession');
  expect(resourceTypeOf({ changeType: 'updated' })).toBe('unknown');
  expect(resourceTypeOf('not an item')).toBe('unknown');
});

/** The audit: per variant, the resource types it is documented for (each with a citation). */
const DOCUMENTED_FOR: Record<string, ResourceType[]> = {
  'resource-url-slash': ['operation'],
  'deprecated-resource': ['call', 'participant', 'operation'],
  'codes-as-strings': ['call'],
  'subcode-casing': ['call'],
  'unknown-members': ['call', 'participant', 'operation', 'contentSharingSession'],
  'unknown-enum-values': ['call'],
  'operation-status-casing': ['operation'],
  'resource-data-collection': ['participant', 'contentSharingSession'],
  batched: ['call', 'participant', 'operation', 'contentSharingSession'],
  'unknown-call-beside': [],
};

test('every variant says its basis and the resource types it is documented for, each with a citation', () => {
  expect(Object.fromEntries(PAYLOAD_VARIANTS.map((v) => [v.id, v.documentedFor.map((d) => d.resource)]))).toEqual(DOCUMENTED_FOR);
  for (const v of PAYLOAD_VARIANTS) {
    expect(v.basis, v.id).toBe(v.documentedFor.length ? 'document' : 'robustness');
    for (const d of v.documentedFor) expect(d.cite, `${v.id} on ${d.resource}`).toMatch(/\.(txt|md|xml)\b/);
    expect(v.because.length, v.id).toBeGreaterThan(40);
  }
});

test('the robustness runs are the shapes on the resource types no document shows them for', () => {
  const robustness = allVariantModes().filter((m) => m.mode === 'robustness').map((m) => m.id);
  expect(robustness).toEqual([
    'resource-url-slash (robustness)', // on call, participant, contentSharingSession
    'deprecated-resource (robustness)', // on contentSharingSession
    'codes-as-strings (robustness)', // on operation
    'subcode-casing (robustness)', // on operation
    'unknown-enum-values (robustness)', // on operation
    'operation-status-casing (robustness)', // on call, participant, contentSharingSession: none has a status, so it reshapes nothing there
    'resource-data-collection (robustness)', // on call, operation
    'unknown-call-beside (robustness)', // a call the bot does not hold: no document shows one
  ]);
  expect(allVariantModes().filter((m) => m.mode === 'documented').map((m) => m.id)).toEqual(PAYLOAD_VARIANTS.filter((v) => v.basis === 'document').map((v) => v.id));
});

/** Which resource types a mode changes, each item alone in a body. */
function changedTypes(apply: (body: unknown) => unknown, items: Record<string, Record<string, unknown>>): string[] {
  return Object.entries(items)
    .filter(([, item]) => JSON.stringify(apply({ value: [item] })) !== JSON.stringify({ value: [item] }))
    .map(([type]) => type)
    .sort();
}

for (const variant of PAYLOAD_VARIANTS.filter((v) => v.shapeItem)) {
  test(`${variant.id}: documented mode changes only ${DOCUMENTED_FOR[variant.id]!.join(', ')}; robustness mode only the others`, () => {
    const modes = variantModes(variant);
    const documented = modes.find((m) => m.mode === 'documented')!;
    const robustness = modes.find((m) => m.mode === 'robustness');
    const allItems = { ...ITEMS, ...Object.fromEntries(Object.entries(OBJECT_ITEMS).map(([t, i]) => [`${t} (object)`, i])) };
    const byType = (types: string[]) => types.map((t) => t.replace(' (object)', ''));
    const changedDocumented = byType(changedTypes(documented.apply, allItems));
    for (const type of changedDocumented) expect(DOCUMENTED_FOR[variant.id], `${variant.id} changed a ${type} in documented mode`).toContain(type);
    expect(changedDocumented.length, `${variant.id} changes something in documented mode`).toBeGreaterThan(0);
    if (robustness) {
      const changedRobust = byType(changedTypes(robustness.apply, allItems));
      for (const type of changedRobust) expect(DOCUMENTED_FOR[variant.id], `${variant.id} (robustness) changed a documented ${type}`).not.toContain(type);
    }
    // Together the two modes are the whole shape.
    const both = (body: unknown) => (robustness ? robustness.apply(documented.apply(body)) : documented.apply(body));
    const everything = { value: Object.values(allItems) };
    expect(both(everything)).toEqual(variant.apply(everything));
  });
}

test('the audit on the documents\' own items: what each documented mode changes', () => {
  const documented = Object.fromEntries(allVariantModes().filter((m) => m.shapeItem && m.mode === 'documented').map((m) => [m.id, changedTypes(m.apply, ITEMS)]));
  expect(documented).toEqual({
    'resource-url-slash': ['operation'],
    'deprecated-resource': ['call', 'operation', 'participant'],
    'codes-as-strings': ['call'],
    'subcode-casing': ['call'],
    'unknown-members': ['call', 'contentSharingSession', 'operation', 'participant'],
    'unknown-enum-values': ['call'],
    'operation-status-casing': ['operation'],
    'resource-data-collection': [], // rosters and content sharing sessions already are collections
  });
  const robustness = Object.fromEntries(allVariantModes().filter((m) => m.shapeItem && m.mode === 'robustness').map((m) => [m.variantId, changedTypes(m.apply, ITEMS)]));
  expect(robustness).toEqual({
    'resource-url-slash': ['call', 'contentSharingSession', 'participant'],
    'deprecated-resource': ['contentSharingSession'],
    'codes-as-strings': ['operation'],
    'subcode-casing': ['operation'],
    'unknown-enum-values': ['operation'],
    'operation-status-casing': [],
    'resource-data-collection': ['call', 'operation'],
  });
  expect(RESOURCE_TYPES).toEqual(['call', 'participant', 'operation', 'contentSharingSession']);
});

test('a bot failing only a robustness variant gets exit 0 with a warning, and exit 1 with --strict', async ({}, testInfo) => {
  test.slow();
  const id = 'incoming-call/answer · documented payload variants';
  // bots/mutants/reads-call-data-as-object.ts: reads a call update's resourceData as one object (its one defect).
  const env = { ...portsFor(testInfo.parallelIndex, 3), CONFCALL_BOT_ENTRY: 'dist/bots/mutants/reads-call-data-as-object.js' };
  const args = ['run', '--target', 'targets/reference-bot.yaml', '--suite', 'suites/incoming-call.yaml', '--grep', 'answer · documented payload variants'];

  const lenientOut = tempDir('confcall-variants-');
  const lenient = await confcall([...args, '--out', lenientOut], { env });
  expect(lenient.code, lenient.stdout).toBe(0);
  const warned = readSummary(join(lenientOut, 'summary.json')).tests.find((t) => t.id === id)!;
  expect(warned.status).toBe('passed');
  expect(warned.findings.length).toBeGreaterThan(0);
  // A robustness finding names no requirement: under what the documents show, the bot kept them all.
  for (const f of warned.findings) expect(f).toMatchObject({ severity: 'warning', basis: 'inferred', level: 'SHOULD', requirements: [] });
  expect(readSummary(join(lenientOut, 'summary.json')).requirements.filter((r) => r.verdict !== 'pass' && r.verdict !== 'not judged')).toEqual([]);

  const strictOut = tempDir('confcall-variants-');
  const strict = await confcall([...args, '--strict', '--out', strictOut], { env });
  expectDeviated(strictOut, 'reads-call-data-as-object');
  expect(strict.code, strict.stdout).toBe(1);
  const failed = readSummary(join(strictOut, 'summary.json')).tests.find((t) => t.id === id)!;
  expect(failed.status).toBe('failed');
  expect(failed.findings.some((f) => f.severity === 'failure' && f.basis === 'inferred')).toBe(true);
  expect(strict.stdout).toContain('with payload variant resource-data-collection (robustness)');
  // Only the robustness variant: every documented variant of the scenario still passes.
  expect(strict.stdout).not.toMatch(/with payload variant [a-z-]+ \((?!robustness)/);
});
