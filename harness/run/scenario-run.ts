/**
 * One run of a scenario against a bot: it sends the notifications, calls the control API, answers
 * the bot's Graph requests, waits for quiet, and hands every fact to oracle/ to be judged. Graph's
 * answers come from graph/scenario-replies.ts; the judging of each step from oracle/step-judging.ts.
 */
import { botDispatcher } from '../notify/bot-dispatcher.js';
import type { FakeGraph, GraphReply, GraphRequest } from '../graph/fake-graph.js';
import { callIdOfPath } from '../graph/graph-paths.js';
import { applyNotificationToTruth, truthFromCreated, type CallTruth } from '../graph/call-truth.js';
import { replyTo, resolveBody, scriptedReply, type ReplyState } from '../graph/scenario-replies.js';
import { defaultReplyPayloads } from '../graph/default-replies.js';
import { freshRunIds, recordedIdsOf, reverseIds, substituteIds, substituteIdsToJson, withTargetCallbackUri, type RecordedIds, type RunIds } from '../graph/run-ids.js';
import { convergenceDifference } from '../oracle/convergence.js';
import type { DeliveryResult, Notifier } from '../notify/deliver.js';
import { deliveryPlace, isDeliverable } from '../notify/delivery-place.js';
import { describeCut, MAX_REPLY_BYTES } from '../notify/capped-body.js';
import { exchange, placeOfUrl, type ExchangeAnswer } from '../notify/http-exchange.js';
import type { Forgery, NotificationClaims } from '../notify/notification-token.js';
import { formatPosition, type SourcePosition } from '../model/position.js';
import type { Recording } from '../model/recording.js';
import { actionOf, type ControlStep, type ExpectNoStep, type ExpectStep, type NotifyStep, type ProbeStep, type Scenario, type Step } from '../model/suite.js';
import { carriedPointers, projectOnto } from '../model/trigger-carries.js';
import { triggerAction, triggerValues } from './bot-action.js';
import { probeOf, readProbe, type ProbeAnswer } from './bot-probe.js';
import type { TargetProfile } from '../model/target.js';
import type { Finding, GraphExchange, NotificationDelivery, TranscriptEvent } from '../model/transcript.js';
import { mismatch, type ResolvedMatcher } from '../oracle/request-match.js';
import { hungUpByBot, probeDifference } from '../oracle/probe-match.js';
import { judgeTranscript, undecidedUntil } from '../oracle/rules/index.js';
import { DEFAULT_JUDGING, type Judging } from '../oracle/judging.js';
import { foreignCallbackFinding, stepJudge, type PendingCheck, type StepJudge, type StepJudgement } from '../oracle/step-judging.js';
import { formatFinding, judgedRequirements } from '../oracle/verdict.js';
import { stepTitle } from './step-title.js';
import { executionPlan } from '../order/execution-plan.js';
import type { Schedule } from '../order/schedule.js';
import type { PayloadVariant } from '../order/payload-variants.js';
import type { CallSlots } from './call-slots.js';
import { pairMemo } from '../model/pair-memo.js';

/** What a scenario run needs from its surroundings. */
export interface RunContext {
  target: TargetProfile;
  recordings: Map<string, Recording>;
  graph: FakeGraph;
  notifier: Notifier;
  signNotification: (claims: NotificationClaims) => Promise<string>;
  /** Makes a forged notification token (undefined: no token at all). */
  forgeNotification: (claims: NotificationClaims, forgery: Forgery) => Promise<string | undefined>;
  /** Makes fresh ids; seeded in reproducible runs. */
  freshId?: () => string;
  /**
   * Reshapes every notification body just before it is sent (after any payload variant). Unset in
   * documented runs, which send the documents' payloads verbatim.
   */
  shapeNotification?: (body: unknown) => unknown;
  /** The requirement catalogue and `--strict`: what each finding weighs (default: each check's own level, not strict). */
  judging?: Judging;
  /** Turns at a bot that holds only so many calls at once (the profile's `callsAtOnce`); unset: no turns. */
  callSlots?: CallSlots;
}

/** Lets a reporter wrap each step (Playwright's `test.step`) and attach payloads to it. */
export interface StepHooks {
  step(title: string, location: SourcePosition | undefined, body: (attach: Attach) => Promise<void>): Promise<void>;
}
export type Attach = (name: string, value: unknown) => Promise<void>;

/** The outcome of one scenario run: what happened (the transcript) and what oracle/ found in it. */
export interface ScenarioResult {
  scenarioId: string;
  callId: string;
  /** The run's fresh ids → the recorded ids they stand for (to compare runs with each other). */
  runToRecorded: Map<string, string>;
  transcript: TranscriptEvent[];
  findings: Finding[];
  /** Set when the bot could not be reached at all: the run says nothing about conformance. */
  unreachable?: string;
  /** Checks not made, and why (a probe step against a target without a probe). */
  skippedChecks: string[];
  /** The requirements this run judged (oracle/verdict.ts `judgedRequirements`); the rest it says nothing about. */
  judged: string[];
  /** The step (index) whose failure stopped the run, when one did (a warning may stop it too: the bot did not act). */
  stoppedAt?: number;
}

