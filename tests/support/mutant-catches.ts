/**
 * The mutant audit (issue 12): for each mutant of bots/mutants/, the checks that catch it and what
 * the catch weighs. A check is a test of the shipped suites and the finding it makes: the rule
 * (`STEP` for a step of the scenario, else a protocol rule or `CONVERGENCE`) and the requirements
 * the finding names. A catch proves a defect only if no conformant bot gets the same finding, so
 * the runs of the reference bot and of the independent bot assert that none of these checks is
 * among their findings (`mutantCatchesIn`), whatever its severity.
 */
import type { RunSummary } from '../../harness/report/run-summary.js';
import { scenarioOf } from '../../harness/report/run-summary.js';

/** A test and the finding it makes: rule and requirements, as summary.json records them. */
export interface Check {
  test: string;
  rule: string;
  requirements: string[];
  /** An inferred check beside the mutant's MUST ones: its finding warns, even in a run that fails (default: the weight's). */
  warns?: true;
}

/**
 * - `must`: a MUST `document` check fails: the run exits 1.
 * - `strict`: only a SHOULD or `inferred` check sees the defect: the report shows the warning, and
 *   only `--strict` exits 1.
 * - `robustness`: only a robustness payload variant sees it (a shape no document shows for that
 *   resource): no conformance defect. It is left out of the guard, because a conformant bot may
 *   read only documented shapes and get the same warning (the independent bot does).
 * - `variant`: only a documented payload variant sees it, as ORDER-INDEPENDENCE (the bot does
 *   otherwise under a shape the documents show than under the documented payload): a failure, exit 1,
 *   that names no requirement, as no variant finding does.
 */
export type Weight = 'must' | 'strict' | 'robustness' | 'variant';

export interface MutantCatch {
  weight: Weight;
  checks: Check[];
  /** Why the catch is what it is, where the table alone does not say. */
  note?: string;
}

const step = (test: string, ...requirements: string[]): Check => ({ test, rule: 'STEP', requirements });
const rule = (test: string, id: string): Check => ({ test, rule: id, requirements: [id] });
const FAILED_TRANSFERS = ['peer-to-peer-failed', 'consultative-failed', 'pstn-failed', 'consultative-pstn-failed', 'group-call-failed'].map((s) => `transfer/${s}`);
const FORGED = ['none', 'bad-signature', 'unknown-kid', 'wrong-audience', 'expired', 'not-yet-valid', 'alg-none'].map((f) => `inbound-auth/forged-${f}`);
/** Forged claims the documents do not ask a bot to check (NOTIFY-AUTH-CLAIMS, inferred from Microsoft's samples). */
const FORGED_CLAIMS = ['wrong-issuer', 'no-tid'].map((f) => `inbound-auth/forged-${f}`);

