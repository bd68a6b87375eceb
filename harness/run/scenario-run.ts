import { request } from 'undici';
import type { FakeGraph, GraphReply, GraphRequest } from '../graph/fake-graph.js';
import { callIdOfPath } from '../graph/graph-paths.js';
import { graphError } from '../graph/graph-error.js';
import { applyNotificationToTruth, truthFromCreated, type CallTruth } from '../graph/call-truth.js';
import { convergenceDifference } from '../oracle/convergence.js';
import type { Notifier } from '../notify/deliver.js';
import { deliveryPlace } from '../notify/delivery-place.js';
import { describeCut, MAX_REPLY_BYTES, readCappedBody } from '../notify/capped-body.js';
import type { Forgery, NotificationClaims } from '../notify/notification-token.js';
import { formatPosition, type SourcePosition } from '../model/position.js';
import type { Recording } from '../model/recording.js';
import type { ExpectNoStep, ExpectStep, Scenario, Step } from '../model/suite.js';
import type { TargetProfile } from '../model/target.js';
import type { Finding, GraphExchange, TranscriptEvent } from '../model/transcript.js';
import { describeMatcher, mismatch, type ResolvedMatcher } from '../oracle/request-match.js';
import { probeDifference } from '../oracle/probe-match.js';
import { exercisedRules, judgeTranscript, undecidedUntil } from '../oracle/rules/index.js';
import { contractWeight, DEFAULT_JUDGING, weightOf, type Judging } from '../oracle/judging.js';
import { show } from '../oracle/json-subset.js';
import { defaultReplyRecording } from './default-replies.js';
import { freshRunIds, recordedIdsOf, reverseIds, substituteIds, withTargetCallbackUri, type RecordedIds, type RunIds } from './run-ids.js';
import { stepTitle } from './step-title.js';
import { executionPlan } from '../order/execution-plan.js';
import type { Schedule } from '../order/schedule.js';
import type { PayloadVariant } from '../order/payload-variants.js';

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
}

/** Lets a reporter wrap each step (Playwright's `test.step`) and attach payloads to it. */
export interface StepHooks {
  step(title: string, location: SourcePosition | undefined, body: (attach: Attach) => Promise<void>): Promise<void>;
}
export type Attach = (name: string, value: unknown) => Promise<void>;

/** The outcome of one scenario run. */
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
  /**
   * The requirements this run judged: the protocol rules it gave something to check, and the
   * scenario's requirements whose steps all ran (or whose check failed). The rest it says nothing about.
   */
  judged: string[];
  /** Set when a test hook did not do what the scenario needs (the control API refused an action): the scenario was not judged. */
  notJudged?: string;
}

/** A step failure: thrown inside the step so reporters mark that step, caught by the run. */
export class StepFailure extends Error {
  constructor(readonly finding: Finding) {
    super(formatFinding(finding));
    this.name = 'StepFailure';
  }
}

class Unreachable extends Error {}

/** A precondition a test hook did not meet (the control API did not do the action): the scenario cannot be judged. */
class NotJudged extends Error {}

const DEFAULT_EXPECT_WITHIN_MS = 5000;
const DEFAULT_PROBE_WITHIN_MS = 2000;
const DEFAULT_SETTLE_MS = 300;
/** The longest a run waits for quiet: a bot that needs longer is not settling, it is doing something else. */
export const MAX_SETTLE_MS = 3000;

const directHooks: StepHooks = { step: (_title, _location, body) => body(async () => {}) };

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

