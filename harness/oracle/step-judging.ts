/**
 * The judging of a scenario's steps, as pure functions of what the bot did: its answer to a
 * notification or a control call, the requests it sent, the request it did not send. run/ executes
 * the steps and hands the facts here; every finding it gets back is weighed by the catalogue.
 */
import { formatPosition } from '../model/position.js';
import type { ControlStep, ExpectNoStep, ExpectStep, NotifyStep, Scenario, Step } from '../model/suite.js';
import type { Finding, GraphExchange } from '../model/transcript.js';
import { contractWeight, severityOf, weightOf, type Judging } from './judging.js';
import { show } from './json-subset.js';
import { describeMatcher, methodMatches, mismatch, type ResolvedMatcher } from './request-match.js';

/** A step check's outcome: a failure stops the run; a deviation (a test-hook convention not kept) is listed and the run goes on. */
export interface StepJudgement {
  failure?: Finding;
  deviation?: Finding;
}

/** The bot's answer to a notification POST. */
export interface NotificationAnswer {
  status: number;
  responseText?: string;
  error?: string;
  /** Set when the answer was cut off for its size: how (the notifier's words). */
  tooLarge?: string;
}

/** The control API's answer to a control step. */
export interface ControlAnswer {
  status: number;
  body?: unknown;
  error?: string;
}

/** How the bot's own trigger of a mapped action went (run/bot-action.ts). */
export interface ActionOutcome {
  action: string;
  /** done: any 2xx (exit 0); refused: any 4xx (another exit); failed: anything else. */
  outcome: 'done' | 'refused' | 'failed';
  /** What was triggered: `POST http://…/api/meetings/join`. */
  via: string;
  /** What it answered: `answered HTTP 401 {…}`. */
  said: string;
}

/** An expectation step waiting for its request, or an expectNo / `times` step waiting for the end of the run. */
export interface PendingCheck<S extends ExpectStep | ExpectNoStep> {
  step: S;
  index: number;
  matcher: ResolvedMatcher;
  /** Only requests after this transcript seq count. */
  fromSeq: number;
}

/** Judges one scenario's steps; `owned` are the requirements its step findings break. */
export interface StepJudge {
  owned: string[];
  notificationAnswer(step: NotifyStep, index: number, answer: NotificationAnswer): StepJudgement;
  controlAnswer(step: ControlStep, index: number, answer: ControlAnswer): StepJudgement;
  /** Judges a control step done through the bot's own trigger: in the bot's terms, with no reference to the control API. */
  actionAnswer(step: ControlStep, index: number, answer: ActionOutcome): StepJudgement;
  missedRequest(check: PendingCheck<ExpectStep>, exchanges: GraphExchange[], withinMs: number): Finding;
  probeDifference(step: Step, index: number, difference: string, expected: unknown): Finding;
  endOfRun(pendingNo: PendingCheck<ExpectNoStep>[], counted: PendingCheck<ExpectStep>[], exchanges: GraphExchange[]): Finding[];
  convergence(difference: string): Finding;
}

const DOCUMENT_MUST = { basis: 'document', level: 'MUST' } as const;
const DOCUMENT_SHOULD = { basis: 'document', level: 'SHOULD' } as const;
/** The requirement a forged notification's answer is judged by (its effect is the scenario's other steps'). */
const FORGED_STATUS = 'NOTIFY-AUTH-STATUS';
const ANY_4XX = (status: number): boolean => status >= 400 && status < 500;
const ANY_2XX = (status: number): boolean => status >= 200 && status < 300;

