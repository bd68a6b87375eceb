import type { Finding, TranscriptEvent } from '../../model/transcript.js';
import { notificationAnsweredInTime } from './notification-answered.js';
import { graphRequestsAuthenticated, graphRequestsSchemaValid } from './graph-requests-valid.js';
import { noRequestAfterTermination } from './terminated-call-silence.js';
import { clientContextLength, oneParticipantOnHold } from './hold-music.js';
import { groupTransferNamesTransferee } from './transfer.js';
import { answeredInTime, answerOnce } from './incoming-call.js';
import { noActionInLobby } from './lobby.js';
import { phoneIdentitiesE164 } from './phone-identities.js';
import type { ProtocolRule, RunFacts } from './rule.js';

/** The protocol rules checked in every scenario. */
export const protocolRules: ProtocolRule[] = [
  notificationAnsweredInTime,
  graphRequestsAuthenticated,
  graphRequestsSchemaValid,
  noRequestAfterTermination,
  oneParticipantOnHold,
  clientContextLength,
  groupTransferNamesTransferee,
  answerOnce,
  answeredInTime,
  noActionInLobby,
  phoneIdentitiesE164,
];

/** Applies every protocol rule to a run's transcript. */
export function judgeTranscript(transcript: TranscriptEvent[], facts: RunFacts): Finding[] {
  return protocolRules.flatMap((rule) =>
    rule.check(transcript, facts).map((f) => ({ rule: rule.id, ...f, because: rule.because, severity: rule.level === 'MUST' ? ('failure' as const) : ('warning' as const) })),
  );
}

/** The earliest time a rule still waits for (a running deadline), or undefined when every rule can judge now. */
export function undecidedUntil(transcript: TranscriptEvent[], callId: string): number | undefined {
  const due = protocolRules.flatMap((rule) => rule.undecidedUntil?.(transcript, callId) ?? []);
  return due.length ? Math.min(...due) : undefined;
}