/**
 * A step failure: thrown inside the step so reporters mark that step, caught by the run. Most
 * failures are checks (an answer, a probe view): the run goes on, as with Playwright's
 * `expect.soft`, so later defects are found too. A failure that later steps build on (the bot did
 * not act, or did not send the request a scripted reply answers) `stops` the run: going on would
 * judge the bot on a call that is not the one the steps describe.
 */
export class StepFailure extends Error {
  constructor(
    readonly finding: Finding,
    readonly stops: boolean,
  ) {
    super(formatFinding(finding));
    this.name = 'StepFailure';
  }
}

class Unreachable extends Error {}

const DEFAULT_EXPECT_WITHIN_MS = 5000;
const DEFAULT_PROBE_WITHIN_MS = 2000;
const DEFAULT_SETTLE_MS = 300;
/** The longest a run waits for quiet: a bot that needs longer is not settling, it is doing something else. */
export const MAX_SETTLE_MS = 3000;

/** The quiet a documented run waits for before it is judged: the target's `settleMs`, or 300 ms. */
export function documentedSettleMs(target: TargetProfile): number {
  return target.settleMs ?? DEFAULT_SETTLE_MS;
}

/** The attach of a run no reporter watches (exploration): steps neither build nor await their attachments. */
const NO_ATTACH: Attach = async () => {};
const directHooks: StepHooks = { step: (_title, _location, body) => body(NO_ATTACH) };

/** How one run of a scenario goes: its delivery schedule and how long quiet means settled. */
export interface RunOptions {
  /** Order, duplicates and delays of the notifications; default the documented schedule. */
  schedule?: Schedule;
  /** Overrides the target's settle time (schedule exploration settles faster). */
  settleMs?: number;
  /** Overrides how long a probe step waits for the expected view. */
  probeWithinMs?: number;
  /** A documented payload variant applied to every notification body. */
  variant?: PayloadVariant;
}

/** Everything one run keeps while it goes: the transcript, Graph's state, the checks still open. */
interface RunState {
  context: RunContext;
  scenario: Scenario;
  options: RunOptions;
  ids: RunIds;
  judge: StepJudge;
  transcript: TranscriptEvent[];
  /** The transcript's Graph exchanges, kept as they are written (steps look them up while the run goes). */
  exchanges: GraphExchange[];
  findings: Finding[];
  skippedChecks: string[];
  /** Steps that ran but could not check anything (a probe step on a target without a probe): their requirements are not judged by them. */
  uncheckedSteps: Set<number>;
  replies: ReplyState;
  /** callbackUris the bot gave (createCall, answer), by call id. */
  callbackUris: Map<string, string>;
  /** Notifications the bot accepted, by step: Graph's truth applies them in documented (step) order. */
  accepted: Map<number, unknown>;
  created: CallTruth;
  /** seq of the request the previous `expect` matched: later expects look after it. */
  cursor: number;
  pendingNo: PendingCheck<ExpectNoStep>[];
  counted: PendingCheck<ExpectStep>[];
  /** Control bodies (as written) that a mapped trigger passes on only in part: the pointers it carries. */
  carried: Map<string, string[]>;
  /**
   * Graph's truth as last built, and what it was built from (it changes only when these do):
   * `applied` is the created call with the accepted notifications up to step `upTo` applied.
   */
  truthCache?: { accepted: number; created: CallTruth; ended: boolean; upTo: number; applied: CallTruth; truth: CallTruth };
  /** Each expect and expectNo request matcher with the run's ids, resolved once (a scripted reply and its step share one). */
  matchers: Map<ExpectStep['request'], ResolvedMatcher>;
  /** Where the bot's view is read for this run's call (undefined: the target has no probe), worked out once. */
  probe?: ReturnType<typeof probeOf>;
  /** The last probe reading, and the run's seq once it was written: still the bot's view now while seq has not moved (see probeStep). */
  lastRead?: { seq: number; answer: ProbeAnswer };
  /** Where this run's notifications go, for the callbackUri the bot gave (decided once, not per delivery). */
  place?: { botCallbackUri: string | undefined; place: ReturnType<typeof deliveryPlace> };
  /** One valid token for the run's notifications, as Graph reuses one (the signer renews it long before it expires). */
  validBearer?: Promise<string>;
  seq: number;
  started: number;
  lastActivity: number;
  wake?: () => void;
}

/** Runs one scenario against a target: sends, drives, waits, and judges. Never throws for bot behaviour. */
export async function runScenario(context: RunContext, scenario: Scenario, hooks: StepHooks = directHooks, options: RunOptions = {}): Promise<ScenarioResult> {
  const giveBack = await context.callSlots?.take(); // the turn lasts until the run has settled and been judged
  try {
    return await runInTurn(context, scenario, hooks, options);
  } finally {
    giveBack?.();
  }
}

