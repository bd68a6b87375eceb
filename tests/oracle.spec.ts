import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { firstDifference } from '../harness/oracle/json-subset.js';
import { pathMatches } from '../harness/oracle/request-match.js';
import { hungUpByBot, probeDifference } from '../harness/oracle/probe-match.js';
import { undecidedIncomingCallDeadline } from '../harness/oracle/rules/incoming-call.js';
import { exercisedRules, judgeTranscript } from '../harness/oracle/rules/index.js';
import { createRunIds, substituteIds } from '../harness/graph/run-ids.js';
import { deepMerge } from '../harness/run/scenario-run.js';
import { applyNotificationToTruth } from '../harness/graph/call-truth.js';
import { convergenceDifference } from '../harness/oracle/convergence.js';
import type { GraphExchange, NotificationDelivery } from '../harness/model/transcript.js';

const recording = (id: string): { body: unknown } => JSON.parse(readFileSync(new URL(`../recordings/${id}.json`, import.meta.url), 'utf8'));

test.describe('subset matching', () => {
  test('extra members in the actual body are fine; a different value is named by its path', () => {
    expect(firstDifference({ a: { b: 1 } }, { a: { b: 1, c: 2 }, d: 3 })).toBeUndefined();
    expect(firstDifference({ a: { b: 1 } }, { a: { b: '1' } })).toBe('a.b: expected 1, got "1"');
    expect(firstDifference({ a: [1, 2] }, { a: [1] })).toBe('a: expected 2 item(s), got 1');
    expect(firstDifference({ transferee: { id: 'x' } }, {})).toBe('transferee: missing (expected {"id":"x"})');
  });
  test('ignored paths are not compared', () => {
    expect(firstDifference({ callbackUri: 'https://bot.contoso.com', x: 1 }, { callbackUri: 'http://127.0.0.1', x: 1 }, ['callbackUri'])).toBeUndefined();
  });
});

test('path patterns: * is one segment, ** any rest, case-insensitive like Graph', () => {
  expect(pathMatches('/communications/calls/*/transfer', '/communications/calls/abc/transfer')).toBe(true);
  expect(pathMatches('/communications/calls/*/transfer', '/communications/calls/a/b/transfer')).toBe(false);
  expect(pathMatches('/communications/calls/abc**', '/communications/calls/abc')).toBe(true);
  expect(pathMatches('/communications/calls/abc/**', '/communications/calls/abc/participants/p/startHoldMusic')).toBe(true);
  expect(pathMatches('/communications/calls/abc/answer', '/communications/calls/ABC/Answer')).toBe(true);
});

test('probe views: state, resultInfo and participants are compared, extra participants only when exact', () => {
  const view = { state: 'established', resultInfo: { code: 500, subcode: 7000 }, participants: [{ id: 'p1', isInLobby: false, isMuted: true }, { id: 'p2', isInLobby: false, isMuted: false }] };
  expect(probeDifference({ state: 'established', resultInfo: { subcode: 7000 } }, view)).toBeUndefined();
  expect(probeDifference({ state: 'terminated' }, view)).toBe('state "established"');
  expect(probeDifference({ resultInfo: { subcode: 7700 } }, view)).toMatch(/^resultInfo.subcode 7000/);
  expect(probeDifference({ participants: [{ id: 'p1', isMuted: true }] }, view)).toBeUndefined();
  expect(probeDifference({ participants: [{ id: 'p1' }], exactParticipants: true }, view)).toBe('participants that should not be there: p2');
  expect(probeDifference({ participants: [{ id: 'p3' }] }, view)).toBe('no participant p3 (participants: p1, p2)');
});

