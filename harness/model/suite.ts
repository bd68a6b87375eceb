import type { BotCapability } from './capability.js';
import type { SourcePosition } from './position.js';

/**
 * A suite (`suites/*.yaml`) is one feature's scenarios. A scenario is a script of steps: the
 * harness sends notifications, drives the bot through its control API, and checks what the bot
 * sends to Graph and what it reports through its probe.
 */
export interface Suite {
  /** Short id, e.g. `transfer`; scenario ids are `suite/scenario`. */
  id: string;
  title: string;
  description?: string;
  /** The document(s) the suite is built from. */
  documents?: string[];
  scenarios: Scenario[];
  /** Named step lists other scenarios can `include`. */
  fragments: Record<string, Step[]>;
  file: string;
  position: SourcePosition;
}

export interface Scenario {
  /** Unique inside its suite: lowercase words joined by dashes. */
  id: string;
  title: string;
  /** Requirement ids this scenario checks (see the requirement catalogue). */
  requirements: string[];
  /** Capabilities the bot must declare for the scenario to apply, beyond those its control steps imply. */
  needs: BotCapability[];
  steps: Step[];
  /** Notifications the documents allow to arrive in any order among themselves. */
  reorderable: ReorderLicence[];
  /** The fragment this scenario starts with, when its steps offer a choice of starts (`include: [a, b]`). */
  startedBy?: string;
  /**
   * Set when the steps offer a choice of starts: the scenario once per start, in written order
   * (the first is this scenario itself). A run takes the first one its target can do.
   */
  alternatives?: Scenario[];
  suiteId: string;
  position: SourcePosition;
}

/** A JSON value that can name a recording's body instead of spelling it out. */
export type BodySpec = { $recording: string } | unknown;

/** Which requests a step is about. Paths are version-less: `/communications/calls/{call.id}/transfer`. */
export interface RequestMatcher {
  method?: string;
  /** Template: `{call.id}` is the run's call id, recorded ids are mapped, `*` matches one segment, `**` the rest. */
  path: string;
  /** The request body must contain these members (subset match). */
  body?: BodySpec;
  /** Dotted paths left out of the body comparison, e.g. `callbackUri`. */
  ignore?: string[];
  /**
   * Other requests that satisfy the step as well: where the documents (or the bot's declared rule)
   * leave the bot a choice of what to do (transfer or hang up), any of them matches.
   */
  or?: Array<Omit<RequestMatcher, 'or'>>;
}

/** How the fake Graph answers a matched request: a recording id, or a literal response. */
export type ResponseSpec = string | { status: number; headers?: Record<string, string>; body?: BodySpec };

/** What the probe view must show (subset). */
export interface ProbeExpectation {
  state?: string;
  resultInfo?: { code?: number; subcode?: number };
  participants?: Array<{ id: string; isInLobby?: boolean; isMuted?: boolean }>;
  /** When true, `participants` must list exactly these ids (no others). */
  exactParticipants?: boolean;
}

interface StepBase {
  /** Why the step checks what it checks: the document sentence, quoted. */
  because?: string;
  /**
   * The requirements this step's check belongs to; default all the scenario's own. A fragment's step may name any
   * requirement of the catalogue: its checks travel with the fragment into every scenario that includes it.
   */
  checks?: string[];
  /**
   * Set at load: the fragment this step came from, as the scenario (or the fragment being expanded) includes it
   * (`answered-incoming-call`). Such a step is the scenario's premise: when it fails without `checks` of its own, the
   * scenario's requirements were not exercised (oracle/step-judging.ts, rule `PREMISE`).
   */
  fragment?: string;
  position: SourcePosition;
}

/** A documented licence: these labelled notifications may arrive in any order among themselves. */
export interface ReorderLicence {
  labels: string[];
  /** The document sentence that grants it. */
  because: string;
  position: SourcePosition;
}

/** Send a notification built from a recording (ids mapped), optionally patched. */
export interface NotifyStep extends StepBase {
  kind: 'notify';
  recording: string;
  /** Name of this notification in schedules (default: the recording id's last part without `notification-`). */
  label: string;
  /** Deep-merged into the recording's body before sending (documented variants only). */
  patch?: unknown;
  /** Send it with this forged token instead of a valid one (see `FORGERIES`). */
  forge?: string;
  /** Statuses the bot may answer with; default any 2xx. */
  expectStatus?: number[];
  /**
   * Set at load: the resource this notification restates whole with nothing in it that orders it
   * (a full roster has no sequenceNumber). No bot can tell an older one from a newer one, so even
   * robustness schedules keep such notifications of one resource in their written order.
   */
  snapshotOf?: string;
  /**
   * Set at load: the collection this notification updates, whole or by delta (a roster:
   * `participants`). Robustness schedules never swap it with a snapshot of the same collection:
   * a full roster that arrives after a later delta undoes it, and no bot can tell.
   */
  collectionOf?: string;
}

