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