async function runInTurn(context: RunContext, scenario: Scenario, hooks: StepHooks, options: RunOptions): Promise<ScenarioResult> {
  const state = newRunState(context, scenario, options);
  const route = { owns: (lowerCallId: string) => state.replies.knownCalls.has(lowerCallId), respond: (req: GraphRequest) => answerGraph(state, req) };
  const detach = context.graph.attach(route);
  let unreachable: string | undefined;
  let stopped = false;
  let stoppedAt: number | undefined;
  const finished = new Set<number>(); // steps that ran through without failing
  try {
    for (const planned of executionPlan(scenario, options.schedule, options.variant?.batched)) {
      const { index, delayMs, duplicate, batchedWith } = planned;
      const step = scenario.steps[index]!;
      try {
        if (delayMs) {
          state.lastRead = undefined; // time passes: the last probe reading is no longer of now
          await new Promise((r) => setTimeout(r, delayMs));
        }
        // Titles and the step wrapper are for reporters; a run without one (exploration) skips them.
        if (hooks === directHooks) await STEPS[step.kind](state, step as never, index, NO_ATTACH, batchedWith, route);
        else await hooks.step(plannedStepTitle(step, index, duplicate, delayMs, batchedWith), step.position, (attach) => STEPS[step.kind](state, step as never, index, attach, batchedWith, route));
        finished.add(index);
        for (const i of batchedWith) finished.add(i);
      } catch (error) {
        if (error instanceof StepFailure) state.findings.push(error.finding);
        if (error instanceof StepFailure && !error.stops) continue;
        if (error instanceof Unreachable) unreachable = error.message;
        else if (!(error instanceof StepFailure)) throw error;
        stopped = true;
        stoppedAt = index;
        break;
      }
    }
    if (!unreachable) {
      try {
        if (hooks === directHooks) await settleAndJudge(state, NO_ATTACH);
        else await hooks.step('settle and judge', undefined, (attach) => settleAndJudge(state, attach));
      } catch (error) {
        if (!(error instanceof Unreachable)) throw error;
        unreachable = error.message;
      }
    }
  } finally {
    detach();
  }
  const facts = { callId: state.ids.callId, appId: context.target.auth.appId, endedAt: elapsed(state) };
  // A stopped run never settled: its expectNo and `times` checks were not made either.
  const unjudged = scenario.steps.filter((step, i) => state.uncheckedSteps.has(i) || (stopped && (!finished.has(i) || step.kind === 'expectNo' || (step.kind === 'expect' && step.times !== undefined))));
  const judged = judgedRequirements(state.transcript, facts, state.findings, state.judge.owned, unjudged);
  return { scenarioId: `${scenario.suiteId}/${scenario.id}`, callId: state.ids.callId, runToRecorded: reverseIds(state.ids), transcript: state.transcript, findings: state.findings, unreachable, skippedChecks: state.skippedChecks, judged, ...(stoppedAt !== undefined && { stoppedAt }) };
}

/** A step's title as run: `step 3: notify … (duplicate) (after 5 ms)`. */
function plannedStepTitle(step: Step, index: number, duplicate: boolean, delayMs: number, batchedWith: number[]): string {
  const batch = batchedWith.length ? ` (one POST with step(s) ${batchedWith.map((i) => i + 1).join(', ')})` : '';
  return `${stepTitle(step, index)}${duplicate ? ' (duplicate)' : ''}${delayMs ? ` (after ${delayMs} ms)` : ''}${batch}`;
}

function newRunState(context: RunContext, scenario: Scenario, options: RunOptions): RunState {
  const ids = freshRunIds(recordedIdsFor(scenario, context.recordings), context.freshId);
  const now = performance.now();
  const state: RunState = {
    context, scenario, options, ids, judge: judgeOf(scenario, context.judging ?? DEFAULT_JUDGING),
    transcript: [], exchanges: [], findings: [], skippedChecks: [], uncheckedSteps: new Set(), callbackUris: new Map(), accepted: new Map(), created: {},
    cursor: 0, pendingNo: [], counted: [], carried: carriedBodies(scenario, context), matchers: new Map(), probe: probeOf(context.target, ids.callId), seq: 0, started: now, lastActivity: now,
    replies: { ids, recordings: context.recordings, knownCalls: new Set([ids.callId.toLowerCase()]), deletedCalls: new Set(), silentlyEnded: new Set(), truth: () => truthNow(state), scripted: [] },
  };
  // Replies the scenario scripted, claimed in step order by the first request each matches.
  state.replies.scripted = scenario.steps.flatMap((step, index) => {
    if (step.kind !== 'expect' || step.respond === undefined) return [];
    const matcher = resolveMatcher(state, step.request);
    return [{ stepIndex: index, matches: (req: GraphRequest) => mismatch(matcher, req) === undefined, reply: scriptedReply(step.respond, context.recordings, ids), used: false }];
  });
  return state;
}

/** A scenario's step judge under a catalogue: pure, so one for every run of the scenario. */
const judgeOf = pairMemo((scenario: Scenario, judging: Judging): StepJudge => stepJudge(scenario, judging));