/** The step judge of one scenario under a catalogue and `--strict`. */
export function stepJudge(scenario: Scenario, judging: Judging): StepJudge {
  const owned = requirementsOfSteps(scenario, judging);
  const weighed = (requirements: string[]) => ({ requirements, ...weightOf(requirements, judging, DOCUMENT_MUST) });
  const stepFinding = (step: Step, index: number, actual: string, expected: string, requirements: string[]): Finding => ({
    rule: 'STEP', ...weighed(requirements), stepIndex: index, where: formatPosition(step.position), actual, expected, because: step.because,
  });
  // A step names its requirements (`checks`, or those a check owns, as NOTIFY-AUTH-STATUS a forged notification's answer), else it is the
  // scenario's own step and breaks the scenario's, else it came from a fragment: the premise, which breaks none.
  const finding = (step: Step, index: number, actual: string, expected: string, requirements = step.checks): Finding =>
    requirements === undefined && step.fragment !== undefined ? premiseFinding(step, index, actual, expected) : stepFinding(step, index, actual, expected, requirements ?? owned);
  const deviation = (step: Step, index: number, actual: string, expected: string): Finding => ({
    ...stepFinding(step, index, actual, expected, []), ...contractWeight(), because: 'DESIGN.md control API and probe conventions (a test hook, not a document rule)',
  });

  return {
    owned,
    notificationAnswer(step, index, answer) {
      const allowed = step.expectStatus;
      if (step.forge && ANY_4XX(answer.status)) {
        // Any 4xx refuses the notification; which one is the bot's choice (the suites' statuses are advice).
        return allowed && !allowed.includes(answer.status) ? { deviation: deviation(step, index, `refused the forged notification with HTTP ${answer.status}`, `HTTP ${allowed.join(' or ')} (advice: any 4xx is a refusal)`) } : {};
      }
      // How a forged notification is answered is NOTIFY-AUTH-STATUS's (RFC 6750's SHOULD); what it must not change (the call)
      // is judged by the scenario's other steps: a bot that acknowledges at once and drops the forgery afterwards conforms.
      const forgedStatus = (actual: string, expected: string): Finding => ({ ...finding(step, index, actual, expected, step.checks ?? [FORGED_STATUS]), ...(!step.checks && weightOf([FORGED_STATUS], judging, DOCUMENT_SHOULD)) });
      if (step.forge && ANY_2XX(answer.status)) {
        return { failure: forgedStatus(`accepted a notification with a forged token (${step.forge}) with HTTP ${answer.status}`, 'a refusal (any 4xx; RFC 6750 advises 401)') };
      }
      // A genuine notification's answer is judged by the protocol rule NOTIFY-ACKNOWLEDGED (inferred: no document states it),
      // never under the scenario's requirements; only a status the step itself asks for (`expectStatus`) is the step's.
      if (!allowed && !step.forge) return {};
      const judged = (actual: string, expected: string): Finding => (step.forge ? forgedStatus(actual, expected) : finding(step, index, actual, expected));
      if (answer.tooLarge) return { failure: judged(`answered the notification with HTTP ${answer.status} and ${answer.tooLarge}`, 'a short acknowledgement (Graph reads no body from it)') };
      if (allowed?.includes(answer.status)) return {};
      const said = answer.status ? `answered the notification with HTTP ${answer.status}${answer.responseText ? ` (${show(answer.responseText)})` : ''}` : `did not answer the notification (${answer.error})`;
      return { failure: judged(said, allowed ? `HTTP ${allowed.join(' or ')}` : 'a refusal (any 4xx; RFC 6750 advises 401)') };
    },

    controlAnswer(step, index, answer) {
      const allowed = step.expectStatus;
      const cut = answer.error && answer.status ? deviation(step, index, answer.error, 'a short JSON answer') : undefined;
      if (allowed ? allowed.includes(answer.status) : ANY_2XX(answer.status)) return { deviation: cut };
      const said = answer.status ? `control API answered HTTP ${answer.status}${answer.body !== undefined ? ` ${show(answer.body)}` : ''}` : `control API failed (${answer.error})`;
      const refusalWanted = !!allowed && allowed.every(ANY_4XX);
      // A refusal is any 4xx (the exact status is advice), where the step allows one at all (alone, or beside a 2xx where
      // the documents leave the bot the choice); what matters is what reached Graph, judged by the scenario's other checks.
      if (allowed?.some(ANY_4XX) && ANY_4XX(answer.status)) return { deviation: deviation(step, index, said, `HTTP ${allowed.join(' or ')} (advice: any 4xx is a refusal)`) };
      if (refusalWanted) return { deviation: deviation(step, index, `${said}: it did not refuse`, `a refusal (any 4xx); what reached Graph is judged by the scenario's other steps`) };
      // The action was not done: what the scenario checks next cannot happen (a bot that ended the call itself lands here too).
      return { failure: finding(step, index, said, allowed ? `HTTP ${allowed.join(' or ')}` : 'a 2xx answer (the bot did the action)'), deviation: cut };
    },

    actionAnswer(step, index, answer) {
      // The suites' statuses are the control API's; of a bot's own endpoint only the class counts.
      const wanted = step.expectStatus ?? [200];
      if (wanted.some(ANY_4XX) || !wanted.some(ANY_2XX)) return {}; // a refusal allowed, or Graph refused: what reached Graph is judged by the other steps
      if (answer.outcome === 'done') return {};
      return { failure: finding(step, index, `${answer.via} ${answer.said}`, `the bot to ${answer.action} (a 2xx answer from its endpoint, exit 0 from its command)`) };
    },

    missedRequest({ step, index, matcher, fromSeq }, exchanges, withinMs) {
      const near = exchanges.filter((e) => e.seq > fromSeq && methodMatches(matcher, e.method));
      const nearest = near.map((e) => ({ e, why: mismatch(matcher, e)! })).find(({ why }) => !why.startsWith('path'));
      const actual = nearest
        ? `sent ${nearest.e.method} ${nearest.e.rawPath} but its body differs: ${nearest.why}`
        : near.length
          ? `sent no such request within ${withinMs} ms (it sent ${near.map((e) => `${e.method} ${e.rawPath}`).join(', ')})`
          : `sent no such request within ${withinMs} ms`;
      return finding(step, index, actual, `${describeMatcher(matcher)}${matcher.body !== undefined ? ' with the documented body' : ''}`);
    },

    probeDifference(step, index, difference, expected) {
      return finding(step, index, `reports ${difference}`, `its view to show ${show(expected)}`);
    },

    endOfRun(pendingNo, counted, exchanges) {
      const hitsOf = ({ matcher, fromSeq }: PendingCheck<ExpectStep | ExpectNoStep>) => exchanges.filter((e) => e.seq > fromSeq && mismatch(matcher, e) === undefined);
      const sentAnyway = pendingNo.flatMap((check) => {
        const hits = hitsOf(check);
        return hits.length ? [finding(check.step, check.index, `sent ${hits.map((e) => `${e.method} ${e.rawPath}`).join(', ')}`, `no ${describeMatcher(check.matcher)} from step ${check.index + 1} on`)] : [];
      });
      const miscounted = counted.flatMap((check) => {
        const hits = hitsOf(check);
        if (hits.length === check.step.times) return [];
        const sent = hits.length ? `: ${hits.map((e) => `${e.method} ${e.rawPath}`).join(', ')}` : '';
        return [finding(check.step, check.index, `sent ${describeMatcher(check.matcher)} ${hits.length} time(s)${sent}`, `exactly ${check.step.times} time(s)`)];
      });
      return [...sentAnyway, ...miscounted];
    },

    convergence(difference) {
      // No document asks a bot to keep a view of the call (the probe is a test hook), and the difference may be in a fact no
      // requirement of the scenario is about: confcall's inference, named by no requirement. Where the documents state the
      // state a flow ends in, the scenario's probe steps judge it under their own requirements; in other orders,
      // ORDER-INDEPENDENCE judges a final view that differs from the documented order's.
      return {
        rule: 'CONVERGENCE', requirements: [], basis: 'inferred', level: 'SHOULD', severity: severityOf('inferred', 'SHOULD', judging.strict),
        actual: `ends with ${difference}`, expected: 'a final view of the call equal to what Graph told it (state, roster, lobby and mute flags)',
        because: "confcall's inference: the bot's view (its probe) should hold what Graph's notifications told it, whatever order they came in (DESIGN.md, oracle (c))",
      };
    },
  };
}

