import type { Finding, GraphExchange, NotificationDelivery, TranscriptEvent } from '../../model/transcript.js';

/** Facts about the run a rule may need beyond the transcript. */
export interface RunFacts {
  /** The run's call id. */
  callId: string;
  /** The bot's app id (its identity in rosters). */
  appId: string;
  /** Milliseconds since the run started, when it was judged (same clock as the transcript's `at`). */
  endedAt: number;
}

/** A protocol rule every bot must keep, whatever the scenario. */
export interface ProtocolRule {
  /** Requirement id, e.g. `HOLD-ONE-AT-A-TIME`. */
  id: string;
  level: 'MUST' | 'SHOULD';
  /** The document sentence the rule comes from (quoted, with its file), and an English gloss. */
  because: string;
  check(transcript: TranscriptEvent[], facts: RunFacts): Array<Pick<Finding, 'actual' | 'expected'>>;
  /**
   * Whether the run gave the rule anything to judge (a hold request, a phone identity, an
   * incoming call): a rule that nothing exercised is `not judged`, never passed.
   */
  exercised(transcript: TranscriptEvent[], facts: RunFacts): boolean;
  /**
   * When the rule can judge only later (a deadline still running): the run time until which the
   * runner keeps the run open while nothing has settled it, else undefined.
   */
  undecidedUntil?(transcript: TranscriptEvent[], callId: string): number | undefined;
}

/** The bot's Graph requests in a transcript. */
export function graphExchanges(transcript: TranscriptEvent[]): GraphExchange[] {
  return transcript.filter((e): e is GraphExchange => e.type === 'graph');
}

/** The notifications the harness delivered. */
export function deliveries(transcript: TranscriptEvent[]): NotificationDelivery[] {
  return transcript.filter((e): e is NotificationDelivery => e.type === 'notification');
}

/** The items of a delivered `commsNotifications` body (`value[]`). */
export function notificationItems(delivery: NotificationDelivery): unknown[] {
  return (delivery.body as { value?: unknown[] } | undefined)?.value ?? [];
}