/** Two notifications of one collection where either restates it whole (a full roster): no bot can tell which came first. */
export function restatesUnordered(a: NotifyStep, b: NotifyStep): boolean {
  return a.collectionOf !== undefined && a.collectionOf === b.collectionOf && (a.snapshotOf !== undefined || b.snapshotOf !== undefined);
}

/** Ask the bot to act through its control API. */
export interface ControlStep extends StepBase {
  kind: 'control';
  method: string;
  path: string;
  body?: BodySpec;
  /** Statuses the bot may answer with; default any 2xx. */
  expectStatus?: number[];
}

/** The bot must send a matching request (within `within` ms). */
export interface ExpectStep extends StepBase {
  kind: 'expect';
  request: RequestMatcher;
  respond?: ResponseSpec;
  /** Exactly this many matching requests by the end of the scenario (default: at least one). */
  times?: number;
  within?: number;
}

/** From here to the end of the scenario the bot must send no matching request. */
export interface ExpectNoStep extends StepBase {
  kind: 'expectNo';
  request: RequestMatcher;
}

/** The bot's probe view must come to match (polled until `within` ms). */
export interface ProbeStep extends StepBase {
  kind: 'probe';
  expect: ProbeExpectation;
  within?: number;
}

export type Step = NotifyStep | ControlStep | ExpectStep | ExpectNoStep | ProbeStep;

/** The first of a scenario's starts that `canRun` accepts (the scenario itself when it offers no choice). */
export function firstRunnableStart(scenario: Scenario, canRun: (candidate: Scenario) => boolean): Scenario | undefined {
  return (scenario.alternatives ?? [scenario]).find(canRun);
}

/** What a target must offer for a scenario to run. */
export type Capability = 'control' | 'probe';

/** The capabilities a scenario's steps use. */
export function capabilitiesOf(scenario: Scenario): Capability[] {
  const needs = new Set<Capability>();
  for (const step of scenario.steps) {
    if (step.kind === 'control') needs.add('control');
    if (step.kind === 'probe') needs.add('probe');
  }
  return [...needs].sort();
}

/**
 * What a control step asks the bot to do, named as a target profile's `actions` name it: Graph's
 * own verbs (`transfer`, `startHoldMusic`, `playPrompt`, …) plus `createCall`, `joinMeeting` and
 * `hangUp` for the call itself. Open: a new control path names its own action.
 */
export type ActionName = string;

/**
 * The actions a profile may map, each with the capability a bot that does it declares (null: none
 * of its own). The first six are what DESIGN.md's control API drives; the others are Graph's verbs.
 */
export const KNOWN_ACTIONS: Record<ActionName, BotCapability | null> = {
  createCall: 'createsCalls',
  joinMeeting: 'joinsMeetings',
  transfer: 'transfers',
  startHoldMusic: 'holdMusic',
  stopHoldMusic: 'holdMusic',
  hangUp: 'hangsUp',
  playPrompt: 'playsPrompts',
  recordResponse: 'playsPrompts',
  subscribeToTone: 'subscribesToTones',
  updateRecordingStatus: 'recordsCompliance',
  keepAlive: 'keepsAlive',
  invite: null,
  mute: null,
  unmute: null,
  redirect: null,
  changeScreenSharingRole: null,
  sendDtmfTones: null,
};

/** Where a control step's action reaches: its call id and participant id, when its path names them. */
export interface ActionTarget {
  action: ActionName;
  callId?: string;
  participantId?: string;
}

/**
 * The action of a control step (`POST /calls` with `meetingInfo` or `chatInfo` joins a meeting,
 * without them creates a call; `DELETE /calls/{id}` hangs up; a verb at the end of the path is
 * that verb); undefined for a path that names no action. `body` is the resolved control body.
 */
export function actionOf(method: string, path: string, body: unknown): ActionTarget | undefined {
  const segments = path.split('?')[0]!.split('/').filter(Boolean);
  if (segments[0] !== 'calls') return undefined;
  const verb = method.toUpperCase();
  if (segments.length === 1 && verb === 'POST') {
    const joins = isObject(body) && (body.meetingInfo != null || body.chatInfo != null);
    return { action: joins ? 'joinMeeting' : 'createCall' };
  }
  const callId = segments[1];
  if (segments.length === 2) return verb === 'DELETE' ? { action: 'hangUp', callId } : undefined;
  if (verb !== 'POST') return undefined;
  if (segments[2] === 'participants' && segments.length === 5) return { action: segments[4]!, callId, participantId: segments[3] };
  return segments.length >= 3 ? { action: segments[segments.length - 1]!, callId } : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