test('a bot that hung up itself may say the call is ending; a bot that ends a call Graph holds, without hanging up, may not', () => {
  const hangUp = (status: number, path = '/communications/calls/Call-1') => ({ method: 'DELETE', path, response: { status } });
  expect(hungUpByBot([hangUp(204)], 'call-1')).toBe(true); // ids compare as Graph does, case-insensitively
  expect(hungUpByBot([hangUp(404)], 'call-1')).toBe(false); // Graph refused: the call goes on
  expect(hungUpByBot([hangUp(204, '/communications/calls/call-1/participants/p1')], 'call-1')).toBe(false);
  expect(hungUpByBot([{ method: 'POST', path: '/communications/calls/call-1/transfer', response: { status: 202 } }], 'call-1')).toBe(false);
  // The probe after a prompt completes expects `established`: an announcement bot that hung up and says so agrees.
  expect(probeDifference({ state: 'established' }, { state: 'terminating' }, true)).toBeUndefined();
  expect(probeDifference({ state: 'established' }, { state: 'terminated' }, true)).toBeUndefined();
  expect(probeDifference({ state: 'established' }, { state: 'established' }, true)).toBeUndefined(); // it waits for Graph's notification
  // Without its own hang-up, a view that ends the call is wrong (the hangs-up-on-any-deletion defect).
  expect(probeDifference({ state: 'established' }, { state: 'terminated' }, false)).toBe('state "terminated"');
  // Its hang-up explains an ending call, nothing else: not another live state, not "terminating" once Graph said terminated.
  expect(probeDifference({ state: 'established' }, { state: 'hold' }, true)).toBe('state "hold"');
  expect(probeDifference({ state: 'terminated' }, { state: 'terminating' }, true)).toBe('state "terminating"');
  const truth = { resource: { state: 'established' } };
  expect(convergenceDifference(truth, { state: 'terminated' }, true)).toBeUndefined();
  expect(convergenceDifference(truth, { state: 'terminated' })).toBe('state "terminated" where Graph holds "established"');
  expect(convergenceDifference({ resource: { state: 'terminated' } }, { state: 'terminating' }, true)).toBe('state "terminating" where Graph holds "terminated"');
});

test.describe('run ids', () => {
  test('every call id of a scenario becomes the run\'s call; participants get fresh ids; identities stay', () => {
    const establishing = recording('create-call/notification-establishing').body;
    const established = recording('create-call/notification-established').body; // documented with another call id
    const roster = recording('create-call/notification-roster').body;
    let n = 0;
    const ids = createRunIds([establishing, established, roster], () => `fresh-${++n}-0000`);
    const [a, b, r] = substituteIds([establishing, established, roster], ids) as any[];
    expect(a.value[0].resourceUrl).toBe(`/communications/calls/${ids.callId}`);
    expect(b.value[0].resourceUrl).toBe(`/communications/calls/${ids.callId}`);
    expect(b.value[0].resourceData.id).toBe(ids.callId);
    expect(r.value[0].resourceData[0].id).toMatch(/^fresh-\d+-0000$/);
    expect(r.value[0].resourceData[0].id).not.toBe(ids.callId);
    expect(r.value[0].resourceData[0].info.identity.user.id).toBe('112f7296-5fa4-42ca-bae8-6a692b15d4b8');
  });
  test('templates and recorded ids inside paths are replaced', () => {
    const ids = createRunIds(['/calls/{call.id}/participants/fa1e9582-7145-4ca3-bcd8-577f561fcb6e/startHoldMusic'], () => 'f00dcafe-1');
    expect(substituteIds('/communications/calls/{call.id}/participants/fa1e9582-7145-4ca3-bcd8-577f561fcb6e/startHoldMusic', ids)).toBe(`/communications/calls/${ids.callId}/participants/f00dcafe-1/startHoldMusic`);
  });
});

test('patches merge into objects member by member and into lists item by item', () => {
  expect(deepMerge({ value: [{ a: 1, b: { c: 2 } }, { z: 1 }] }, { value: [{ b: { c: 3 } }] })).toEqual({ value: [{ a: 1, b: { c: 3 } }, { z: 1 }] });
});