/** Graph's truth now: the created call with every accepted notification applied in step order. */
function truthNow(state: RunState): CallTruth {
  // Notifications are only ever added, and the created call only replaced: their count and identity say whether the truth changed.
  const ended = state.replies.silentlyEnded.has(state.ids.callId.toLowerCase());
  const cached = state.truthCache;
  if (cached && cached.accepted === state.accepted.size && cached.created === state.created && cached.ended === ended) return cached.truth;
  const accepted = [...state.accepted].sort(([a], [b]) => a - b);
  // Applying is a fold in step order: when every notification accepted since was for a later step
  // than those already applied (the usual case), the fold goes on from where it was, to the same truth.
  const goesOn = cached !== undefined && cached.created === state.created && accepted.length > cached.accepted && accepted[cached.accepted - 1]?.[0] === cached.upTo && accepted[cached.accepted]![0] > cached.upTo;
  const [from, start] = goesOn ? [cached.accepted, cached.applied] : [0, state.created];
  const applied = accepted.slice(from).reduce((t, [, body]) => applyNotificationToTruth(t, body, state.ids.callId), start);
  // Graph answered 404 about the call (a scripted reply): it ended, though no notification said so.
  const truth = ended ? { ...applied, resource: { ...applied.resource, state: 'terminated' } } : applied;
  state.truthCache = { accepted: accepted.length, created: state.created, ended, upTo: accepted.at(-1)?.[0] ?? -1, applied, truth };
  return truth;
}

/** Answers one Graph request of the bot, and writes it into the transcript. */
function answerGraph(state: RunState, req: GraphRequest): GraphReply {
  const { reply, stepIndex } = replyTo(req, state.replies);
  if (req.requestKind === 'createCall' && reply.status === 201) state.created = truthFromCreated(state.created, reply.body);
  const body = req.body as { callbackUri?: unknown } | undefined;
  if (typeof body?.callbackUri === 'string' && (req.requestKind === 'createCall' || req.requestKind === 'answer')) {
    state.callbackUris.set(req.requestKind === 'answer' ? callIdOfPath(req.path)! : state.ids.callId, body.callbackUri);
  }
  const exchange = graphExchange(req, ++state.seq, elapsed(state), reply, stepIndex);
  state.transcript.push(exchange);
  state.exchanges.push(exchange);
  touched(state);
  return reply;
}

/** The transcript's record of a Graph request and its answer: the request as the bot sent it (without the fake Graph's request id). */
function graphExchange(req: GraphRequest, seq: number, at: number, reply: GraphReply, answeredByStep: number | undefined): GraphExchange {
  const { requestId: _requestId, ...seen } = req;
  return { type: 'graph', seq, at, ...seen, response: { status: reply.status, headers: reply.headers ?? {}, body: reply.body }, answeredByStep, answeredFrom: reply.from };
}

type Route = Parameters<FakeGraph['attach']>[0];
type StepRunner<S extends Step> = (state: RunState, step: S, index: number, attach: Attach, batchedWith: number[], route: Route) => Promise<void>;

const STEPS: { [K in Step['kind']]: StepRunner<Extract<Step, { kind: K }>> } = {
  notify: notifyStep,
  control: controlStep,
  expect: expectStep,
  expectNo: async (state, step, index) => void state.pendingNo.push({ step, index, matcher: resolveMatcher(state, step.request), fromSeq: state.seq }),
  probe: probeStep,
};

/** Delivers a notification (or a batch of them) to the bot, and judges its answer. */
async function notifyStep(state: RunState, step: NotifyStep, index: number, attach: Attach, batchedWith: number[]): Promise<void> {
  const { context, ids } = state;
  const indices = batchedWith.length ? [index, ...batchedWith] : [index];
  const parts = indices.map((i) => notificationBody(state, state.scenario.steps[i] as NotifyStep));
  const body = parts.length === 1 ? parts[0]!.sent : joinBatch(parts.map((p) => p.sent));
  const recording = parts.length === 1 ? step.recording : indices.map((i) => (state.scenario.steps[i] as NotifyStep).recording).join(' + ');
  const { url, refused } = placeOfNotifications(state);
  if (refused !== undefined && !state.findings.some((f) => f.rule === 'CALLBACK-URI')) state.findings.push(foreignCallbackFinding(refused, url));
  const claims = { audience: context.target.auth.appId, tenantId: context.target.auth.tenantId };
  const bearer = step.forge ? await context.forgeNotification(claims, step.forge as Forgery) : await (state.validBearer ??= context.signNotification(claims));
  const json = parts.length === 1 ? parts[0]!.json : undefined;
  const record = (to: string, at: number, result: DeliveryResult, redirect?: NotificationDelivery['redirect']): void => {
    state.transcript.push({ type: 'notification', seq: ++state.seq, at, stepIndex: index, recording, url: to, body, status: result.status, latencyMs: Math.round(result.latencyMs * 10) / 10, error: result.error, ...(step.forge && { forged: step.forge }), ...(result.tooLarge && { tooLarge: true as const }), ...(redirect && { redirect }) });
  };
  const { url: answeredAt, result } = await deliverFollowingRedirects(state, url, (to) => context.notifier.deliver(to, body, bearer, json), record);
  if (!step.forge && result.status >= 200 && result.status < 300) indices.forEach((i, k) => state.accepted.has(i) || state.accepted.set(i, parts[k]!.documented));
  touched(state);
  if (attach !== NO_ATTACH) await attach('notification', { url: answeredAt, body, answer: { status: result.status, latencyMs: result.latencyMs, text: result.responseText } });
  if (result.unreachable) throw new Unreachable(`${answeredAt}: ${result.error}`);
  apply(state, state.judge.notificationAnswer(step, index, { ...result, tooLarge: result.tooLarge ? describeCut() : undefined }), false);
}

