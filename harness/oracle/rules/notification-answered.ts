import { deliveries, type ProtocolRule } from './rule.js';

const DEADLINE_MS = 5000;

/** Every notification is acknowledged within Graph's deadline. */
export const notificationAnsweredInTime: ProtocolRule = {
  id: 'NOTIFY-ANSWER-IN-TIME',
  level: 'MUST',
  because: 'graph-calling.md 1.0, maintainer in microsoft-graph-comms-samples#191: "this means the bot didn\'t respond within 5 seconds or didn\'t answer within 15 seconds"',
  exercised: (transcript) => deliveries(transcript).length > 0,
  check: (transcript) =>
    deliveries(transcript)
      .filter((d) => d.status !== 0 && d.latencyMs > DEADLINE_MS)
      .map((d) => ({ actual: `answered notification ${d.recording} after ${Math.round(d.latencyMs)} ms`, expected: `an answer within ${DEADLINE_MS} ms (answer first, work afterwards)` })),
};