/** Every mutant of bots/mutants/, measured with `confcall run` on the suites named by its checks. */
export const MUTANT_CATCHES: Record<string, MutantCatch> = {
  'regresses-to-establishing': {
    weight: 'must',
    checks: ['incoming-call', 'create-call'].map((s) => step(`${s}/established-before-establishing`, 'CALL-STATE-OUT-OF-ORDER')),
  },
  'reads-only-subcode': {
    weight: 'must',
    checks: [
      ...FAILED_TRANSFERS.map((t) => step(t, 'RESULTINFO-VARIANTS')),
      // The documented "subCode" ⇄ "subcode" variant loses the completion's 7015 too.
      ...['peer-to-peer-completed', 'pstn-completed', 'group-call-completed'].map((s) => step(`transfer/${s} · documented payload variants`, 'TRANSFER-COMPLETED-TERMINATED')),
      // No probe step there: the view it settles on keeps subcode 0 for the completion's 7015.
      { test: 'transfer/hang-up-after-completed-transfer · documented payload variants', rule: 'ORDER-INDEPENDENCE', requirements: [] },
    ],
    note: 'its incoming-call/bot-hangs-up and remote-hang-up variant failures (terminated 5001) are measured by the MUTANTS test',
  },
  'hangs-up-after-failed-transfer': {
    weight: 'strict',
    checks: FAILED_TRANSFERS.map((t) => step(t, 'TRANSFER-FAIL-KEEPS-CALL')),
    note: 'the document states the call is established again, not what the bot does next: hanging up is an inferred SHOULD',
  },
  'hangs-up-late-after-failed-transfer': {
    weight: 'strict',
    // Measured (confcall run --suite suites/transfer.yaml --strict, 2026-12-07): every failed transfer, as its prompt twin.
    checks: FAILED_TRANSFERS.map((t) => step(t, 'TRANSFER-FAIL-KEEPS-CALL')),
    // With --runs 50 its '· any documented order' tests pass (measured): exploration's baseline and confirmations wait
    // the documented run's full quiet, so the late DELETE is in both (it once failed there as ORDER-INDEPENDENCE,
    // a difference made of confcall's 60 ms window, which a vendor could rightly dispute).
    note: 'its DELETE comes 150 ms late: the plain run still sees it, and so does schedule exploration (tests/settle-window.spec.ts)',
  },
  'applies-stale-delta-roster': { weight: 'must', checks: [step('roster/delta-roster-out-of-order', 'ROSTER-DELTA-SEQUENCE')] },
  'ignores-removed-state': {
    weight: 'must',
    checks: [
      step('roster/delta-roster', 'ROSTER-DELTA-SEQUENCE'),
      step('roster/delta-after-full-roster', 'ROSTER-FULL', 'ROSTER-DELTA-SEQUENCE'),
      step('roster/delta-roster-sequence', 'ROSTER-DELTA-SEQUENCE'),
      step('roster/delta-roster-out-of-order', 'ROSTER-DELTA-SEQUENCE'),
    ],
  },
  'takes-delta-for-full-roster': {
    weight: 'must',
    checks: [step('roster/delta-after-full-roster', 'ROSTER-FULL', 'ROSTER-DELTA-SEQUENCE'), step('roster/delta-roster-out-of-order', 'ROSTER-DELTA-SEQUENCE')],
  },
  'hangs-up-on-any-deletion': {
    weight: 'must',
    checks: [
      step('hold-music/start-hold-music-completes', 'HOLD-MUSIC-OPERATION'),
      step('hold-music/stop-hold-music', 'HOLD-MUSIC-OPERATION'),
      step('ivr/greeting-prompt', 'IVR-OPERATION-COMPLETED'),
    ],
    // Where no probe step asks (hold-music/one-participant-on-hold, three ivr scenarios), its final view still misses
    // Graph's truth: a CONVERGENCE warning, which names no requirement (no document asks a bot to keep a view).
    note: 'content sharing sees it too, as the inferred CONTENT-SHARING-ACK (a warning); CONVERGENCE warns where no probe step asks',
  },
  'accepts-forged-notifications': {
    weight: 'must',
    checks: [
      ...FORGED.map((t) => step(t, 'NOTIFY-AUTH-FORGED')),
      { ...step('inbound-auth/valid-after-forged', 'NOTIFY-AUTH-STATUS'), warns: true },
      ...FORGED_CLAIMS.map((t): Check => ({ ...step(t, 'NOTIFY-AUTH-CLAIMS'), warns: true })),
    ],
    note: 'the issuer and the tenant claim are not in the documents\' token checks: accepting them is the inferred NOTIFY-AUTH-CLAIMS (a warning)',
  },
  'prompts-twice-on-redelivery': {
    weight: 'strict',
    checks: [step('ivr/greeting-once-on-redelivery', 'IVR-PROMPT-ONCE')],
    note: 'no document says how often a bot plays: once per redelivered notification is inferred',
  },
  'acts-on-every-tone': {
    weight: 'strict',
    checks: [step('ivr/tone-once-on-redelivery', 'IVR-TONE-ONCE')],
    note: 'toneInfo carries a sequenceId and delivery is at least once; that a redelivered tone is not acted on again is inferred',
  },
  'ignores-keep-alive-404': {
    weight: 'strict',
    checks: [step('keep-alive/keep-alive-call-gone', 'KEEPALIVE-404-CLEANUP')],
    note: 'call-keepalive.md: a call that gets 404 "should be cleaned up" (SHOULD)',
  },
  'records-without-reporting': {
    weight: 'must',
    checks: [step('compliance-recording/recorder-reports-recording', 'PBR-RECORDING-STATUS')],
  },
  'slow-to-acknowledge': { weight: 'strict', checks: [rule('incoming-call/answer', 'NOTIFY-ANSWER-IN-TIME')] },
  'refuses-unknown-resources': { weight: 'strict', checks: [rule('content-sharing/sharing-started-updated-ended', 'NOTIFY-ACKNOWLEDGED')] },
  'leaves-calls-ringing': { weight: 'must', checks: [rule('incoming-call/duplicate-incoming-call', 'INCOMING-ANSWER-IN-TIME')] },
  'answers-duplicate-incoming': { weight: 'strict', checks: [rule('incoming-call/duplicate-incoming-call', 'INCOMING-ANSWER-ONCE')] },
  'omits-token-on-hang-up': { weight: 'must', checks: [rule('incoming-call/bot-hangs-up', 'GRAPH-BEARER-TOKEN')] },
  'sends-capacity-as-text': {
    weight: 'must',
    checks: ['answer', 'established-before-establishing', 'duplicate-incoming-call', 'bot-hangs-up', 'remote-hang-up'].map((s) => rule(`incoming-call/${s}`, 'GRAPH-REQUEST-SCHEMA')),
  },
  'acts-on-terminated-calls': { weight: 'strict', checks: [rule('transfer/hang-up-after-completed-transfer', 'CALL-TERMINATED-FINAL')] },
  'holds-two-at-once': { weight: 'must', checks: [rule('hold-music/one-participant-on-hold', 'HOLD-ONE-AT-A-TIME')] },
  'forwards-long-client-context': { weight: 'must', checks: [rule('hold-music/client-context-too-long', 'CLIENT-CONTEXT-256')] },
  'drops-transferee': {
    weight: 'must',
    checks: ['group-call-completed', 'group-call-failed', 'group-call-without-transferee-refused'].map((s) => rule(`transfer/${s}`, 'TRANSFER-GROUP-TRANSFEREE')),
  },
  'acts-in-lobby': { weight: 'strict', checks: [rule('lobby/no-action-in-lobby', 'LOBBY-WAIT')] },
  'strips-phone-plus': { weight: 'must', checks: ['pstn-service-hosted-media', 'pstn-app-hosted-media'].map((s) => rule(`create-call/${s}`, 'PHONE-E164')) },
  'reads-first-item-only': {
    weight: 'must',
    checks: [
      step('roster/full-roster · documented payload variants', 'ROSTER-FULL'),
      step('roster/delta-roster · documented payload variants', 'ROSTER-DELTA-SEQUENCE'),
      step('roster/delta-after-full-roster · documented payload variants', 'ROSTER-FULL', 'ROSTER-DELTA-SEQUENCE'),
      step('roster/delta-roster-sequence · documented payload variants', 'ROSTER-DELTA-SEQUENCE'),
      step('roster/delta-roster-out-of-order · documented payload variants', 'ROSTER-DELTA-SEQUENCE'),
    ],
    note: 'only the batched variant (two notifications in one POST) catches it; batched is documented by the metadata\'s Collection(commsNotification), and no example shows two items in one POST',
  },
  // mutants20: the field reports of graph-calling.md PART 5, each measured with `confcall run` on the suites of its checks (2026-12-07).
  'drops-app-resource': {
    weight: 'must',
    checks: [
      step('roster/full-roster · documented payload variants', 'ROSTER-FULL'),
      step('roster/delta-roster', 'ROSTER-DELTA-SEQUENCE'),
      step('roster/delta-after-full-roster', 'ROSTER-FULL', 'ROSTER-DELTA-SEQUENCE'),
      step('roster/delta-roster-sequence', 'ROSTER-DELTA-SEQUENCE'),
      step('roster/delta-roster-out-of-order', 'ROSTER-DELTA-SEQUENCE'),
    ],
    note: 'the deprecated-resource variant catches it in every suite (incoming-call: each variant test, INCOMING-ANSWER-IN-TIME); 001\'s delta roster carries "resource" itself',
  },
  'reads-codes-as-numbers-only': {
    weight: 'must',
    checks: [
      step('incoming-call/bot-hangs-up', 'RESULTINFO-VARIANTS'),
      ...FAILED_TRANSFERS.map((t) => step(`${t} · documented payload variants`, 'RESULTINFO-VARIANTS')),
      ...['peer-to-peer-completed', 'pstn-completed', 'group-call-completed'].map((s) => step(`transfer/${s} · documented payload variants`, 'TRANSFER-COMPLETED-TERMINATED')),
      { test: 'transfer/hang-up-after-completed-transfer · documented payload variants', rule: 'ORDER-INDEPENDENCE', requirements: [] },
    ],
  },
  'refuses-unknown-call-members': {
    weight: 'must',
    checks: [
      step('transfer/consultative-completed', 'TRANSFER-COMPLETED-TERMINATED'),
      step('transfer/consultative-failed', 'TRANSFER-FAIL-ESTABLISHED'),
      step('transfer/consultative-failed', 'RESULTINFO-VARIANTS'),
      step('transfer/consultative-pstn-completed', 'TRANSFER-COMPLETED-TERMINATED'),
      rule('transfer/consultative-pstn-failed · documented payload variants', 'INCOMING-ANSWER-IN-TIME'),
    ],
    note: 'the unknown-members variant catches it in every scenario (the incoming call it drops goes unanswered); the documented consultative transfers carry terminationReason and replacesContext (003)',
  },
  'skips-audience-check': { weight: 'must', checks: [step('inbound-auth/forged-wrong-audience', 'NOTIFY-AUTH-FORGED')] },
  'skips-lifetime-check': { weight: 'must', checks: ['expired', 'not-yet-valid'].map((f) => step(`inbound-auth/forged-${f}`, 'NOTIFY-AUTH-FORGED')) },
  'keeps-call-ended-with-error': {
    weight: 'must',
    checks: [step('call-end/ended-by-media-error', 'CALL-END-ANY-REASON')],
    note: 'before suites/call-end.yaml every shipped suite passed it (125 passed; its change never fired): no scenario ended a call with a 4xx/5xx end reason',
  },
  'answers-recording-call-late': {
    weight: 'must',
    checks: [step('compliance-recording/recorder-reports-recording', 'PBR-ANSWER-IN-TIME')],
    note: 'its answer comes at 6 s, on time for a regular call (15 s): the incoming-call suite passes it since its answer expects wait 15 s (they waited the default 5 s and failed it at MUST)',
  },
  'dedupes-by-etag': {
    weight: 'must',
    checks: [step('incoming-call/answer', 'INCOMING-ANSWER-IN-TIME'), step('incoming-call/established-before-establishing', 'CALL-STATE-OUT-OF-ORDER')],
    note: 'measured on suites/incoming-call.yaml (2026-12-07): duplicate-incoming-call and remote-hang-up pass it with warnings (INCOMING-ANSWER-ONCE, CONVERGENCE, CALL-TERMINATED-FINAL), bot-hangs-up passes',
  },
  'compares-status-case-sensitively': {
    weight: 'variant',
    checks: ['greeting-prompt', 'greeting-once-on-redelivery', 'tone-menu', 'tone-once-on-redelivery'].map((s) => ({ test: `ivr/${s} · documented payload variants`, rule: 'ORDER-INDEPENDENCE', requirements: [] })),
    note: 'before the operation-status-casing variant (the metadata\'s "Completed" beside the examples\' "completed") every shipped suite passed it and its change never fired',
  },
  'reads-call-data-as-object': {
    weight: 'robustness',
    checks: [{ test: 'incoming-call/answer · documented payload variants', rule: 'STEP', requirements: [] }],
    note: 'no document shows a call as a collection: the independent bot reads call updates as objects too, and gets the same warnings. Kept to prove that robustness variants warn and fail only with --strict',
  },
};

