/**
 * A capture is what passed through `confcall record` between a bot and Graph: the bot's Graph
 * requests with Graph's responses, Graph's notifications with the bot's answers, and the control
 * API calls that drove the bot, in the order they started.
 */

/** A bot request to Graph and the response it got. */
export interface CapturedGraphExchange {
  type: 'graph';
  /** Order in which the exchange started at the recorder (1-based). */
  seq: number;
  method: string;
  /** The path as sent, version prefix included, e.g. `/v1.0/communications/calls/…/answer`. */
  rawPath: string;
  /** The bot's body as it sent it (before the recorder pointed callbackUri at itself). */
  body?: unknown;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody?: unknown;
}

/** A notification Graph POSTed to the bot, and the bot's answer. */
export interface CapturedNotification {
  type: 'notification';
  seq: number;
  body: unknown;
  status: number;
}

/** A control API call (the harness or a person driving the bot), and the bot's answer. */
export interface CapturedControl {
  type: 'control';
  seq: number;
  method: string;
  /** Relative to the control base, e.g. `/calls/…/transfer`. */
  path: string;
  body?: unknown;
  status: number;
  responseBody?: unknown;
}

export type CapturedExchange = CapturedGraphExchange | CapturedNotification | CapturedControl;

/** Where a capture came from: written into each recording's provenance. */
export interface CaptureOrigin {
  /** ISO time the capture started. */
  startedAt: string;
  /** The Graph base URL the bot's requests were forwarded to. */
  upstream: string;
  /** The bot's callbackUri that notifications were forwarded to. */
  bot: string;
}
