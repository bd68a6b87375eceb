/**
 * The flows real bots implement, judged by what each bot declares (issue 13 item 5): an IVR that
 * acts on tones (suites/ivr.yaml tone-*), keepAlive (suites/keep-alive.yaml), and leaving a meeting
 * when the last human has left (suites/meetings.yaml; the join bot runs those in join-bot.spec.ts). The
 * reference bot passes what it declares; a mutant of each is caught, by the check named here (the
 * join bot that stays alone: join-bot.spec.ts); a bot that does not declare a flow is not judged on it.
 */
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { confcall, portsFor, tempDir } from './support/cli.js';
import { readSummary } from './support/summary-file.js';
import { expectDeviated } from './support/mutant-deviation.js';
import { loadRecordings } from '../harness/load/load-recordings.js';
import type { GraphRequest } from '../harness/graph/fake-graph.js';
import { graphRequestKindOf } from '../harness/graph/request-schemas.js';
import { freshRunIds, recordedIdsOf } from '../harness/graph/run-ids.js';
import { replyTo, type ReplyState } from '../harness/graph/scenario-replies.js';
import { ROOT } from './support/temp-root.js';
import { describeMatcher, methodMatches, mismatch } from '../harness/oracle/request-match.js';

test.describe.configure({ mode: 'parallel' });

const SUITES = ['--suite', 'suites/ivr.yaml', '--suite', 'suites/keep-alive.yaml', '--suite', 'suites/meetings.yaml'];

async function run(entry: string, parallelIndex: number, extra: string[]) {
  const out = tempDir('confcall-flows-');
  const result = await confcall(['run', '--target', 'targets/reference-bot.yaml', '--out', out, ...extra], {
    env: { ...portsFor(parallelIndex), CONFCALL_BOT_ENTRY: entry },
    timeoutMs: 200_000,
  });
  return { ...result, out, summary: readSummary(join(out, 'summary.json')), tail: result.stdout.slice(-3000) + result.stderr };
}

test('the reference bot passes the tone, keepAlive and leave-when-alone scenarios it declares, with no finding', async ({}, testInfo) => {
  test.setTimeout(240_000);
  const { code, summary, tail } = await run('dist/bots/reference/main.js', testInfo.parallelIndex, SUITES);
  expect(code, tail).toBe(0);
  const status = (id: string) => summary.tests.find((t) => t.id === id);
  const scenarios = ['ivr/tone-menu', 'ivr/tone-once-on-redelivery', 'keep-alive/keep-alive-accepted', 'keep-alive/keep-alive-call-gone', 'keep-alive/keep-alive-after-terminated', 'meetings/leaves-when-last-human-leaves', 'meetings/stays-while-a-human-remains'];
  for (const id of scenarios.flatMap((s) => [s, `${s} · documented payload variants`])) {
    expect(status(id)?.status, id).toBe('passed');
    expect(status(id)?.findings, id).toEqual([]);
  }
  const verdict = (id: string) => summary.requirements.find((r) => r.id === id);
  for (const id of ['IVR-TONE-ACTS', 'IVR-TONE-ONCE', 'KEEPALIVE-REQUEST', 'KEEPALIVE-404-CLEANUP', 'LEAVES-WHEN-ALONE']) expect(verdict(id)?.verdict, id).toBe('pass');
});

test('a bot that does not declare a flow is not judged on it: the IVR fixture (no subscribesToTones, keepsAlive or leavesWhenAlone)', async ({}, testInfo) => {
  test.setTimeout(120_000);
  const out = tempDir('confcall-flows-na-');
  const result = await confcall(['run', '--target', 'tests/fixtures/ivr-bot/ivr-bot.yaml', '--out', out, ...SUITES], { env: portsFor(testInfo.parallelIndex, 1), timeoutMs: 100_000 });
  const summary = readSummary(join(out, 'summary.json'));
  expect(result.code, result.stdout.slice(-3000) + result.stderr).toBe(0);
  const reason = (id: string) => (summary.tests.find((t) => t.id === id) as { status: string; reason?: string } | undefined);
  expect(reason('ivr/tone-menu')).toMatchObject({ status: 'not applicable', reason: expect.stringContaining('subscribesToTones') });
  expect(reason('keep-alive/keep-alive-accepted')).toMatchObject({ status: 'not applicable', reason: expect.stringContaining('keepsAlive') });
  expect(reason('meetings/leaves-when-last-human-leaves')).toMatchObject({ status: 'not applicable' });
  expect(reason('ivr/greeting-prompt')?.status).toBe('passed');
  for (const id of ['IVR-TONE-ACTS', 'KEEPALIVE-REQUEST', 'LEAVES-WHEN-ALONE']) {
    expect(summary.requirements.find((r) => r.id === id), id).toMatchObject({ verdict: 'not judged', reason: expect.stringContaining('not applicable') });
  }
});