/** Runs one scenario against a target: sends, drives, waits, and judges. Never throws for bot behaviour. */
export async function runScenario(context: RunContext, scenario: Scenario, hooks: StepHooks = directHooks, options: RunOptions = {}): Promise<ScenarioResult> {
  const started = performance.now();
  const ids = freshRunIds(recordedIdsFor(scenario, context.recordings), context.freshId);
  const transcript: TranscriptEvent[] = [];
  const findings: Finding[] = [];
  const skippedChecks: string[] = [];
  let seq = 0;
  const now = (): number => Math.round((performance.now() - started) * 10) / 10;
  const exchanges = (): GraphExchange[] => transcript.filter((e): e is GraphExchange => e.type === 'graph');
  const callbackUris = new Map<string, string>();
  let lastActivity = performance.now();
  let wake: (() => void) | undefined;

  const resolveMatcher = (m: ExpectStep['request']): ResolvedMatcher => ({
    method: m.method,
    path: substituteIds(m.path, ids),
    body: m.body === undefined ? undefined : substituteIds(bodyOf(m.body, context.recordings), ids),
    ignore: m.ignore,
  });

  // Replies the scenario scripted, claimed in step order by the first request each matches.
  const scripted = scenario.steps.flatMap((step, index) =>
    step.kind === 'expect' && step.respond !== undefined ? [{ index, matcher: resolveMatcher(step.request), reply: replyOf(step.respond, context.recordings, ids), used: false }] : [],
  );
  const knownCalls = new Set([ids.callId.toLowerCase()]);
  let created: CallTruth = {};
  // Notifications the bot accepted, by step: Graph's truth applies them in documented (step) order.
  const accepted = new Map<number, unknown>();
  const truthNow = (): CallTruth => [...accepted].sort(([a], [b]) => a - b).reduce((truth, [, body]) => applyNotificationToTruth(truth, body, ids.callId), created);

  const route = { owns: (callId: string) => knownCalls.has(callId.toLowerCase()), respond: (req: GraphRequest) => respond(req) };
  const respond = (req: GraphRequest): GraphReply => {
    const rule = scripted.find((r) => !r.used && mismatch(r.matcher, req) === undefined);
    let reply: GraphReply;
    if (rule) {
      rule.used = true;
      reply = rule.reply;
    } else {
      const callId = callIdOfPath(req.path);
      if (callId !== undefined && !knownCalls.has(callId.toLowerCase())) {
        reply = { status: 404, body: graphError('ItemNotFound', `Call ${callId} does not exist.`, req.requestId) };
      } else if (req.method === 'GET' && req.path === `/communications/calls/${ids.callId}`) {
        const resource = truthNow().resource;
        reply = resource ? { status: 200, body: resource } : { status: 404, body: graphError('ItemNotFound', `Call ${ids.callId} does not exist yet.`, req.requestId) };
      } else {
        reply = defaultReply(req, context.recordings, ids);
      }
    }
    if (req.requestKind === 'createCall' && reply.status === 201) created = truthFromCreated(created, reply.body);
    const body = req.body as { callbackUri?: unknown } | undefined;
    if (typeof body?.callbackUri === 'string' && (req.requestKind === 'createCall' || req.requestKind === 'answer')) {
      callbackUris.set(req.requestKind === 'answer' ? callIdOfPath(req.path)! : ids.callId, body.callbackUri);
    }
    const { requestId: _requestId, ...seen } = req;
    transcript.push({ type: 'graph', seq: ++seq, at: now(), ...seen, response: { status: reply.status, headers: reply.headers ?? {}, body: reply.body }, answeredByStep: rule?.index });
    lastActivity = performance.now();
    wake?.();
    return reply;
  };

  /** Resolves when a new exchange arrives or `ms` pass. */
  const nextActivity = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  const judging = context.judging ?? DEFAULT_JUDGING;
  const owned = requirementsOfSteps(scenario, judging);
  const stepFinding = (step: Step, index: number, actual: string, expected: string): Finding => ({
    rule: 'STEP', requirements: owned, ...weightOf(owned, judging, { basis: 'document', level: 'MUST' }), stepIndex: index, where: formatPosition(step.position), actual, expected, because: step.because,
  });
  const fail = (step: Step, index: number, actual: string, expected: string): never => {
    throw new StepFailure(stepFinding(step, index, actual, expected));
  };
  /** A test-hook convention not kept: listed, never failing; the run goes on. */
  const deviate = (step: Step, index: number, actual: string, expected: string): void => {
    findings.push({ ...stepFinding(step, index, actual, expected), requirements: [], ...contractWeight(), because: 'DESIGN.md control API and probe conventions (a test hook, not a document rule)' });
  };

  let cursor = 0; // seq of the request the previous `expect` matched: later expects look after it
  const pendingNo: Array<{ step: ExpectNoStep; index: number; matcher: ResolvedMatcher; fromSeq: number }> = [];
  const counted: Array<{ step: ExpectStep; index: number; matcher: ResolvedMatcher; fromSeq: number }> = [];

  // One valid token for the run's notifications, as Graph reuses one (the signer renews it long before it expires).
  const claims = { audience: context.target.auth.appId, tenantId: context.target.auth.tenantId };
  let validBearer: Promise<string> | undefined;

  /** A notify step's body as documented (ids and patch applied), and as sent under the run's variant. */
  const notificationBody = (step: Extract<Step, { kind: 'notify' }>): { documented: unknown; sent: unknown } => {
    let documented = substituteIds(context.recordings.get(step.recording)!.body, ids);
    if (step.patch !== undefined) documented = deepMerge(documented, substituteIds(step.patch, ids));
    const sent = options.variant ? options.variant.apply(documented) : documented;
    return { documented, sent: context.shapeNotification ? context.shapeNotification(sent) : sent };
  };

  const run: Record<Step['kind'], (step: any, index: number, attach: Attach, batchedWith: number[]) => Promise<void>> = {
    async notify(step: Extract<Step, { kind: 'notify' }>, index, attach, batchedWith) {
      const indices = [index, ...batchedWith];
      const parts = indices.map((i) => notificationBody(scenario.steps[i] as Extract<Step, { kind: 'notify' }>));
      const body = parts.length === 1 ? parts[0]!.sent : joinBatch(parts.map((p) => p.sent));
      const recording = indices.map((i) => (scenario.steps[i] as Extract<Step, { kind: 'notify' }>).recording).join(' + ');
      const { url, refused } = deliveryPlace(callbackUris.get(ids.callId), { callbackUri: context.target.callbackUri, allowHosts: context.target.notify?.allowHosts });
      if (refused !== undefined && !findings.some((f) => f.rule === 'CALLBACK-URI')) findings.push(foreignCallbackFinding(refused, url));
      const bearer = step.forge ? await context.forgeNotification(claims, step.forge as Forgery) : await (validBearer ??= context.signNotification(claims));
      const at = now();
      const result = await context.notifier.deliver(url, body, bearer);
      transcript.push({ type: 'notification', seq: ++seq, at, stepIndex: index, recording, url, body, status: result.status, latencyMs: Math.round(result.latencyMs * 10) / 10, error: result.error });
      if (!step.forge && result.status >= 200 && result.status < 300) indices.forEach((i, k) => accepted.has(i) || accepted.set(i, parts[k]!.documented));
      lastActivity = performance.now();
      await attach('notification', { url, body, answer: { status: result.status, latencyMs: result.latencyMs, text: result.responseText } });
      if (result.unreachable) throw new Unreachable(`${url}: ${result.error}`);
      const allowed = step.expectStatus;
      if (step.forge && result.status >= 400 && result.status < 500) {
        // Any 4xx refuses the notification; which one is the bot's choice (the suites' statuses are advice).
        if (allowed && !allowed.includes(result.status)) deviate(step, index, `refused the forged notification with HTTP ${result.status}`, `HTTP ${allowed.join(' or ')} (advice: any 4xx is a refusal)`);
        return;
      }
      if (step.forge && result.status >= 200 && result.status < 300) {
        throw new StepFailure({ ...stepFinding(step, index, `accepted a notification with a forged token (${step.forge}) with HTTP ${result.status}`, 'a refusal (any 4xx; 401 or 403 is usual)'), requirements: ['NOTIFY-AUTH-FORGED'], ...weightOf(['NOTIFY-AUTH-FORGED'], judging, { basis: 'document', level: 'MUST' }) });
      }
      if (result.tooLarge) fail(step, index, `answered the notification with HTTP ${result.status} and ${describeCut()}`, 'a short acknowledgement (Graph reads no body from it)');
      const ok = allowed ? allowed.includes(result.status) : result.status >= 200 && result.status < 300;
      if (!ok) {
        fail(step, index, result.status ? `answered the notification with HTTP ${result.status}${result.responseText ? ` (${show(result.responseText)})` : ''}` : `did not answer the notification (${result.error})`, allowed ? `HTTP ${allowed.join(' or ')}` : 'a 2xx answer (Graph retries or drops the call otherwise)');
      }
    },

    async control(step: Extract<Step, { kind: 'control' }>, index, attach) {
      const url = `${context.target.control!.replace(/\/$/, '')}${substituteIds(step.path, ids)}`;
      const body = step.body === undefined ? undefined : withTargetCallbackUri(substituteIds(bodyOf(step.body, context.recordings), ids), context.target.callbackUri);
      const at = now();
      let status = 0;
      let responseBody: unknown;
      let error: string | undefined;
      const createsCall = step.method === 'POST' && /^\/calls\/?$/.test(step.path);
      const call = () => request(url, { method: step.method as 'POST', body: body === undefined ? undefined : JSON.stringify(body), headers: body === undefined ? {} : { 'content-type': 'application/json' }, headersTimeout: 20_000, bodyTimeout: 20_000 });
      try {
        const res = await (createsCall ? context.graph.withCreateClaim(route, call) : call());
        status = res.statusCode;
        const { text, cut } = await readCappedBody(res.body, MAX_REPLY_BYTES);
        if (cut) error = `the control API answered HTTP ${status} with ${describeCut()}`;
        try {
          responseBody = text && !cut ? JSON.parse(text) : undefined;
        } catch {
          responseBody = text.slice(0, 2048);
        }
      } catch (e) {
        error = `${(e as { code?: string }).code ?? 'error'}: ${(e as Error).message}`;
        if (/ECONNREFUSED/.test(error)) throw new Unreachable(`${url}: ${error}`);
      }
      transcript.push({ type: 'control', seq: ++seq, at, stepIndex: index, method: step.method, url, body, status, responseBody, error });
      await attach('control', { request: { method: step.method, url, body }, answer: { status, body: responseBody, error } });
      const created = (responseBody as { callId?: unknown } | undefined)?.callId;
      if (typeof created === 'string') knownCalls.add(created.toLowerCase());
      const allowed = step.expectStatus;
      const ok = allowed ? allowed.includes(status) : status >= 200 && status < 300;
      if (error && status) deviate(step, index, error, 'a short JSON answer');
      if (ok) return;
      const said = status ? `control API answered HTTP ${status}${responseBody !== undefined ? ` ${show(responseBody)}` : ''}` : `control API failed (${error})`;
      const refusalWanted = !!allowed && allowed.every((s) => s >= 400 && s < 500);
      // A refusal is any 4xx (the exact status is advice); what matters is what reached Graph, judged by the scenario's expectNo.
      if (refusalWanted && status >= 400 && status < 500) return deviate(step, index, said, `HTTP ${allowed!.join(' or ')} (advice: any 4xx is a refusal)`);
      if (refusalWanted) return deviate(step, index, `${said}: it did not refuse`, `a refusal (any 4xx); what reached Graph is judged by the scenario's other steps`);
      // The action was not done: what the scenario checks next cannot happen (a bot that ended the call itself lands here too).
      fail(step, index, said, allowed ? `HTTP ${allowed.join(' or ')}` : 'a 2xx answer (the bot did the action)');
    },

    async expect(step: ExpectStep, index, attach) {
      const matcher = resolveMatcher(step.request);
      const fromSeq = cursor;
      if (step.times !== undefined) counted.push({ step, index, matcher, fromSeq });
      if (step.times === 0) return;
      const deadline = performance.now() + (step.within ?? DEFAULT_EXPECT_WITHIN_MS);
      for (;;) {
        const hit = exchanges().find((e) => e.seq > fromSeq && mismatch(matcher, e) === undefined);
        if (hit) {
          cursor = hit.seq;
          await attach('request', { method: hit.method, path: hit.rawPath, body: hit.body, response: hit.response });
          return;
        }
        const left = deadline - performance.now();
        if (left <= 0) break;
        await nextActivity(left);
      }
      const near = exchanges().filter((e) => e.seq > fromSeq && (!matcher.method || e.method === matcher.method.toUpperCase()));
      const nearest = near.map((e) => ({ e, why: mismatch(matcher, e)! })).find(({ why }) => !why.startsWith('path'));
      const actual = nearest
        ? `sent ${nearest.e.method} ${nearest.e.rawPath} but its body differs: ${nearest.why}`
        : near.length
          ? `sent no such request within ${step.within ?? DEFAULT_EXPECT_WITHIN_MS} ms (it sent ${near.map((e) => `${e.method} ${e.rawPath}`).join(', ')})`
          : `sent no such request within ${step.within ?? DEFAULT_EXPECT_WITHIN_MS} ms`;
      fail(step, index, actual, `${describeMatcher(matcher)}${matcher.body !== undefined ? ' with the documented body' : ''}`);
    },

    async expectNo(step: ExpectNoStep, index) {
      pendingNo.push({ step, index, matcher: resolveMatcher(step.request), fromSeq: seq });
    },

    async probe(step: Extract<Step, { kind: 'probe' }>, index, attach) {
      if (!context.target.probe || !context.target.control) {
        skippedChecks.push(`step ${index + 1} (${formatPosition(step.position)}): probe ${JSON.stringify(step.expect)} not checked, the target has no probe`);
        await attach('skipped', 'the target has no probe: this check was not made');
        return;
      }
      const url = `${context.target.control!.replace(/\/$/, '')}/calls/${ids.callId}`;
      const expected = substituteIds(step.expect, ids);
      const deadline = performance.now() + (options.probeWithinMs ?? step.within ?? DEFAULT_PROBE_WITHIN_MS);
      let last: { status: number; view?: unknown; error?: string } = { status: 0 };
      let difference: string | undefined;
      for (;;) {
        last = await readProbe(url);
        difference = last.status === 200 ? probeDifference(expected, last.view) : last.error ?? `probe answered HTTP ${last.status}`;
        if (!difference || performance.now() >= deadline) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      transcript.push({ type: 'probe', seq: ++seq, at: now(), stepIndex: index, url, status: last.status, view: last.view, error: last.error });
      await attach('probe', { url, expected, view: last.view, status: last.status });
      if (difference) fail(step, index, `reports ${difference}`, `its view to show ${show(expected)}`);
    },
  };

  const detach = context.graph.attach(route);
  let unreachable: string | undefined;
  let notJudged: string | undefined;
  let stopped = false;
  try {
    for (const planned of executionPlan(scenario, options.schedule, options.variant?.batched)) {
      const { index, delayMs, duplicate, batchedWith } = planned;
      const step = scenario.steps[index]!;
      try {
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        const batch = batchedWith.length ? ` (one POST with step(s) ${batchedWith.map((i) => i + 1).join(', ')})` : '';
        const title = `${stepTitle(step, index)}${duplicate ? ' (duplicate)' : ''}${delayMs ? ` (after ${delayMs} ms)` : ''}${batch}`;
        await hooks.step(title, step.position, (attach) => run[step.kind](step, index, attach, batchedWith));
      } catch (error) {
        if (error instanceof Unreachable) {
          unreachable = error.message;
          break;
        }
        if (error instanceof StepFailure) {
          findings.push(error.finding);
          stopped = true;
          break;
        }
        if (error instanceof NotJudged) {
          notJudged = error.message;
          break;
        }
        throw error;
      }
    }
    if (!unreachable && !notJudged) {
      await hooks.step('settle and judge', undefined, async (attach) => {
        const settleMs = options.settleMs ?? context.target.settleMs ?? DEFAULT_SETTLE_MS;
        const limit = performance.now() + MAX_SETTLE_MS;
        while (performance.now() - lastActivity < settleMs && performance.now() < limit) await nextActivity(settleMs - (performance.now() - lastActivity));
        // A rule still waiting on a deadline (an incoming call not yet decided): keep the run open until the bot acts or the deadline passes.
        for (let due = undecidedUntil(transcript, ids.callId); due !== undefined && now() < due; due = undecidedUntil(transcript, ids.callId)) {
          await nextActivity(due - now() + 50);
        }
        findings.push(...endOfRunFindings(pendingNo, counted, exchanges()).map((f) => ({ ...f, requirements: owned, ...weightOf(owned, judging, { basis: 'document', level: 'MUST' }) })));
        if (!findings.some((f) => f.severity === 'failure') && context.target.probe && context.target.control) {
          const converged = await convergence(`${context.target.control.replace(/\/$/, '')}/calls/${ids.callId}`, truthNow(), options.probeWithinMs ?? DEFAULT_PROBE_WITHIN_MS);
          // The final view is the bot's own account of a documented state: it weighs as the scenario's requirements.
          if (converged) findings.push({ ...converged, requirements: owned, ...weightOf(owned, judging, { basis: 'document', level: 'MUST' }) });
        }
        findings.push(...judgeTranscript(transcript, { callId: ids.callId, appId: context.target.auth.appId, endedAt: now() }, judging));
        await attach('transcript', transcript);
        if (findings.length) await attach('findings', findings);
      });
    }
  } finally {
    detach();
  }
  const facts = { callId: ids.callId, appId: context.target.auth.appId, endedAt: now() };
  // A run a step failure stopped judged that step's requirements, not the ones of the steps it never reached.
  const completed = !unreachable && !notJudged && !stopped;
  const judged = new Set([...exercisedRules(transcript, facts), ...findings.flatMap((f) => f.requirements ?? []), ...(completed ? owned : [])]);
  return { scenarioId: `${scenario.suiteId}/${scenario.id}`, callId: ids.callId, runToRecorded: reverseIds(ids), transcript, findings, unreachable, skippedChecks, judged: [...judged].sort(), ...(notJudged && { notJudged }) };
}

/** The requirements a scenario's steps check: its own, not the protocol rules it also names (those judge themselves). */
function requirementsOfSteps(scenario: Scenario, judging: Judging): string[] {
  const own = scenario.requirements.filter((id) => !judging.requirements.get(id)?.rule);
  return own.length ? own : scenario.requirements;
}

/** The bot named a callbackUri confcall will not deliver to: a deviation from the test setup, not a conformance failure. */
function foreignCallbackFinding(given: string, deliveredTo: string): Finding {
  return {
    rule: 'CALLBACK-URI',
    actual: `gave callbackUri ${given}, off loopback and outside the target profile's origin`,
    expected: `a callbackUri on loopback or the profile's origin (or a host in notify.allowHosts); the notifications went to the profile's callbackUri ${deliveredTo} instead`,
    because: 'confcall delivers only on this machine or to the target the profile names; a hard-coded production callbackUri is a test-setup deviation',
    requirements: [],
    ...contractWeight(),
  };
}

/** Several `commsNotifications` bodies as one: the first's envelope, every item in order in `value[]`. */
function joinBatch(bodies: unknown[]): unknown {
  const items = bodies.flatMap((b) => ((b as { value?: unknown[] } | undefined)?.value ?? []));
  return { ...(bodies[0] as object), value: items };
}

function endOfRunFindings(
  pendingNo: Array<{ step: ExpectNoStep; index: number; matcher: ResolvedMatcher; fromSeq: number }>,
  counted: Array<{ step: ExpectStep; index: number; matcher: ResolvedMatcher; fromSeq: number }>,
  exchanges: GraphExchange[],
): Finding[] {
  const findings: Finding[] = [];
  for (const { step, index, matcher, fromSeq } of pendingNo) {
    const hits = exchanges.filter((e) => e.seq > fromSeq && mismatch(matcher, e) === undefined);
    if (hits.length) {
      findings.push({ rule: 'STEP', stepIndex: index, where: formatPosition(step.position), actual: `sent ${hits.map((e) => `${e.method} ${e.rawPath}`).join(', ')}`, expected: `no ${describeMatcher(matcher)} from step ${index + 1} on`, because: step.because, severity: 'failure' });
    }
  }
  for (const { step, index, matcher, fromSeq } of counted) {
    const hits = exchanges.filter((e) => e.seq > fromSeq && mismatch(matcher, e) === undefined);
    if (hits.length !== step.times) {
      findings.push({ rule: 'STEP', stepIndex: index, where: formatPosition(step.position), actual: `sent ${describeMatcher(matcher)} ${hits.length} time(s)`, expected: `exactly ${step.times} time(s)`, because: step.because, severity: 'failure' });
    }
  }
  return findings;
}

/** Polls the probe until the bot's view matches Graph's truth; a finding when it does not in time. */
async function convergence(url: string, truth: CallTruth, withinMs: number): Promise<Finding | undefined> {
  if (!truth.resource?.state && !truth.roster) return undefined;
  const deadline = performance.now() + withinMs;
  for (;;) {
    const probe = await readProbe(url);
    const difference = probe.status === 200 ? convergenceDifference(truth, probe.view) : probe.error ?? `probe answered HTTP ${probe.status}`;
    if (!difference) return undefined;
    if (performance.now() >= deadline) {
      return { rule: 'CONVERGENCE', actual: `ends with ${difference}`, expected: 'a final view of the call equal to what Graph told it (state, roster, lobby and mute flags)', because: 'the bot\'s view must converge to the truth Graph holds, whatever order the notifications came in (DESIGN.md, oracle (c))', severity: 'failure' };
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function readProbe(url: string): Promise<{ status: number; view?: unknown; error?: string }> {
  try {
    const res = await request(url, { method: 'GET', headersTimeout: 5000, bodyTimeout: 5000 });
    const { text, cut } = await readCappedBody(res.body, MAX_REPLY_BYTES);
    if (cut) return { status: res.statusCode, error: `probe answered HTTP ${res.statusCode} with ${describeCut()}` };
    try {
      return { status: res.statusCode, view: text ? JSON.parse(text) : undefined };
    } catch {
      return { status: res.statusCode, error: `probe answered with text that is not JSON: ${show(text)}` };
    }
  } catch (error) {
    return { status: 0, error: `probe failed: ${(error as Error).message}` };
  }
}

/** A scenario's recorded ids, collected once per scenario and recordings (not once per schedule run). */
const recordedIdsCache = new WeakMap<Map<string, Recording>, WeakMap<Scenario, RecordedIds>>();
function recordedIdsFor(scenario: Scenario, recordings: Map<string, Recording>): RecordedIds {
  let byScenario = recordedIdsCache.get(recordings);
  if (!byScenario) recordedIdsCache.set(recordings, (byScenario = new WeakMap()));
  let recorded = byScenario.get(scenario);
  if (!recorded) byScenario.set(scenario, (recorded = recordedIdsOf(payloadsOf(scenario, recordings))));
  return recorded;
}

/** Every payload and path a scenario uses, so their recorded ids can be mapped together. */
function payloadsOf(scenario: Scenario, recordings: Map<string, Recording>): unknown[] {
  const out: unknown[] = [];
  const add = (body: unknown): void => void out.push(bodyOf(body, recordings));
  for (const step of scenario.steps) {
    if (step.kind === 'notify') out.push(recordings.get(step.recording)?.body, step.patch);
    if (step.kind === 'control') {
      out.push(step.path);
      add(step.body);
    }
    if (step.kind === 'expect' || step.kind === 'expectNo') {
      out.push(step.request.path);
      add(step.request.body);
    }
    if (step.kind === 'expect' && typeof step.respond === 'string') out.push(recordings.get(step.respond)?.body, recordings.get(step.respond)?.http.headers);
    if (step.kind === 'probe') out.push(step.expect);
  }
  return out;
}

/** A body spec's value: a recording's body for `{$recording: id}`, else the value itself. */
function bodyOf(body: unknown, recordings: Map<string, Recording>): unknown {
  const id = (body as { $recording?: unknown } | undefined)?.$recording;
  return typeof id === 'string' ? recordings.get(id)?.body : body;
}

function replyOf(spec: NonNullable<ExpectStep['respond']>, recordings: Map<string, Recording>, ids: RunIds): GraphReply {
  if (typeof spec === 'string') return replyFromRecording(recordings.get(spec)!, ids);
  return { status: spec.status, headers: lowerKeys(spec.headers ?? {}), body: spec.body === undefined ? undefined : substituteIds(bodyOf(spec.body, recordings), ids) };
}

/** A recorded response, ids mapped; framing headers that the server sets itself are left out. */
function replyFromRecording(recording: Recording, ids: RunIds): GraphReply {
  const headers = Object.fromEntries(Object.entries(lowerKeys(recording.http.headers ?? {})).filter(([k]) => k !== 'content-length' && k !== 'content-type'));
  return { status: recording.http.status ?? 200, headers: substituteIds(headers, ids), body: substituteIds(recording.body, ids) };
}

function defaultReply(req: GraphRequest, recordings: Map<string, Recording>, ids: RunIds): GraphReply {
  const id = defaultReplyRecording(req.method, req.requestKind, req.path);
  const recording = id ? recordings.get(id) : undefined;
  if (!recording) return { status: 501, body: graphError('NotImplemented', `confcall has no documented response for ${req.method} ${req.path}; script one with "respond:" in the scenario.`, req.requestId) };
  return replyFromRecording(recording, ids);
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
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

/** Renders a finding for a failure message. */
export function formatFinding(f: Finding): string {
  const lines = [`${f.rule === 'STEP' ? `step ${(f.stepIndex ?? 0) + 1}` : f.rule}${f.where ? ` (${f.where})` : ''}`, `  bot did:   ${f.actual}`, `  required:  ${f.expected}`];
  if (f.because) lines.push(`  because:   ${f.because}`);
  return lines.join('\n');
}
