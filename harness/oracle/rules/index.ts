import type { Finding, TranscriptEvent } from '../../model/transcript.js';
import { notificationAcknowledged, notificationAnsweredInTime } from './notification-answered.js';
import { graphRequestsAuthenticated, graphRequestsSchemaValid } from './graph-requests-valid.js';
import { noRequestAfterTermination } from './terminated-call-silence.js';
import { clientContextLength, oneParticipantOnHold } from './hold-music.js';
import { groupTransferNamesTransferee } from './transfer.js';
import { answeredInTime, answerOnce } from './incoming-call.js';
import { noActionInLobby } from './lobby.js';
import { phoneIdentitiesE164 } from './phone-identities.js';
import type { ProtocolRule, RunFacts } from './rule.js';
import { DEFAULT_JUDGING, weightOf, type Judging } from '../judging.js';

/** The protocol rules checked in every scenario. */
export const protocolRules: ProtocolRule[] = [
  notificationAnsweredInTime,
  notificationAcknowledged,
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

/** Applies every protocol rule to a run's transcript, each finding weighed by the catalogue (rules keep their own level without one). */
export function judgeTranscript(transcript: TranscriptEvent[], facts: RunFacts, judging: Judging = DEFAULT_JUDGING): Finding[] {
  return protocolRules.flatMap((rule) => {
    const found = rule.check(transcript, facts);
    if (!found.length) return [];
    const weight = weightOf([rule.id], judging, { basis: 'document', level: rule.level });
    return found.map((f) => ({ rule: rule.id, requirements: [rule.id], ...f, because: rule.because, ...weight }));
  });
}

/** The protocol rules this run gave something to judge: the others are not judged by it. */
export function exercisedRules(transcript: TranscriptEvent[], facts: RunFacts): string[] {
  return protocolRules.filter((rule) => rule.exercised(transcript, facts)).map((rule) => rule.id);
}

/** The earliest time a rule still waits for (a running deadline), or undefined when every rule can judge now. */
export function undecidedUntil(transcript: TranscriptEvent[], callId: string): number | undefined {
  const due = protocolRules.flatMap((rule) => rule.undecidedUntil?.(transcript, callId) ?? []);
  return due.length ? Math.min(...due) : undefined;
}