test.describe('protocol rules', () => {
  const exchange = (seq: number, method: string, path: string, extra: Partial<GraphExchange> = {}): GraphExchange => ({
    type: 'graph', seq, at: seq, method, rawPath: `/v1.0${path}`, path, version: 'v1.0', schemaProblems: [], response: { status: 202, headers: {} }, ...extra,
  });
  const delivery = (seq: number, body: unknown): NotificationDelivery => ({ type: 'notification', seq, at: seq, stepIndex: 0, recording: 'r', url: 'u', body, status: 202, latencyMs: 1 });
  const terminated = { value: [{ changeType: 'deleted', resourceUrl: '/communications/calls/c1', resourceData: { state: 'terminated' } }] };

  test('a request about a call after it terminated is a finding; before is not', () => {
    const findings = judgeTranscript([exchange(1, 'POST', '/communications/calls/c1/transfer'), delivery(2, terminated), exchange(3, 'DELETE', '/communications/calls/c1')], { callId: 'c1', appId: 'app', endedAt: 0 });
    expect(findings.map((f) => f.rule)).toEqual(['CALL-TERMINATED-FINAL']);
    expect(findings[0]!.actual).toContain('DELETE /v1.0/communications/calls/c1');
  });
  test('a second participant on hold before the first is released is a finding', () => {
    const hold = (seq: number, p: string, action: string) => exchange(seq, 'POST', `/communications/calls/c1/participants/${p}/${action}`);
    expect(judgeTranscript([hold(1, 'a', 'startHoldMusic'), hold(2, 'a', 'stopHoldMusic'), hold(3, 'b', 'startHoldMusic')], { callId: 'c1', appId: 'app', endedAt: 0 })).toEqual([]);
    expect(judgeTranscript([hold(1, 'a', 'startHoldMusic'), hold(2, 'b', 'startHoldMusic')], { callId: 'c1', appId: 'app', endedAt: 0 }).map((f) => f.rule)).toEqual(['HOLD-ONE-AT-A-TIME']);
  });
  test('answering one incoming call twice is a finding', () => {
    const answer = (seq: number) => exchange(seq, 'POST', '/communications/calls/c1/answer', { requestKind: 'answer' });
    expect(judgeTranscript([answer(1), answer(2)], { callId: 'c1', appId: 'app', endedAt: 0 }).map((f) => f.rule)).toEqual(['INCOMING-ANSWER-ONCE']);
  });
  test('an incoming call must be answered, rejected or redirected within 15 s; undecided only counts once 15 s have passed', () => {
    const incoming = { value: [{ changeType: 'created', resourceUrl: '/communications/calls/c1', resourceData: { '@odata.type': '#microsoft.graph.call', state: 'incoming' } }] };
    const decide = (at: number, kind: string) => exchange(at, 'POST', `/communications/calls/c1/${kind}`, { requestKind: kind });
    const facts = (endedAt: number) => ({ callId: 'c1', appId: 'app', endedAt });
    expect(judgeTranscript([delivery(1, incoming), decide(14_000, 'answer')], facts(20_000))).toEqual([]);
    expect(judgeTranscript([delivery(1, incoming), decide(12_000, 'reject')], facts(20_000))).toEqual([]);
    expect(judgeTranscript([delivery(1, incoming), decide(16_002, 'answer')], facts(20_000)).map((f) => f.rule)).toEqual(['INCOMING-ANSWER-IN-TIME']);
    expect(judgeTranscript([delivery(1, incoming)], facts(9_000))).toEqual([]);
    const ignored = judgeTranscript([delivery(1, incoming)], facts(15_001));
    expect(ignored.map((f) => f.rule)).toEqual(['INCOMING-ANSWER-IN-TIME']);
    expect(ignored[0]!.actual).toContain('neither answered, rejected nor redirected /communications/calls/c1');
    expect(undecidedIncomingCallDeadline([delivery(1, incoming)], 'c1')).toBe(15_001);
    expect(undecidedIncomingCallDeadline([delivery(1, incoming), decide(2, 'answer')], 'c1')).toBeUndefined();
    // A forged incoming call the bot acknowledged and dropped (answer first, validate afterwards) is no call Graph announced.
    expect(judgeTranscript([{ ...delivery(1, incoming), forged: 'bad-signature' }], facts(20_000))).toEqual([]);
    // ... but a bot that took it would answer within 15 s: the run stays open that long, so its expectNo judges on evidence.
    expect(undecidedIncomingCallDeadline([{ ...delivery(1, incoming), forged: 'expired' }], 'c1')).toBe(15_001);
    expect(undecidedIncomingCallDeadline([{ ...delivery(1, incoming), forged: 'expired' }, decide(40, 'answer')], 'c1')).toBeUndefined();
    expect(undecidedIncomingCallDeadline([{ ...delivery(1, incoming), forged: 'expired', status: 401 }], 'c1')).toBeUndefined();
    const otherCall = { value: [{ ...incoming.value[0], resourceUrl: '/communications/calls/c2' }] };
    expect(judgeTranscript([delivery(1, otherCall)], facts(20_000))).toEqual([]); // not this bot's call to decide
    expect(undecidedIncomingCallDeadline([delivery(1, otherCall)], 'c1')).toBeUndefined();
  });
  test('while the bot itself is in the lobby, a POST about the call is a finding; leaving, keepAlive and acting after admission are not', () => {
    const created = exchange(1, 'POST', '/communications/calls', { requestKind: 'createCall', response: { status: 201, headers: {}, body: { myParticipantId: 'me' } } });
    const roster = (at: number, isInLobby: boolean) => delivery(at, { value: [{ changeType: 'updated', resourceUrl: '/communications/calls/c1/participants', resourceData: [{ id: 'me', isInLobby }] }] });
    const hold = (at: number) => exchange(at, 'POST', '/communications/calls/c1/participants/p/startHoldMusic');
    const facts = { callId: 'c1', appId: 'app', endedAt: 100 };
    expect(judgeTranscript([created, roster(2, true), exchange(3, 'DELETE', '/communications/calls/c1'), roster(4, false), hold(5)], facts)).toEqual([]);
    // call-keepalive.md: one keepAlive "within 45 minutes of the previous request, or the start of the call": a long lobby wait needs it.
    const keepAlive = (at: number) => exchange(at, 'POST', '/communications/calls/c1/keepAlive', { requestKind: 'keepAlive' });
    expect(judgeTranscript([created, roster(2, true), keepAlive(3)], facts)).toEqual([]);
    const acted = judgeTranscript([created, roster(2, true), hold(3)], facts);
    expect(acted.map((f) => f.rule)).toEqual(['LOBBY-WAIT']);
    expect(acted[0]!.actual).toContain('while its own participant me was in the lobby');
  });
  test('a phone identity that is not E.164 is a finding, wherever it is in the body', () => {
    const create = (id: unknown) => exchange(1, 'POST', '/communications/calls', { requestKind: 'createCall', body: { targets: [{ identity: { phone: { id } } }] } });
    const facts = { callId: 'c1', appId: 'app', endedAt: 0 };
    expect(judgeTranscript([create('+12345678901')], facts)).toEqual([]);
    for (const bad of ['12345678901', '+0123', '+1 234 567', 12345678901]) expect(judgeTranscript([create(bad)], facts).map((f) => f.rule)).toEqual(['PHONE-E164']);
  });
  test('a request without a valid bearer token is a finding', () => {
    expect(judgeTranscript([exchange(1, 'POST', '/communications/calls', { authProblem: 'no Authorization header' })], { callId: 'c1', appId: 'app', endedAt: 0 }).map((f) => f.rule)).toEqual(['GRAPH-BEARER-TOKEN']);
  });
});

