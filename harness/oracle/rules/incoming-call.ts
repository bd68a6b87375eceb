import type { GraphExchange, NotificationDelivery, TranscriptEvent } from '../../model/transcript.js';
import { deliveries, graphExchanges, isToldByGraph, notificationItems, type ProtocolRule } from './rule.js';

/** call-answer.md: "The current timeout value is 15 seconds for regular scenarios". */
export const INCOMING_CALL_TIMEOUT_MS = 15_000;

/** An incoming call is answered at most once, however often its notification arrives. */
export const answerOnce: ProtocolRule = {
  id: 'INCOMING-ANSWER-ONCE',
  level: 'MUST',
  because:
    'notifications are delivered at least once, so a duplicate notification must have no duplicate effect (graph-calling.md PART 8 S1: "exactly one /answer ... BUG: answers twice on duplicate created"); call-answer.md: the bot answers "before the call times out"',
  exercised: (transcript, { callId }) => incomingCalls(transcript, callId).length > 0,
  check: (transcript) => {
    const answers = new Map<string, number>();
    for (const e of graphExchanges(transcript)) if (e.requestKind === 'answer') answers.set(e.path, (answers.get(e.path) ?? 0) + 1);
    return [...answers].filter(([, n]) => n > 1).map(([path, n]) => ({ actual: `sent POST ${path} ${n} times`, expected: 'one answer per incoming call' }));
  },
};

/** An incoming call is answered, rejected or redirected within 15 seconds of its notification. */
export const answeredInTime: ProtocolRule = {
  id: 'INCOMING-ANSWER-IN-TIME',
  level: 'MUST',
  because:
    'call-answer.md (graph-calling.md PART 1): "The bot is expected to answer, reject, or redirect the call before the call times out. The current timeout value is 15 seconds for regular scenarios."',
  exercised: (transcript, { callId }) => incomingCalls(transcript, callId).length > 0,
  check: (transcript, { callId, endedAt }) =>
    incomingCalls(transcript, callId).flatMap(({ delivery, callPath, decision }) => {
      if (decision) {
        const after = decision.at - delivery.at;
        return after <= INCOMING_CALL_TIMEOUT_MS ? [] : [{ actual: `sent ${decision.method} ${decision.rawPath} ${Math.round(after)} ms after the incoming call`, expected: `an answer, reject or redirect within ${INCOMING_CALL_TIMEOUT_MS} ms` }];
      }
      // Undecided when the run ended: a violation only once the timeout has passed.
      if (endedAt - delivery.at < INCOMING_CALL_TIMEOUT_MS) return [];
      return [{ actual: `neither answered, rejected nor redirected ${callPath} in ${INCOMING_CALL_TIMEOUT_MS} ms`, expected: 'an answer, reject or redirect before the call times out (ignoring a call leaves the caller ringing)' }];
    }),
  undecidedUntil: (transcript, callId) => undecidedIncomingCallDeadline(transcript, callId),
};

/**
 * When the run must wait until to judge INCOMING-ANSWER-IN-TIME: the deadline of the run's
 * incoming call if the bot has not decided on it yet, else undefined. A forged incoming call the bot
 * acknowledged (a 2xx) keeps the run open as long: a bot that took it would act on it within Graph's
 * 15 s, and the scenario's expectNo can only say nothing came once that time has passed.
 */
export function undecidedIncomingCallDeadline(transcript: TranscriptEvent[], callId: string): number | undefined {
  const open = [...incomingCalls(transcript, callId).filter((c) => !c.decision).map((c) => c.delivery.at), ...acknowledgedForgeries(transcript, callId)];
  return open.length ? Math.min(...open) + INCOMING_CALL_TIMEOUT_MS : undefined;
}

/** When each forged incoming call of the run was delivered that the bot acknowledged and has not answered, rejected or redirected since. */
function acknowledgedForgeries(transcript: TranscriptEvent[], callId: string): number[] {
  const callPath = `/communications/calls/${callId}`;
  const decidedAfter = (seq: number): boolean => graphExchanges(transcript).some((e) => e.seq > seq && e.method === 'POST' && DECISIONS.has(e.requestKind ?? '') && e.path.startsWith(`${callPath}/`));
  return deliveries(transcript)
    .filter((d) => d.forged !== undefined && d.status >= 200 && d.status < 300 && incomingCallPaths(d).includes(callPath) && !decidedAfter(d.seq))
    .map((d) => d.at);
}

const DECISIONS = new Set(['answer', 'reject', 'redirect']);

/**
 * The accepted incoming-call notification of the run's call, with the bot's first answer, reject or
 * redirect of it. Incoming calls for other calls (a callback URL shared by several instances) are
 * not this bot's to decide.
 */
function incomingCalls(transcript: TranscriptEvent[], callId: string): readonly IncomingCall[] {
  // Asked by two rules, each whether exercised and to check, and while the run waits: found once per transcript as it stands.
  const known = found.get(transcript);
  if (known && known.length === transcript.length && known.last === transcript.at(-1) && known.callId === callId) return known.calls;
  const calls = findIncomingCalls(transcript, callId);
  found.set(transcript, { length: transcript.length, last: transcript.at(-1), callId, calls });
  return calls;
}

type IncomingCall = { delivery: NotificationDelivery; callPath: string; decision?: GraphExchange };
const found = new WeakMap<TranscriptEvent[], { length: number; last: TranscriptEvent | undefined; callId: string; calls: IncomingCall[] }>();

function findIncomingCalls(transcript: TranscriptEvent[], callId: string): IncomingCall[] {
  const out: Array<{ delivery: NotificationDelivery; callPath: string; decision?: GraphExchange }> = [];
  const seen = new Set<string>();
  for (const delivery of deliveries(transcript)) {
    if (!isToldByGraph(delivery)) continue;
    for (const callPath of incomingCallPaths(delivery)) {
      if (seen.has(callPath) || callPath !== `/communications/calls/${callId}`) continue; // a duplicate notification does not restart the clock
      seen.add(callPath);
      const decision = graphExchanges(transcript).find((e) => e.method === 'POST' && DECISIONS.has(e.requestKind ?? '') && e.path.startsWith(`${callPath}/`));
      out.push({ delivery, callPath, ...(decision && { decision }) });
    }
  }
  return out;
}

/** `/communications/calls/{id}` of each call a notification announces as incoming. */
function incomingCallPaths(delivery: NotificationDelivery): string[] {
  return notificationItems(delivery).flatMap((item) => {
    const n = item as { changeType?: string; resourceUrl?: string; resource?: string; resourceData?: { state?: string } };
    const data = Array.isArray(n.resourceData) ? undefined : n.resourceData;
    if (n.changeType !== 'created' || data?.state !== 'incoming') return [];
    const url = String(n.resourceUrl ?? n.resource ?? '').replace(/^\/?(app|communications)\//, '/communications/');
    return url.startsWith('/communications/calls/') ? [url.replace(/\/$/, '')] : [];
  });
}