/** The most redirects of one notification confcall follows, as an HTTP client does (a loop is the bot's defect, shown by the last answer). */
const MAX_NOTIFICATION_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 307, 308]);

/**
 * Delivers a notification where the bot redirects it, as Graph does: a bot may answer 302 with a
 * `Location` to send it to another deployment (call-notifications.md, "region affinity"; research/
 * graph-calling.md PART 3 + PART 4). Each hop is written into the transcript; only places confcall delivers to
 * (this machine, the profile's origin and hosts) are followed. Returns the last hop's place and answer.
 */
async function deliverFollowingRedirects(state: RunState, url: string, deliver: (to: string) => Promise<DeliveryResult>, record: (to: string, at: number, result: DeliveryResult, redirect?: NotificationDelivery['redirect']) => void): Promise<{ url: string; result: DeliveryResult }> {
  const policy = { callbackUri: state.context.target.callbackUri, allowHosts: state.context.target.notify?.allowHosts };
  for (let hop = 0, to = url; ; hop++) {
    const at = elapsed(state);
    const result = await deliver(to);
    const next = REDIRECTS.has(result.status) && result.location !== undefined ? resolvedLocation(result.location, to) : undefined;
    if (next === undefined) {
      record(to, at, result);
      return { url: to, result };
    }
    const followed = hop < MAX_NOTIFICATION_REDIRECTS && isDeliverable(next, policy);
    record(to, at, result, { to: next, followed });
    if (!followed) return { url: to, result };
    to = next;
  }
}

/** A redirect's Location as an absolute URL (relative ones resolve against the place that answered), or undefined when it is none. */
function resolvedLocation(location: string, base: string): string | undefined {
  try {
    return new URL(location, base).href;
  } catch {
    return undefined;
  }
}

/** Asks the bot to act, through its own trigger when the profile maps the action, else its control API; judges whether it did. */
async function controlStep(state: RunState, step: ControlStep, index: number, attach: Attach, _batchedWith: number[], route: Route): Promise<void> {
  const { context, ids } = state;
  const path = substituteIds(step.path, ids);
  const body = step.body === undefined ? undefined : withTargetCallbackUri(substituteIds(resolveBody(step.body, context.recordings), ids), context.target.callbackUri);
  const createsCall = step.method === 'POST' && /^\/calls\/?$/.test(step.path);
  const action = actionOf(step.method, path, body);
  if (action && context.target.actions?.[action.action]) return mappedActionStep(state, step, index, attach, { action, body, createsCall, route });
  const url = `${context.target.control!.replace(/\/$/, '')}${path}`;
  const at = elapsed(state);
  const call = () => exchange(botDispatcher(), { ...placeOfUrl(url), method: step.method as 'POST', body: body === undefined ? undefined : JSON.stringify(body), headers: body === undefined ? {} : { 'content-type': 'application/json' }, headersTimeout: 20_000, bodyTimeout: 20_000 }, MAX_REPLY_BYTES);
  const answer = await readAnswer(createsCall ? () => context.graph.withCreateClaim(route, call) : call);
  if (/ECONNREFUSED/.test(answer.error ?? '') && !answer.status) throw new Unreachable(`${url}: ${answer.error}`);
  state.transcript.push({ type: 'control', seq: ++state.seq, at, stepIndex: index, method: step.method, url, body, status: answer.status, responseBody: answer.body, error: answer.error });
  if (attach !== NO_ATTACH) await attach('control', { request: { method: step.method, url, body }, answer });
  const created = (answer.body as { callId?: unknown } | undefined)?.callId;
  if (typeof created === 'string') state.replies.knownCalls.add(created.toLowerCase());
  apply(state, state.judge.controlAnswer(step, index, answer), true);
}

/** Does a control step through the bot's own trigger (the profile's `actions`), and judges it in the bot's terms. */
async function mappedActionStep(state: RunState, step: ControlStep, index: number, attach: Attach, how: { action: NonNullable<ReturnType<typeof actionOf>>; body: unknown; createsCall: boolean; route: Route }): Promise<void> {
  const { context } = state;
  const name = how.action.action;
  const trigger = context.target.actions![name]!;
  const at = elapsed(state);
  const call = () => triggerAction(trigger, triggerValues(context.target, how.action, how.body), name);
  const answer = await (how.createsCall ? context.graph.withCreateClaim(how.route, call) : call());
  if (answer.unreachable) throw new Unreachable(`${answer.via}: ${answer.error}`);
  state.transcript.push({ type: 'control', seq: ++state.seq, at, stepIndex: index, action: name, method: answer.method, url: answer.url, body: answer.body, status: answer.status, responseBody: answer.responseBody, error: answer.error });
  if (attach !== NO_ATTACH) await attach(name, { trigger: { via: answer.via, body: answer.body }, answer: { outcome: answer.outcome, said: answer.said, body: answer.responseBody } });
  if (answer.callId) state.replies.knownCalls.add(answer.callId.toLowerCase());
  apply(state, state.judge.actionAnswer(step, index, { action: name, outcome: answer.outcome, via: answer.via, said: answer.said }), true);
}

