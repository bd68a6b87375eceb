import type { NotificationDelivery } from '../../model/transcript.js';
import { deliveries, type ProtocolRule } from './rule.js';

const DEADLINE_MS = 5000;
/** Errors that mean no TCP connection: an unreachable bot (exit 3), not a late one. */
const NO_CONNECTION = /^(ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|EADDRNOTAVAIL)\b/;

/** What a delivery that missed the deadline shows: a late answer, or none (the wait ran out or the bot dropped it late). */
function lateness(d: NotificationDelivery): string | undefined {
  if (d.latencyMs <= DEADLINE_MS) return undefined;
  if (d.status !== 0) return `answered notification ${d.recording} after ${Math.round(d.latencyMs)} ms`;
  if (NO_CONNECTION.test(d.error ?? '')) return undefined;
  return `gave no answer to notification ${d.recording} within ${DEADLINE_MS} ms (waited ${Math.round(d.latencyMs)} ms${d.error ? `: ${d.error}` : ''})`;
}

/** Every notification is acknowledged within Graph's deadline. */
export const notificationAnsweredInTime: ProtocolRule = {
  id: 'NOTIFY-ANSWER-IN-TIME',
  level: 'MUST',
  because: 'graph-calling.md 1.0, maintainer in microsoft-graph-comms-samples#191: "this means the bot didn\'t respond within 5 seconds or didn\'t answer within 15 seconds"',
  exercised: (transcript) => deliveries(transcript).length > 0,
  check: (transcript) =>
    deliveries(transcript).flatMap((d) => {
      const actual = lateness(d);
      return actual === undefined ? [] : [{ actual, expected: `an answer within ${DEADLINE_MS} ms (answer first, work afterwards)` }];
    }),
};

/** Why a genuine notification's answer is not an acknowledgement, or undefined when it is (or the deadline rule judges it). */
function unacknowledged(d: NotificationDelivery): string | undefined {
  if (d.forged !== undefined) return undefined; // a forged token's answer is its step's (NOTIFY-AUTH-FORGED, NOTIFY-AUTH-CLAIMS)
  if (d.redirect?.followed) return undefined; // a redirect Graph follows: the next delivery's answer is the one judged
  if (d.redirect) return `redirected notification ${d.recording} (HTTP ${d.status}) to ${d.redirect.to}, which confcall did not follow (off this machine and the profile's hosts, see notify.allowHosts; or past 5 redirects)`;
  if (d.status >= 200 && d.status < 300) return d.tooLarge ? `answered notification ${d.recording} with HTTP ${d.status} and a body longer than confcall reads` : undefined;
  if (d.status !== 0) return `answered notification ${d.recording} with HTTP ${d.status}`;
  // No answer at all (a wait past the deadline is NOTIFY-ANSWER-IN-TIME's as well); a refused connection is an unreachable bot.
  if (NO_CONNECTION.test(d.error ?? '')) return undefined;
  return `gave no answer to notification ${d.recording}${d.error ? ` (${d.error})` : ''}`;
}

/** Every genuine notification gets a 2xx answer, so that Graph neither retries it nor gives up on the call. */
export const notificationAcknowledged: ProtocolRule = {
  id: 'NOTIFY-ACKNOWLEDGED',
  level: 'SHOULD',
  because: 'graph-calling.md 5.1: "If Microsoft Graph doesn\'t receive a 2xx class code, it will retry the notification a number of times." (Graph webhooks); the samples answer 202',
  exercised: (transcript) => deliveries(transcript).some((d) => d.forged === undefined),
  check: (transcript) =>
    deliveries(transcript).flatMap((d) => {
      const actual = unacknowledged(d);
      return actual === undefined ? [] : [{ actual, expected: 'a short 2xx answer (202 Accepted, as the samples give)' }];
    }),
};