test.describe('Graph truth and convergence', () => {
  const call = (state: string, extra: object = {}) => ({ value: [{ changeType: 'updated', resourceUrl: '/communications/calls/c1', resourceData: { '@odata.type': '#microsoft.graph.call', state, ...extra } }] });
  const delta = (sequenceNumber: number, participants: object[]) => ({ value: [{ changeType: 'updated', resourceUrl: '/communications/calls/c1/participants', resourceData: [{ '@odata.type': '#microsoft.graph.deltaParticipants', sequenceNumber, participants }] }] });

  test('the call state only moves forward along its life, and a failed transfer is established again', () => {
    const fold = (...bodies: unknown[]) => bodies.reduce((t: ReturnType<typeof applyNotificationToTruth>, b) => applyNotificationToTruth(t, b, 'c1'), {});
    expect(fold(call('established'), call('establishing')).resource?.state).toBe('established');
    expect(fold(call('established'), call('transferring'), call('established', { resultInfo: { code: 500, subCode: 7000 } })).resource?.state).toBe('established');
    expect(fold(call('terminated'), call('established')).resource?.state).toBe('terminated');
  });

  test('a stale delta changes nothing; removedState removes; the view must match', () => {
    let truth = applyNotificationToTruth({}, delta(2, [{ id: 'p1', isMuted: false, rosterSequenceNumber: 2 }, { id: 'p2', removedState: { reason: 'left' }, rosterSequenceNumber: 2 }]), 'c1');
    truth = applyNotificationToTruth(truth, delta(1, [{ id: 'p1', isMuted: true, rosterSequenceNumber: 1 }, { id: 'p2', rosterSequenceNumber: 1 }]), 'c1');
    expect(convergenceDifference(truth, { participants: [{ id: 'p1', isInLobby: false, isMuted: false }] })).toBeUndefined();
    expect(convergenceDifference(truth, { participants: [{ id: 'p1', isInLobby: false, isMuted: true }] })).toBe('participant p1 isMuted true where Graph holds false');
    expect(convergenceDifference(truth, { participants: [{ id: 'p1', isInLobby: false, isMuted: false }, { id: 'p2', isInLobby: false, isMuted: false }] })).toBe("participants Graph's roster does not hold: p2");
  });
});