/** Control bodies (keyed as written) whose mapped trigger carries only some of their members. */
function carriedBodies(scenario: Scenario, context: RunContext): Map<string, string[]> {
  return carriedPerTarget(scenario, context.target, context);
}

/** carriedBodies per scenario and target: the same for every run of a scenario (whose recordings are the scenario's). */
const carriedPerTarget = pairMemo((scenario: Scenario, _target: TargetProfile, context: RunContext) => findCarriedBodies(scenario, context));

function findCarriedBodies(scenario: Scenario, context: RunContext): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const step of scenario.steps) {
    if (step.kind !== 'control' || step.body === undefined) continue;
    const action = actionOf(step.method, step.path, resolveBody(step.body, context.recordings));
    const trigger = action && context.target.actions?.[action.action];
    const pointers = trigger ? carriedPointers(trigger) : undefined;
    if (pointers) out.set(JSON.stringify(step.body), pointers);
  }
  return out;
}

/** Waits (up to `within`) for the request the step expects, after the one the previous expect matched. */
async function expectStep(state: RunState, step: ExpectStep, index: number, attach: Attach): Promise<void> {
  const check = { step, index, matcher: resolveMatcher(state, step.request), fromSeq: state.cursor };
  if (step.times !== undefined) state.counted.push(check);
  if (step.times === 0) return;
  const withinMs = step.within ?? DEFAULT_EXPECT_WITHIN_MS;
  const deadline = performance.now() + withinMs;
  for (;;) {
    const hit = exchanges(state).find((e) => e.seq > check.fromSeq && mismatch(check.matcher, e) === undefined);
    if (hit) {
      state.cursor = hit.seq;
      if (attach !== NO_ATTACH) await attach('request', { method: hit.method, path: hit.rawPath, body: hit.body, response: hit.response });
      return;
    }
    const left = deadline - performance.now();
    if (left <= 0) break;
    await nextActivity(state, left);
  }
  throw new StepFailure(state.judge.missedRequest(check, exchanges(state), withinMs), true);
}

