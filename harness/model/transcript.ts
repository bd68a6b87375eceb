/** What happened during one scenario run, in time order: the oracle judges this, reports show it. */

/** A bot request as the fake Graph understood it, before anyone decided the answer. */
export interface GraphRequest {
  method: string;
  /** The path as the bot sent it, e.g. `/beta/communications/calls/…/transfer`. */
  rawPath: string;
  /** Version-less path, `/app/calls` folded into `/communications/calls`. */
  path: string;
  version: string;
  /** Request kind per the Graph metadata (`createCall`, `transfer`, …), when known. */
  requestKind?: string;
  body?: unknown;
  /** Body text when it was not JSON. */
  rawBody?: string;
  /** Why the bearer token was refused; absent when it was valid. */
  authProblem?: string;
  /** Schema problems of the body against the Graph metadata. */
  schemaProblems: Array<{ path: string; message: string }>;
}

/** A request the bot sent to the fake Graph, and how the fake Graph answered. */
export interface GraphExchange extends GraphRequest {
  type: 'graph';
  /** Order of arrival within the run (shared counter with other events). */
  seq: number;
  /** Milliseconds since the run started. */
  at: number;
  response: { status: number; headers: Record<string, string>; body?: unknown };
  /** Which scenario step's `respond` answered it, if any. */
  answeredByStep?: number;
  /** Where an answer no step scripted came from: `recording <id>`, or the call's truth and why. */
  answeredFrom?: string;
}

/** A notification the harness POSTed to the bot. */
export interface NotificationDelivery {
  type: 'notification';
  seq: number;
  at: number;
  stepIndex: number;
  recording: string;
  url: string;
  body: unknown;
  /** HTTP status the bot answered; 0 when no answer came (see `error`). */
  status: number;
  latencyMs: number;
  error?: string;
  /** The forgery of the token the notification carried (`forge:` of its step); absent for a genuine notification. */
  forged?: string;
  /** The answer's body ran past what confcall reads (notify/capped-body.ts): an acknowledgement is short. */
  tooLarge?: true;
  /** The bot redirected the notification (3xx with a Location): where to, and whether confcall delivered it there (the next delivery). */
  redirect?: { to: string; followed: boolean };
}

/** A control-API call the harness made, or a call of the bot's own trigger for a mapped action. */
export interface ControlCall {
  type: 'control';
  seq: number;
  at: number;
  stepIndex: number;
  /** The mapped action (`joinMeeting`, …) when the profile's `actions` triggered it; absent for the control API. */
  action?: string;
  /** The HTTP method; `command` for a command trigger. */
  method: string;
  /** The URL called; the command line for a command trigger. */
  url: string;
  body?: unknown;
  status: number;
  responseBody?: unknown;
  error?: string;
}

/** A probe read of the bot's view of the call. */
export interface ProbeRead {
  type: 'probe';
  seq: number;
  at: number;
  stepIndex: number;
  url: string;
  status: number;
  view?: unknown;
  error?: string;
}

export type TranscriptEvent = GraphExchange | NotificationDelivery | ControlCall | ProbeRead;

/**
 * Where a check's authority comes from:
 * - `document`: a quoted document sentence, at the level the sentence itself states;
 * - `inferred`: confcall's own reasoning from the documents (named in `because`), never stronger than SHOULD;
 * - `contract`: DESIGN.md's control API and probe conventions, test hooks that no document asks of a bot.
 */
export type Basis = 'document' | 'inferred' | 'contract';

/**
 * What a finding does to the verdict: `failure` fails the test, `warning` is shown and fails only
 * with `--strict`, `deviation` (a test-hook convention not kept) is listed and never fails.
 */
export type Severity = 'failure' | 'warning' | 'deviation';

/** One broken expectation or rule, said so that a bot author can act on it. */
export interface Finding {
  /**
   * The check that found it: a protocol rule's requirement id (`HOLD-ONE-AT-A-TIME`), `STEP` for
   * a scenario step, `PREMISE` for a step of an included fragment (the call the scenario is about did not
   * come to be; it names no requirement), `CONVERGENCE`, `ORDER-INDEPENDENCE`, `BOT-REACHABLE`, `CALLBACK-URI`.
   */
  rule: string;
  /** A `PREMISE` finding's fragment: the one the scenario included (`answered-incoming-call`). */
  fragment?: string;
  /** The requirements of the catalogue this finding breaks (none for checks no requirement owns). */
  requirements?: string[];
  /** Where the check's authority comes from. */
  basis?: Basis;
  /** The level the basis states: a `document` MUST fails a run; SHOULD and `inferred` warn. */
  level?: 'MUST' | 'SHOULD';
  /** The scenario step it concerns (0-based in the expanded step list), if any. */
  stepIndex?: number;
  /** `file:line:col` of that step. */
  where?: string;
  /** What the bot did. */
  actual: string;
  /** What the documents require. */
  expected: string;
  /** The document sentence behind the requirement, or the reasoning of an inferred check. */
  because?: string;
  severity: Severity;
}

/** A finding as reports carry it: the check, the requirements it breaks, its basis, level and severity, and its step (1-based). */
export interface FindingRecord {
  rule: string;
  requirements: string[];
  /** A `PREMISE` finding's fragment. */
  fragment?: string;
  basis: Basis;
  level: 'MUST' | 'SHOULD';
  severity: Severity;
  step?: number;
  where?: string;
  /** What the bot did, and what was required (each cut to RECORD_TEXT_LIMIT characters): a reader of summary.json needs no HTML report to see why. */
  actual?: string;
  expected?: string;
  because?: string;
}
