/**
 * A recording is one documented HTTP exchange half: a request the bot sends to Graph, a response
 * Graph gives, or a notification Graph POSTs to the bot. Payloads are kept value for value as the
 * documents show them (only made into valid JSON); ids are substituted at replay time.
 */

export type RecordingKind = 'request' | 'response' | 'notification';

/** Where a recording's payload was shown: one per occurrence in the documents. */
export interface RecordingSource {
  /** Document file name, e.g. `003_d730da5d3fda3166.txt`, or a research note for non-document flows. */
  document: string;
  /** 1-based line of the first line of the example (the HTTP start line) in that document. */
  line: number;
  /** Language of the document: `ru`, `zh` or `en`. */
  language: string;
  /** The example this occurrence belongs to, in English (e.g. "Example 2: Consultative transfer from a peer-to-peer call"). */
  example: string;
  /** The section title right above the payload, in English (e.g. "Notification - transfer failed"). */
  section: string;
  /** The same title as the document writes it, when it is not English. */
  sectionOriginal?: string;
  /** Upstream page the document or note cites, when known (e.g. `api-reference/v1.0/api/call-answer.md @06196f75`). */
  upstream?: string;
}

/** The HTTP framing shown with the payload. */
export interface RecordingHttp {
  method?: string;
  url?: string;
  status?: number;
  reason?: string;
  headers?: Record<string, string>;
}

/** Provenance of a captured recording: when, between which bot and which upstream Graph. */
export interface RecordingCapture {
  /** ISO time the capture started. */
  at: string;
  /** The Graph base URL the bot's requests went to. */
  upstream: string;
  /** The bot's callbackUri the notifications went to. */
  bot: string;
  /** Order of this exchange in the capture (1-based). */
  exchange: number;
}

export interface Recording {
  /** Path below `recordings/` without `.json`, e.g. `transfer/notification-transfer-failed`. */
  id: string;
  kind: RecordingKind;
  /** English title. */
  title: string;
  http: RecordingHttp;
  /** The JSON body, verbatim; absent when the document shows none (e.g. `202 Accepted`). */
  body?: unknown;
  /** Every place the same payload appears (deduplicated across examples and languages); empty for a capture. */
  sources: RecordingSource[];
  /** Set when `confcall record` captured the payload from live traffic instead of a document. */
  captured?: RecordingCapture;
  /** What was done to make the shown text valid JSON (e.g. "removed trailing commas"). */
  notes?: string[];
}