/** Reads the bot's view through its probe until it shows what the step expects, or the time is up. */
async function probeStep(state: RunState, step: ProbeStep, index: number, attach: Attach): Promise<void> {
  const { ids, probe } = state;
  if (!probe) {
    state.skippedChecks.push(`step ${index + 1} (${formatPosition(step.position)}): probe ${JSON.stringify(step.expect)} not checked, the target has no probe`);
    state.uncheckedSteps.add(index);
    if (attach !== NO_ATTACH) await attach('skipped', 'the target has no probe: this check was not made');
    return;
  }
  const url = probe.url;
  const expected = substituteIds(step.expect, ids);
  const deadline = performance.now() + (state.options.probeWithinMs ?? step.within ?? DEFAULT_PROBE_WITHIN_MS);
  const differenceIn = (answer: ProbeAnswer) => (answer.status === 200 ? probeDifference(expected, answer.view, hungUpByBot(exchanges(state), ids.callId)) : answer.error ?? `probe answered HTTP ${answer.status}`);
  // Consecutive probe steps (peer-to-peer-failed: `{state}` then `{resultInfo}`) ask about the same
  // instant when nothing came between them: no notification sent, no control call, no Graph request
  // arrived (each would have moved seq), no delay. The previous step's reading is then the bot's view
  // as this step begins, as a fresh read would be; when it does not show what this step expects, the
  // step polls as ever, so a failure is still judged on fresh readings only.
  const reused = state.lastRead?.seq === state.seq ? state.lastRead.answer : undefined;
  let last: ProbeAnswer = reused ?? { status: 0 };
  let difference = reused && differenceIn(reused);
  if (!reused || difference) {
    for (;;) {
      last = await readProbe(probe);
      refusedProbe(url, last);
      difference = differenceIn(last);
      if (!difference || performance.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  state.transcript.push({ type: 'probe', seq: ++state.seq, at: elapsed(state), stepIndex: index, url, status: last.status, view: last.view, error: last.error });
  state.lastRead = { seq: state.seq, answer: last };
  if (attach !== NO_ATTACH) await attach('probe', { url, expected, view: last.view, status: last.status });
  if (difference) throw new StepFailure(state.judge.probeDifference(step, index, difference, expected), false);
}

/** Waits for quiet (and for rules still waiting on a deadline), then judges what is left: expectNo, `times`, convergence, the protocol rules. */
async function settleAndJudge(state: RunState, attach: Attach): Promise<void> {
  const { context, options, ids, findings } = state;
  const settleMs = options.settleMs ?? context.target.settleMs ?? DEFAULT_SETTLE_MS;
  const limit = performance.now() + MAX_SETTLE_MS;
  while (performance.now() - state.lastActivity < settleMs && performance.now() < limit) await nextActivity(state, settleMs - (performance.now() - state.lastActivity));
  // A rule still waiting on a deadline (an incoming call not yet decided): keep the run open until the bot acts or the deadline passes.
  for (let due = undecidedUntil(state.transcript, ids.callId); due !== undefined && elapsed(state) < due; due = undecidedUntil(state.transcript, ids.callId)) {
    await nextActivity(state, due - elapsed(state) + 50);
  }
  findings.push(...state.judge.endOfRun(state.pendingNo, state.counted, exchanges(state)));
  const { probe } = state;
  if (!findings.some((f) => f.severity === 'failure') && probe) {
    const { difference, settled } = await convergence(probe, truthNow(state), options.probeWithinMs ?? DEFAULT_PROBE_WITHIN_MS, () => hungUpByBot(exchanges(state), ids.callId));
    if (difference) findings.push(state.judge.convergence(difference));
    // The view the bot settled on is its final view (order independence compares it), not a probe step's
    // earlier read: a bot that acknowledges first and acts later (graph-calling.md PART 4: the SDK
    // "returns 202 Accepted immediately" and processes in per-call queues) may still be acting then.
    if (settled) state.transcript.push({ type: 'probe', seq: ++state.seq, at: elapsed(state), stepIndex: state.scenario.steps.length - 1, url: probe.url, status: 200, view: settled.view });
  }
  findings.push(...judgeTranscript(state.transcript, { callId: ids.callId, appId: context.target.auth.appId, endedAt: elapsed(state) }, context.judging ?? DEFAULT_JUDGING));
  if (attach !== NO_ATTACH) await attach('transcript', state.transcript);
  if (findings.length && attach !== NO_ATTACH) await attach('findings', findings);
}

/** Keeps a step's deviation, and fails the step on its failure (stopping the run when later steps build on it). */
function apply(state: RunState, judgement: StepJudgement, stops: boolean): void {
  if (judgement.deviation) state.findings.push(judgement.deviation);
  if (judgement.failure) throw new StepFailure(judgement.failure, stops);
}

/** Where the run's notifications go now: decided again only when the bot gives another callbackUri. */
function placeOfNotifications(state: RunState): ReturnType<typeof deliveryPlace> {
  const botCallbackUri = state.callbackUris.get(state.ids.callId);
  if (state.place?.botCallbackUri !== botCallbackUri || !state.place) state.place = { botCallbackUri, place: targetDeliveryPlace(state.context.target, botCallbackUri) };
  return state.place.place;
}

/**
 * deliveryPlace under a target's policy, each callbackUri decided once per target: a bot gives the
 * same callbackUri in every run, and deciding parses URLs. The policy is the target's, which a run never changes.
 */
function targetDeliveryPlace(target: TargetProfile, botCallbackUri: string | undefined): ReturnType<typeof deliveryPlace> {
  let places = deliveryPlaces.get(target);
  if (!places) deliveryPlaces.set(target, (places = new Map()));
  let place = places.get(botCallbackUri);
  if (!place) {
    place = deliveryPlace(botCallbackUri, { callbackUri: target.callbackUri, allowHosts: target.notify?.allowHosts });
    if (places.size < MAX_DELIVERY_PLACES) places.set(botCallbackUri, place);
  }
  return place;
}

const deliveryPlaces = new WeakMap<TargetProfile, Map<string | undefined, ReturnType<typeof deliveryPlace>>>();
/** A bot that gives a callbackUri of its own per call is decided each run past this many. */
const MAX_DELIVERY_PLACES = 256;

/**
 * A notify step's body as documented (ids and patch applied), and as sent under the run's variant;
 * with its JSON text when it is the recording's body as compiled (no patch, variant or reshaping).
 */
function notificationBody(state: RunState, step: NotifyStep): { documented: unknown; sent: unknown; json?: string } {
  const { context, ids, options } = state;
  const recorded = context.recordings.get(step.recording)!.body;
  let documented = substituteIds(recorded, ids);
  if (step.patch !== undefined) documented = deepMerge(documented, substituteIds(step.patch, ids));
  if (step.patch === undefined && !options.variant && !context.shapeNotification) return { documented, sent: documented, json: substituteIdsToJson(recorded, ids) };
  const sent = options.variant ? options.variant.apply(documented) : documented;
  return { documented, sent: context.shapeNotification ? context.shapeNotification(sent) : sent };
}

function resolveMatcher(state: RunState, m: ExpectStep['request']): ResolvedMatcher {
  let resolved = state.matchers.get(m);
  if (!resolved) state.matchers.set(m, (resolved = matcherWithIds(state, m)));
  return resolved;
}

function matcherWithIds(state: RunState, m: ExpectStep['request']): ResolvedMatcher {
  const one = (r: Omit<ExpectStep['request'], 'or'>): Omit<ResolvedMatcher, 'or'> => ({
    method: r.method,
    path: substituteIds(r.path, state.ids),
    body: r.body === undefined ? undefined : substituteIds(carriedPart(state, r.body), state.ids),
    ignore: r.ignore,
  });
  return { ...one(m), ...(m.or && { or: m.or.map(one) }) };
}

/**
 * An expected body, narrowed to what a mapped trigger carried when it is the body of a control step
 * the bot got only in part (a join URL): the rest of its request is the bot's choice.
 */
function carriedPart(state: RunState, spec: unknown): unknown {
  const body = resolveBody(spec, state.context.recordings);
  const pointers = state.carried.get(JSON.stringify(spec));
  return pointers ? projectOnto(body, pointers) : body;
}

function exchanges(state: RunState): GraphExchange[] {
  return state.exchanges;
}

/** Milliseconds since the run started, to a tenth. */
function elapsed(state: RunState): number {
  return Math.round((performance.now() - state.started) * 10) / 10;
}

/** Something happened (a request, a delivery): quiet starts again, and a waiting step looks again. */
function touched(state: RunState): void {
  state.lastActivity = performance.now();
  state.wake?.();
}

/** Resolves when a new exchange arrives or `ms` pass. */
function nextActivity(state: RunState, ms: number): Promise<void> {
  return new Promise((resolve) => {
    // `ms` is computed from a clock that moves on: it can come out a hair below 0, which Node 24 warns about.
    const timer = setTimeout(done, Math.max(0, ms));
    function done(): void {
      clearTimeout(timer);
      state.wake = undefined;
      resolve();
    }
    state.wake = done;
  });
}

/** Several `commsNotifications` bodies as one: the first's envelope, every item in order in `value[]`. */
function joinBatch(bodies: unknown[]): unknown {
  const items = bodies.flatMap((b) => ((b as { value?: unknown[] } | undefined)?.value ?? []));
  return { ...(bodies[0] as object), value: items };
}

/** The control API's answer, read to MAX_REPLY_BYTES; a transport error is an answer with status 0. */
async function readAnswer(call: () => Promise<ExchangeAnswer>): Promise<{ status: number; body?: unknown; error?: string }> {
  try {
    const { status, text, cut } = await call();
    if (cut) return { status, error: `the control API answered HTTP ${status} with ${describeCut()}` };
    try {
      return { status, body: text ? JSON.parse(text) : undefined };
    } catch {
      return { status, body: text.slice(0, 2048) };
    }
  } catch (e) {
    return { status: 0, error: `${(e as { code?: string }).code ?? 'error'}: ${(e as Error).message}` };
  }
}

/**
 * A probe that refuses the connection: the bot is gone (it crashed, or a Ctrl-C stopped it), as a
 * refused control call or notification says. Polling on for the step's `within` would only delay the
 * run's end (and an interrupted run's stop).
 */
function refusedProbe(url: string, answer: ProbeAnswer): void {
  if (answer.status === 0 && /ECONNREFUSED/.test(answer.error ?? '')) throw new Unreachable(`${url}: ${answer.error}`);
}

/** Polls the probe until the bot's view matches Graph's truth: the read that matched, or the last difference when none did in time. */
async function convergence(probe: NonNullable<ReturnType<typeof probeOf>>, truth: CallTruth, withinMs: number, botHungUp: () => boolean): Promise<{ difference?: string; settled?: ProbeAnswer }> {
  if (!truth.resource?.state && !truth.roster) return {};
  const deadline = performance.now() + withinMs;
  for (;;) {
    const answer = await readProbe(probe);
    refusedProbe(probe.url, answer);
    const difference = answer.status === 200 ? convergenceDifference(truth, answer.view, botHungUp()) : answer.error ?? `probe answered HTTP ${answer.status}`;
    if (!difference) return { settled: answer };
    if (performance.now() >= deadline) return { difference };
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A scenario's recorded ids, collected once per scenario and recordings (not once per schedule run). */
function recordedIdsFor(scenario: Scenario, recordings: Map<string, Recording>): RecordedIds {
  return recordedIdsPerRecordings(recordings, scenario);
}

const recordedIdsPerRecordings = pairMemo((recordings: Map<string, Recording>, scenario: Scenario): RecordedIds => recordedIdsOf(payloadsOf(scenario, recordings)));

/**
 * Every payload and path a scenario uses, so their recorded ids can be mapped together. The default
 * replies count too: the operation a playPrompt's default reply names is the one the scenario's
 * completion notification reports, and its Location must name the run's call.
 */
function payloadsOf(scenario: Scenario, recordings: Map<string, Recording>): unknown[] {
  const out: unknown[] = defaultReplyPayloads(recordings);
  const add = (body: unknown): void => void out.push(resolveBody(body, recordings));
  for (const step of scenario.steps) {
    if (step.kind === 'notify') out.push(recordings.get(step.recording)?.body, step.patch);
    if (step.kind === 'control') {
      out.push(step.path);
      add(step.body);
    }
    if (step.kind === 'expect' || step.kind === 'expectNo') {
      for (const m of [step.request, ...(step.request.or ?? [])]) {
        out.push(m.path);
        add(m.body);
      }
    }
    if (step.kind === 'expect' && typeof step.respond === 'string') out.push(recordings.get(step.respond)?.body, recordings.get(step.respond)?.http.headers);
    if (step.kind === 'probe') out.push(step.expect);
  }
  return out;
}

/** Merges a patch into a JSON value: objects member by member, lists item by item, anything else replaced. */
export function deepMerge(base: unknown, patch: unknown): unknown {
  if (Array.isArray(base) && Array.isArray(patch)) return base.map((item, i) => (i < patch.length ? deepMerge(item, patch[i]) : item)).concat(patch.slice(base.length));
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = v === null ? null : deepMerge(base[k], v);
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
