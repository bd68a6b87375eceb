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

/** The bot's Graph requests in a transcript (shared by the rules: read it, never change it). */
export function graphExchanges(transcript: TranscriptEvent[]): readonly GraphExchange[] {
  return kindsOf(transcript).graph;
}

/** The notifications the harness delivered (shared by the rules: read it, never change it). */
export function deliveries(transcript: TranscriptEvent[]): readonly NotificationDelivery[] {
  return kindsOf(transcript).notifications;
}

/**
 * What Graph told the bot: the genuine notifications it took (a 2xx). A forged one (a scenario testing the bot's token
 * check) tells it nothing, even when the bot acknowledged it before dropping it: no call to answer, no state to keep.
 */
export function isToldByGraph(d: NotificationDelivery): boolean {
  return d.forged === undefined && d.status >= 200 && d.status < 300;
}

/**
 * A transcript split by kind once for all the rules that judge it (eleven rules, each asking
 * several times), split again when it has grown: a transcript is only ever appended to.
 */
const split = new WeakMap<TranscriptEvent[], { length: number; last: TranscriptEvent | undefined; graph: GraphExchange[]; notifications: NotificationDelivery[] }>();
function kindsOf(transcript: TranscriptEvent[]): { graph: GraphExchange[]; notifications: NotificationDelivery[] } {
  const known = split.get(transcript);
  if (known && known.length === transcript.length && known.last === transcript.at(-1)) return known;
  const graph: GraphExchange[] = [];
  const notifications: NotificationDelivery[] = [];
  for (const e of transcript) {
    if (e.type === 'graph') graph.push(e);
    else if (e.type === 'notification') notifications.push(e);
  }
  const kinds = { length: transcript.length, last: transcript.at(-1), graph, notifications };
  split.set(transcript, kinds);
  return kinds;
}

/** The items of a delivered `commsNotifications` body (`value[]`). */
export function notificationItems(delivery: NotificationDelivery): unknown[] {
  return (delivery.body as { value?: unknown[] } | undefined)?.value ?? [];
}