test.describe('NOTIFY-ANSWER-IN-TIME', () => {
  const sent = (status: number, latencyMs: number, error?: string): NotificationDelivery => ({ type: 'notification', seq: 1, at: 0, stepIndex: 0, recording: 'incoming-call/notification-incoming', url: 'u', body: { value: [] }, status, latencyMs, error });
  const rules = (d: NotificationDelivery): string[] => judgeTranscript([d], { callId: 'c1', appId: 'app', endedAt: 0 }).map((f) => f.rule);
  test('no answer within the deadline (the wait ran out) is a failure of the deadline, not a pass', () => {
    const findings = judgeTranscript([sent(0, 10_003, 'UND_ERR_HEADERS_TIMEOUT: Headers Timeout Error')], { callId: 'c1', appId: 'app', endedAt: 0 });
    expect(findings.map((f) => f.rule)).toEqual(['NOTIFY-ANSWER-IN-TIME', 'NOTIFY-ACKNOWLEDGED']);
    expect(findings[0]!.actual).toMatch(/no answer .* within 5000 ms/);
  });
  test('a late answer fails, an answer in time passes, a refused connection is left to "unreachable"', () => {
    expect(rules(sent(202, 6000))).toEqual(['NOTIFY-ANSWER-IN-TIME']);
    expect(rules(sent(202, 40))).toEqual([]);
    expect(rules(sent(0, 2, 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:3978'))).toEqual([]);
  });
});

test.describe('NOTIFY-ACKNOWLEDGED', () => {
  const sent = (status: number, extra: Partial<NotificationDelivery> = {}): NotificationDelivery => ({ type: 'notification', seq: 1, at: 0, stepIndex: 0, recording: 'incoming-call/notification-incoming', url: 'u', body: { value: [] }, status, latencyMs: 3, ...extra });
  const acknowledged = (...d: NotificationDelivery[]) => judgeTranscript(d, { callId: 'c1', appId: 'app', endedAt: 0 }).filter((f) => f.rule === 'NOTIFY-ACKNOWLEDGED');
  test('any 2xx acknowledges; another status, a reset connection or a long body does not', () => {
    for (const status of [200, 202, 204]) expect(acknowledged(sent(status))).toEqual([]);
    expect(acknowledged(sent(500))[0]).toMatchObject({ requirements: ['NOTIFY-ACKNOWLEDGED'], actual: 'answered notification incoming-call/notification-incoming with HTTP 500' });
    expect(acknowledged(sent(302))).toHaveLength(1);
    expect(acknowledged(sent(0, { error: 'ECONNRESET: socket hang up' }))[0]!.actual).toMatch(/gave no answer .*ECONNRESET/);
    expect(acknowledged(sent(202, { tooLarge: true }))).toHaveLength(1);
  });
  test("a forged notification's answer and a refused connection are other checks'; no answer by the deadline is both rules'", () => {
    expect(acknowledged(sent(401, { forged: 'expired' }), sent(500, { forged: 'alg-none' }))).toEqual([]);
    expect(acknowledged(sent(0, { error: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:3978' }))).toEqual([]);
    expect(acknowledged(sent(0, { latencyMs: 10_003, error: 'UND_ERR_HEADERS_TIMEOUT' }))).toHaveLength(1);
    expect(acknowledged(sent(202, { latencyMs: 6000 }))).toEqual([]); // late, but acknowledged: NOTIFY-ANSWER-IN-TIME's alone
  });
  test('a redirect confcall followed is judged by the answer at its end; one it did not follow warns with where it pointed', () => {
    expect(acknowledged(sent(307, { redirect: { to: 'http://127.0.0.1:4000/api/calls', followed: true } }), sent(202))).toEqual([]);
    expect(acknowledged(sent(302, { redirect: { to: 'https://bot.example.com/api/calls', followed: false } }))[0]!.actual).toMatch(/to https:\/\/bot\.example\.com\/api\/calls, which confcall did not follow/);
  });
  test('judged only in a run that delivered a genuine notification', () => {
    expect(exercisedRules([sent(401, { forged: 'none' })], { callId: 'c1', appId: 'app', endedAt: 0 })).not.toContain('NOTIFY-ACKNOWLEDGED');
    expect(exercisedRules([sent(202)], { callId: 'c1', appId: 'app', endedAt: 0 })).toContain('NOTIFY-ACKNOWLEDGED');
  });
});