/** A mutant of each declared flow, the one check that catches it (a warning; a failure with --strict), and how. */
const CAUGHT = [
  {
    title: 'mutant acts-on-every-tone (a second transfer on a redelivered tone) is caught by the inferred IVR-TONE-ONCE: a warning, a failure with --strict',
    mutant: 'acts-on-every-tone', suite: 'ivr', requirement: 'IVR-TONE-ONCE', failing: 'ivr/tone-once-on-redelivery',
    weight: { basis: 'inferred' },
    // The miscount names both transfers the bot sent.
    actual: /2 time\(s\): POST \/v1\.0\/communications\/calls\/[^/]+\/transfer, POST \/v1\.0\/communications\/calls\/[^/]+\/transfer/,
    stillPassing: 'ivr/tone-menu',
  },
  {
    title: 'mutant ignores-keep-alive-404 (keeps a call Graph ended) is caught by KEEPALIVE-404-CLEANUP, a SHOULD as written: a warning, a failure with --strict',
    mutant: 'ignores-keep-alive-404', suite: 'keep-alive', requirement: 'KEEPALIVE-404-CLEANUP', failing: 'keep-alive/keep-alive-call-gone',
    weight: { basis: 'document', level: 'SHOULD' },
    actual: /sent POST \/v1\.0\/communications\/calls\/[^/]+\/keepAlive/,
    stillPassing: undefined,
  },
];

for (const { title, mutant, suite, requirement, failing, weight, actual, stillPassing } of CAUGHT) {
  test(title, async ({}, testInfo) => {
    test.setTimeout(240_000);
    const args = ['--suite', `suites/${suite}.yaml`];
    const lenient = await run(`dist/bots/mutants/${mutant}.js`, testInfo.parallelIndex, args);
    expect(lenient.code, lenient.tail).toBe(0);
    expect(lenient.summary.requirements.find((r) => r.id === requirement)?.verdict).toBe('warning');
    const strict = await run(`dist/bots/mutants/${mutant}.js`, testInfo.parallelIndex, [...args, '--strict']);
    expectDeviated(strict.out, mutant);
    expect(strict.code, strict.tail).toBe(1);
    const failed = strict.summary.tests.filter((t) => t.status === 'failed');
    expect(failed.map((t) => t.id)).toEqual([failing]);
    const finding = failed[0]!.findings.find((f) => f.severity === 'failure')!;
    expect(finding).toMatchObject({ requirements: [requirement], ...weight });
    expect((finding as { actual?: string }).actual).toMatch(actual);
    if (stillPassing) expect(strict.summary.tests.find((t) => t.id === stillPassing)?.status).toBe('passed');
  });
}

test('a scripted 404 about a call ends it in Graph\'s truth: later requests about it are answered 404, its truth is terminated', () => {
  const { recordings } = loadRecordings(join(ROOT, 'recordings'));
  const ids = freshRunIds(recordedIdsOf([]));
  const reply404 = { status: 404 };
  const state: ReplyState = {
    ids, recordings, knownCalls: new Set([ids.callId.toLowerCase()]), deletedCalls: new Set(), silentlyEnded: new Set(), truth: () => ({ resource: { state: 'established' } }),
    scripted: [{ stepIndex: 3, matches: (req) => req.path.endsWith('/keepAlive'), reply: reply404, used: false }],
  };
  const request = (tail: string): GraphRequest => {
    const path = `/communications/calls/${ids.callId}${tail}`;
    return { method: 'POST', rawPath: `/v1.0${path}`, path, version: 'v1.0', requestId: 'r', schemaProblems: [], requestKind: graphRequestKindOf('POST', path), body: undefined };
  };
  // Before: a keepAlive would be answered 200 (its documented default); the scripted one answers 404.
  expect(replyTo(request('/keepAlive'), state)).toMatchObject({ reply: { status: 404 }, stepIndex: 3 });
  expect([...state.silentlyEnded]).toEqual([ids.callId.toLowerCase()]);
  expect(replyTo(request('/keepAlive'), state).reply.status).toBe(404);
  // A participant not found says nothing of the call.
  const other: ReplyState = { ...state, deletedCalls: new Set(), silentlyEnded: new Set(), scripted: [{ stepIndex: 1, matches: () => true, reply: reply404, used: false }] };
  replyTo(request('/participants/p1/mute'), other);
  expect(other.silentlyEnded.size).toBe(0);
});

test('an expect with alternatives (or:) is met by any of them, and its messages name them all', () => {
  const matcher = { method: 'POST', path: '/communications/calls/c1/transfer', or: [{ method: 'DELETE', path: '/communications/calls/c1' }] };
  expect(mismatch(matcher, { method: 'POST', path: '/communications/calls/c1/transfer', body: {} })).toBeUndefined();
  expect(mismatch(matcher, { method: 'DELETE', path: '/communications/calls/c1', body: undefined })).toBeUndefined();
  // Neither: the first alternative's reason.
  expect(mismatch(matcher, { method: 'POST', path: '/communications/calls/c1/playPrompt', body: {} })).toBe('path /communications/calls/c1/playPrompt');
  expect(mismatch(matcher, { method: 'DELETE', path: '/communications/calls/c1/transfer', body: undefined })).toBeDefined();
  expect(describeMatcher(matcher)).toBe('POST /communications/calls/c1/transfer or DELETE /communications/calls/c1');
  expect(methodMatches(matcher, 'DELETE')).toBe(true);
  expect(methodMatches(matcher, 'GET')).toBe(false);
});