/** The checks of a summary's findings that catch a mutant (`mutant: test rule [requirements]`): none, for a conformant bot. */
export function mutantCatchesIn(summary: Pick<RunSummary, 'tests'>): string[] {
  const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
  const found: string[] = [];
  for (const [mutant, { weight, checks }] of Object.entries(MUTANT_CATCHES)) {
    if (weight === 'robustness') continue;
    for (const check of checks) {
      // By scenario: the same check under explored orders or payload variants is the same verdict.
      const hits = summary.tests.filter((t) => scenarioOf(t.id) === scenarioOf(check.test) && t.findings.some((f) => f.rule === check.rule && sameSet(f.requirements, check.requirements)));
      for (const t of hits) found.push(`${mutant}: ${t.id} ${check.rule} [${check.requirements.join(', ')}]`);
    }
  }
  return found;
}

/**
 * The changes a mutant names when it starts (`mutant NAME: changes a, b`, bots/reference/run-mutant.ts)
 * that never said `mutant NAME: deviated (a: ...)` in this bot output: a change that never fired left
 * the run judging the reference bot under the mutant's name, whatever the run caught.
 */
export function unfiredChanges(botOutput: string, mutant: string): string[] {
  const named = new RegExp(`^\\[${mutant}\\] mutant ${mutant}: changes (.*)$`, 'm').exec(botOutput);
  if (!named) return [`the bot never said "mutant ${mutant}: changes ...": it did not run as the mutant (bots/mutants/${mutant}.ts calls runMutant)`];
  const deviated = (change: string) => botOutput.includes(`] mutant ${mutant}: deviated (${change}: `);
  return named[1]!.split(', ').filter((change) => !deviated(change)).map((change) => `${change} never made the bot do otherwise than the reference bot (no "mutant ${mutant}: deviated (${change}: ...)")`);
}