/**
 * A step of an included fragment (the call the scenario is about: answered, created, joined) that failed: the scenario's
 * premise did not hold, so none of its requirements was exercised, and the finding names none (a vendor could rightly
 * dispute "you broke TRANSFER-FAIL-ESTABLISHED" from a bot that never had the call). Its weight is document MUST,
 * the weight every report already reads as a failure, whatever `--strict` says: the fragment is a documented exchange
 * (its payloads are recordings with provenance) of a capability the bot declares (the scenario applied only because it
 * did), and a run that exercised nothing is never a pass. Not a new Basis: the schemas and reports know three.
 */
function premiseFinding(step: Step, index: number, actual: string, expected: string): Finding {
  const what = `the scenario's premise did not hold: step ${index + 1} of fragment ${step.fragment}${step.because ? ` (${step.because})` : ''}`;
  return {
    rule: 'PREMISE', requirements: [], basis: 'document', level: 'MUST', severity: severityOf('document', 'MUST', false), fragment: step.fragment,
    stepIndex: index, where: formatPosition(step.position), actual, expected, because: `${what}; so the scenario's requirements were not judged`,
  };
}

/** The bot named a callbackUri confcall will not deliver to: a deviation from the test setup, not a conformance failure. */
export function foreignCallbackFinding(given: string, deliveredTo: string): Finding {
  return {
    rule: 'CALLBACK-URI',
    actual: `gave callbackUri ${given}, off loopback and outside the target profile's origin`,
    expected: `a callbackUri on loopback or the profile's origin (or a host in notify.allowHosts); the notifications went to the profile's callbackUri ${deliveredTo} instead`,
    because: 'confcall delivers only on this machine or to the target the profile names; a hard-coded production callbackUri is a test-setup deviation',
    requirements: [],
    ...contractWeight(),
  };
}

/** The requirements a scenario's steps check: its own, not the protocol rules it also names (those judge themselves). */
function requirementsOfSteps(scenario: Scenario, judging: Judging): string[] {
  const own = scenario.requirements.filter((id) => !judging.requirements.get(id)?.rule);
  return own.length ? own : scenario.requirements;
}
