/**
 * End to end, as a user runs it: `confcall run` against the reference bot passes every shipped
 * scenario, and against each mutant fails exactly where the mutant's defect shows.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { protocolRules } from '../harness/oracle/rules/index.js';
import { loadRequirements } from '../harness/load/load-requirements.js';
import { confcall, portsFor, readResults, tempDir } from './support/cli.js';
import { ROOT } from './support/temp-root.js';
import { readSummary } from './support/summary-file.js';
import { MUTANT_CATCHES, mutantCatchesIn, type Check } from './support/mutant-catches.js';
import { expectDeviated } from './support/mutant-deviation.js';

test.describe.configure({ mode: 'parallel' });

/** Each mutant that proves no single protocol rule, and the scenarios that must catch it: run on their suites, exactly these fail. */
const MUTANTS: Record<string, string[]> = {
  // acts-on-terminated-calls: only the inferred rule CALL-TERMINATED-FINAL sees it (RULE_MUTANTS, with --strict).
  'regresses-to-establishing': ['incoming-call/established-before-establishing', 'create-call/established-before-establishing'],
  'hangs-up-after-failed-transfer': ['transfer/peer-to-peer-failed', 'transfer/consultative-failed', 'transfer/pstn-failed', 'transfer/consultative-pstn-failed', 'transfer/group-call-failed'],
  // The same, its DELETE 150 ms late behind a patch of node:http: the run must see the late DELETE fire, not only the decision.
  'hangs-up-late-after-failed-transfer': ['transfer/peer-to-peer-failed', 'transfer/consultative-failed', 'transfer/pstn-failed', 'transfer/consultative-pstn-failed', 'transfer/group-call-failed'],
  'reads-only-subcode': [
    'transfer/peer-to-peer-failed', 'transfer/consultative-failed', 'transfer/pstn-failed', 'transfer/consultative-pstn-failed', 'transfer/group-call-failed',
    // The documented "subCode" ⇄ "subcode" variant also loses it 7015 and 5001:
    ...['transfer/peer-to-peer-completed', 'transfer/pstn-completed', 'transfer/group-call-completed', 'incoming-call/bot-hangs-up', 'incoming-call/remote-hang-up'].map((id) => `${id} · documented payload variants`),
    // Its settled view holds subcode 0 where the documented run's holds 7015 (ORDER-INDEPENDENCE): that
    // scenario has no probe step, and the view the bot settles on is compared since it is recorded.
    'transfer/hang-up-after-completed-transfer · documented payload variants',
  ],
  'applies-stale-delta-roster': ['roster/delta-roster-out-of-order'],
  'ignores-removed-state': ['roster/delta-roster', 'roster/delta-after-full-roster', 'roster/delta-roster-sequence', 'roster/delta-roster-out-of-order'],
  'takes-delta-for-full-roster': ['roster/delta-after-full-roster', 'roster/delta-roster-out-of-order'],
  // A content sharing session or a hold-music operation ending is a `deleted` notification too.
  // (content-sharing/sharing-started-updated-ended sees it too, under the inferred CONTENT-SHARING-ACK: a warning)
  // A prompt's completion (call-playprompt.md) is a `deleted` notification on the operation as well.
  // hold-music/one-participant-on-hold sees it only as a CONVERGENCE warning (no probe step there asks for the state).
  'hangs-up-on-any-deletion': ['hold-music/start-hold-music-completes', 'hold-music/stop-hold-music', 'ivr/greeting-prompt'],
  'accepts-forged-notifications': [
    // forged-wrong-issuer and forged-no-tid warn (NOTIFY-AUTH-CLAIMS, inferred): the documents do not ask for those checks.
    // valid-after-forged no longer: it answers the forged call, then takes the genuine one for a duplicate, one answer in all;
    // only its 202 to the forgery showed there, and how a bot answers a forgery is NOTIFY-AUTH-STATUS's SHOULD now (a warning).
    ...['none', 'bad-signature', 'unknown-kid', 'wrong-audience', 'expired', 'not-yet-valid', 'alg-none'].map((f) => `inbound-auth/forged-${f}`),
  ],
  'prompts-twice-on-redelivery': ['ivr/greeting-once-on-redelivery'],
  // The media it persists is not on Graph's wire; the missing updateRecordingStatus is.
  'records-without-reporting': ['compliance-recording/recorder-reports-recording'],
  // mutants20 (the field reports of graph-calling.md PART 5): the delta roster of 001 carries "resource": "/app/calls/…" itself;
  // the full roster only under the deprecated-resource variant.
  'drops-app-resource': ['roster/full-roster · documented payload variants', 'roster/delta-roster', 'roster/delta-after-full-roster', 'roster/delta-roster-sequence', 'roster/delta-roster-out-of-order'],
  // call-delete.md's own "200"/"5001"; the transfers under the codes-as-strings variant.
  'reads-codes-as-numbers-only': [
    'incoming-call/bot-hangs-up',
    ...['peer-to-peer-completed', 'peer-to-peer-failed', 'consultative-failed', 'pstn-completed', 'pstn-failed', 'consultative-pstn-failed', 'group-call-completed', 'group-call-failed', 'hang-up-after-completed-transfer'].map((s) => `transfer/${s} · documented payload variants`),
  ],
  // 003's terminationReason and replacesContext are outside the call's schema (MUTANT_GREP: the consultative transfers).
  'refuses-unknown-call-members': ['transfer/consultative-completed', 'transfer/consultative-failed', 'transfer/consultative-pstn-completed', 'transfer/consultative-pstn-failed · documented payload variants'],
  'skips-audience-check': ['inbound-auth/forged-wrong-audience'],
  'skips-lifetime-check': ['inbound-auth/forged-expired', 'inbound-auth/forged-not-yet-valid'],
  'keeps-call-ended-with-error': ['call-end/ended-by-media-error'],
  // Its 6 s answer is on time for a regular call (15 s): only the policy-based recording call (5 s) catches it.
  'answers-recording-call-late': ['compliance-recording/recorder-reports-recording'],
  // Only under the operation-status-casing variant (the metadata's "Completed"): it never subscribes to tones, ORDER-INDEPENDENCE.
  // call-answer.md's incoming, establishing and established share one @odata.etag: it drops the last two as redeliveries.
  'dedupes-by-etag': ['incoming-call/answer', 'incoming-call/established-before-establishing'],
  'compares-status-case-sensitively': ['greeting-prompt', 'greeting-once-on-redelivery', 'tone-menu', 'tone-once-on-redelivery'].map((s) => `ivr/${s} · documented payload variants`),
};

/** The payload variant named in the message of a mutant's `· documented payload variants` catches. */
const VARIANT_OF: Record<string, string> = {
  'reads-only-subcode': 'subcode-casing',
  'drops-app-resource': 'deprecated-resource',
  'reads-codes-as-numbers-only': 'codes-as-strings',
  'refuses-unknown-call-members': 'unknown-members',
  'compares-status-case-sensitively': 'operation-status-casing',
};

/**
 * A --grep for mutants whose whole suites cost minutes: every variant test of the transfer suite
 * waits out Graph's 15 s for an incoming call the strict bot dropped.
 */
const MUTANT_GREP: Record<string, string> = {
  'refuses-unknown-call-members': 'consultative',
};

/**
 * Requirement verdicts that follow from what broke, not from the scenarios' tags: the transfer
 * scenarios name several requirements, and each step checks one of them (`checks:`).
 */
const REQUIREMENT_VERDICTS: Record<string, Record<string, string>> = {
  // The resultInfo probe fails and the run goes on (a failed check stops nothing later steps do not build on):
  // the state probe passed, and the expectNo DELETE judged at the end finds the call kept.
  'reads-only-subcode': { 'RESULTINFO-VARIANTS': 'fail', 'TRANSFER-FAIL-ESTABLISHED': 'pass', 'TRANSFER-FAIL-KEEPS-CALL': 'pass' },
  'hangs-up-after-failed-transfer': { 'TRANSFER-FAIL-KEEPS-CALL': 'fail', 'TRANSFER-FAIL-ESTABLISHED': 'pass', 'RESULTINFO-VARIANTS': 'pass' },
  'hangs-up-late-after-failed-transfer': { 'TRANSFER-FAIL-KEEPS-CALL': 'fail', 'TRANSFER-FAIL-ESTABLISHED': 'pass', 'RESULTINFO-VARIANTS': 'pass' },
  // Its group-call transfer bodies lack the transferee: the request check names TRANSFER-REQUEST-BODY, not the
  // failed-transfer and completion requirements its scenarios are also tagged with (they failed all four before).
  'drops-transferee': { 'TRANSFER-GROUP-TRANSFEREE': 'fail', 'TRANSFER-REQUEST-BODY': 'fail', 'TRANSFER-FAIL-ESTABLISHED': 'pass', 'TRANSFER-FAIL-KEEPS-CALL': 'pass', 'RESULTINFO-VARIANTS': 'pass', 'TRANSFER-COMPLETED-TERMINATED': 'pass' },
};

/**
 * Mutants whose defect only an inferred (SHOULD) check sees, by the requirement: without --strict
 * the run passes and shows the warning in every scenario that catches it; with --strict it fails there.
 */
const STRICT_ONLY: Record<string, string> = {
  // Hanging up after a failed transfer may be a product's choice; the document states only that the call is established again.
  'hangs-up-after-failed-transfer': 'TRANSFER-FAIL-KEEPS-CALL',
  'hangs-up-late-after-failed-transfer': 'TRANSFER-FAIL-KEEPS-CALL',
  // Playing once per redelivered notification is confcall's reading; no document says how often a bot plays.
  'prompts-twice-on-redelivery': 'IVR-PROMPT-ONCE',
};

/**
 * One mutant per protocol rule that no other protocol rule catches (scenario steps may catch it
 * too): proof that each rule finds a real defect by itself. Run on the suites named, with the
 * failing tests pinned (no suites: all of them).
 */
const RULE_MUTANTS: Array<{ rule: string; mutant: string; suites: string[]; grep?: string; caughtBy: string[] }> = [
  // Rules the catalogue marks `inferred` (SHOULD): their mutants pass with warnings, and fail with --strict (checked below).
  // Only the bot's first notification is slow: with tests at once, any of several could get it. A --grep runs
  // the selection one test after another, so the first declared test (answer) gets it.
  { rule: 'NOTIFY-ANSWER-IN-TIME', mutant: 'slow-to-acknowledge', suites: ['incoming-call'], grep: 'answer', caughtBy: ['incoming-call/answer'] },
  { rule: 'NOTIFY-ACKNOWLEDGED', mutant: 'refuses-unknown-resources', suites: ['content-sharing'], caughtBy: ['content-sharing/sharing-started-updated-ended'] },
  // Each ignored call costs Graph's full 15 s: one scenario is enough.
  { rule: 'INCOMING-ANSWER-IN-TIME', mutant: 'leaves-calls-ringing', suites: ['incoming-call'], grep: 'duplicate-incoming-call', caughtBy: ['incoming-call/duplicate-incoming-call'] },
  { rule: 'INCOMING-ANSWER-ONCE', mutant: 'answers-duplicate-incoming', suites: [], caughtBy: ['incoming-call/duplicate-incoming-call'] },
  { rule: 'GRAPH-BEARER-TOKEN', mutant: 'omits-token-on-hang-up', suites: ['incoming-call'], caughtBy: ['incoming-call/bot-hangs-up'] },
  { rule: 'GRAPH-REQUEST-SCHEMA', mutant: 'sends-capacity-as-text', suites: ['incoming-call'], caughtBy: ['incoming-call/answer', 'incoming-call/established-before-establishing', 'incoming-call/duplicate-incoming-call', 'incoming-call/bot-hangs-up', 'incoming-call/remote-hang-up'] },
  { rule: 'CALL-TERMINATED-FINAL', mutant: 'acts-on-terminated-calls', suites: ['transfer', 'incoming-call'], caughtBy: ['transfer/hang-up-after-completed-transfer'] },
  { rule: 'HOLD-ONE-AT-A-TIME', mutant: 'holds-two-at-once', suites: [], caughtBy: ['hold-music/one-participant-on-hold'] },
  { rule: 'CLIENT-CONTEXT-256', mutant: 'forwards-long-client-context', suites: ['hold-music'], caughtBy: ['hold-music/client-context-too-long'] },
  { rule: 'TRANSFER-GROUP-TRANSFEREE', mutant: 'drops-transferee', suites: [], caughtBy: ['transfer/group-call-completed', 'transfer/group-call-failed', 'transfer/group-call-without-transferee-refused'] },
  { rule: 'LOBBY-WAIT', mutant: 'acts-in-lobby', suites: [], caughtBy: ['lobby/no-action-in-lobby'] },
  { rule: 'PHONE-E164', mutant: 'strips-phone-plus', suites: ['create-call', 'transfer'], caughtBy: ['create-call/pstn-service-hosted-media', 'create-call/pstn-app-hosted-media'] },
];

async function run(entry: string, parallelIndex: number, extra: string[] = []) {
  const out = tempDir('confcall-run-');
  const result = await confcall(['run', '--target', 'targets/reference-bot.yaml', '--out', out, ...extra], {
    env: { ...portsFor(parallelIndex), CONFCALL_BOT_ENTRY: entry },
  });
  return { ...result, out, outcomes: readResults(out) };
}

test('the reference bot passes every shipped scenario, none skipped, with all reports written', async ({}, testInfo) => {
  const { code, stdout, out, outcomes } = await run('dist/bots/reference/main.js', testInfo.parallelIndex);
  expect(code, stdout).toBe(0);
  expect(outcomes.size).toBeGreaterThanOrEqual(100); // 51 scenarios, 49 of them also under the payload variants
  expect([...outcomes].filter(([, o]) => o.status !== 'passed')).toEqual([]);
  for (const report of ['junit.xml', 'results.json', 'html/index.html']) expect(existsSync(join(out, report)), report).toBe(true);
  const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
  expect(junit).toMatch(new RegExp(`tests="${outcomes.size}"`));
  expect(junit).toMatch(/failures="0"/);
  // The mutant audit: no check that catches a mutant fires on the reference bot, not even as a warning.
  expect(mutantCatchesIn(readSummary(join(out, 'summary.json')))).toEqual([]);
});

/** Whether a summary test has the finding of a check, with the severity the catch's weight gives it. */
function hasCatch(summary: ReturnType<typeof readSummary>, check: Check, severity: 'failure' | 'warning'): boolean {
  const t = summary.tests.find((x) => x.id === check.test);
  return !!t?.findings.some((f) => f.severity === severity && f.rule === check.rule && [...f.requirements].sort().join() === [...check.requirements].sort().join());
}

test('the mutant table names every mutant of bots/mutants/, and each catch weighs what its requirements\' levels say', () => {
  const mutants = readdirSync(join(ROOT, 'bots/mutants')).map((f) => f.replace(/\.ts$/, '')).sort();
  expect(Object.keys(MUTANT_CATCHES).sort()).toEqual(mutants);
  const catalogue = new Map(loadRequirements(join(ROOT, 'requirements.yaml')).requirements.map((r) => [r.id, r]));
  for (const [mutant, { weight, checks }] of Object.entries(MUTANT_CATCHES)) {
    expect(checks.length, mutant).toBeGreaterThan(0);
    const levels = checks.flatMap((c) => c.requirements.map((id) => catalogue.get(id)));
    expect(levels.every((r) => r), `${mutant} names a requirement the catalogue lacks`).toBe(true);
    // must: some check is a MUST document requirement (exit 1); strict: none is (a warning, exit 1 with --strict only);
    // robustness: the finding names no requirement.
    if (weight === 'must') expect(levels.some((r) => r!.level === 'MUST' && r!.basis === 'document'), mutant).toBe(true);
    for (const c of checks.filter((c) => c.warns)) expect(c.requirements.every((id) => catalogue.get(id)?.level === 'SHOULD'), `${mutant}: ${c.test} warns`).toBe(true);
    if (weight === 'strict') expect(levels.every((r) => r!.level === 'SHOULD'), mutant).toBe(true);
    if (weight === 'robustness') expect(levels, mutant).toEqual([]);
    if (weight === 'variant') expect(checks.every((c) => c.rule === 'ORDER-INDEPENDENCE' && c.test.endsWith(' · documented payload variants')), mutant).toBe(true);
  }
  // The end-to-end tables below agree with it.
  for (const mutant of Object.keys(STRICT_ONLY)) expect(MUTANT_CATCHES[mutant]!.weight, mutant).toBe('strict');
  for (const { rule, mutant } of RULE_MUTANTS) expect(MUTANT_CATCHES[mutant]!.weight, mutant).toBe(INFERRED_RULES.has(rule) ? 'strict' : 'must');
});

for (const [mutant, caughtBy] of Object.entries(MUTANTS)) {
  test(`mutant ${mutant} is caught by ${caughtBy.join(', ')}${STRICT_ONLY[mutant] ? ` (the inferred ${STRICT_ONLY[mutant]}: a warning, a failure with --strict)` : ''}`, async ({}, testInfo) => {
    const inferred = STRICT_ONLY[mutant];
    if (inferred) {
      const lenient = await run(`dist/bots/mutants/${mutant}.js`, testInfo.parallelIndex, ['--suite', `suites/${caughtBy[0]!.split('/')[0]}.yaml`]);
      expect(lenient.code, lenient.stdout).toBe(0);
      const warned = readSummary(join(lenient.out, 'summary.json'));
      for (const id of caughtBy) expect(warned.tests.find((t) => t.id === id)!.findings.some((f) => f.severity === 'warning' && f.requirements.includes(inferred)), id).toBe(true);
      expect(warned.requirements.find((r) => r.id === inferred)!.verdict).toBe('warning');
      for (const check of MUTANT_CATCHES[mutant]!.checks) expect(hasCatch(warned, check, 'warning'), `${check.test} ${check.rule}`).toBe(true);
    }
    // The suites of its catches: the reference bot's and the independent bot's full runs show that no
    // catching check fires on a conformant bot; a full run per mutant cost `npm test` about 1.5 min each.
    const suites = [...new Set(caughtBy.map((id) => id.split('/')[0]!))].flatMap((s) => ['--suite', `suites/${s}.yaml`]);
    const grep = MUTANT_GREP[mutant] ? ['--grep', MUTANT_GREP[mutant]!] : [];
    const { code, stdout, out, outcomes } = await run(`dist/bots/mutants/${mutant}.js`, testInfo.parallelIndex, [...suites, ...grep, ...(inferred ? ['--strict'] : [])]);
    expectDeviated(out, mutant); // first: a mutant that never deviated is the reference bot, whatever the run's outcome
    expect(code, stdout).toBe(1);
    const failed = [...outcomes].filter(([, o]) => o.status === 'failed').map(([id]) => id);
    expect(failed.sort()).toEqual([...caughtBy].sort());
    const summary = readSummary(join(out, 'summary.json'));
    for (const check of MUTANT_CATCHES[mutant]!.checks) expect(hasCatch(summary, check, check.warns ? 'warning' : 'failure'), `${check.test} ${check.rule} [${check.requirements}]`).toBe(true);
    const verdicts = summary.requirements;
    for (const [id, verdict] of Object.entries(REQUIREMENT_VERDICTS[mutant] ?? {})) expect(verdicts.find((r) => r.id === id)?.verdict, id).toBe(verdict);
    for (const id of caughtBy) {
      const { message } = outcomes.get(id)!;
      // The message names the scenario, the step (with its YAML place) or the check (a rule id, CONVERGENCE), what the bot did and what is required.
      expect(message).toContain(id.split(' · ')[0]);
      expect(message).toMatch(/(step \d+ \(suites\/[a-z-]+\.yaml:\d+:\d+\)|[A-Z]+(-[A-Z0-9]+)+|\bCONVERGENCE\b)/);
      if (id.includes('payload variants')) expect(message).toContain(`with payload variant ${VARIANT_OF[mutant]}`);
      expect(message).toContain('bot did:');
      expect(message).toContain('required:');
    }
  });
}

test('a bot that reads only the first notification of a POST passes the documented order and fails the batched payload variant', async ({}, testInfo) => {
  const { code, stdout, out, outcomes } = await run('dist/bots/mutants/reads-first-item-only.js', testInfo.parallelIndex, ['--suite', 'suites/roster.yaml']);
  expectDeviated(out, 'reads-first-item-only');
  expect(code, stdout).toBe(1);
  const failed = [...outcomes].filter(([, o]) => o.status === 'failed');
  expect(failed.map(([id]) => id).sort()).toEqual([...outcomes.keys()].filter((id) => id.endsWith(' · documented payload variants')).sort());
  for (const id of ['roster/full-roster · documented payload variants', 'roster/delta-roster · documented payload variants']) {
    expect(outcomes.get(id)!.message).toContain(`${id.split(' · ')[0]} with payload variant batched`);
  }
});

test('every protocol rule has a mutant in the table above', () => {
  expect(RULE_MUTANTS.map((m) => m.rule).sort()).toEqual(protocolRules.map((r) => r.id).sort());
});

/** The rules confcall infers rather than quotes: a finding of theirs warns, and fails only with --strict. */
const INFERRED_RULES = new Set(loadRequirements(join(ROOT, 'requirements.yaml')).requirements.filter((r) => r.basis === 'inferred').map((r) => r.id));

for (const { rule, mutant, suites, grep, caughtBy } of RULE_MUTANTS) {
  const inferred = INFERRED_RULES.has(rule);
  test(`protocol rule ${rule} alone among the rules catches mutant ${mutant}${inferred ? ' (an inferred rule: a warning, a failure with --strict)' : ''}`, async ({}, testInfo) => {
    const selection = [...suites.flatMap((s) => ['--suite', `suites/${s}.yaml`]), ...(grep ? ['--grep', grep] : [])];
    if (inferred) {
      // Without --strict the run passes, and its summary shows the rule's warning in the scenarios that catch it.
      const lenient = await run(`dist/bots/mutants/${mutant}.js`, testInfo.parallelIndex, [...selection, '--grep', caughtBy.map((id) => id.split('/')[1]).join('|')]);
      expect(lenient.code, lenient.stdout).toBe(0);
      const warned = readSummary(join(lenient.out, 'summary.json'));
      for (const id of caughtBy) expect(warned.tests.find((t) => t.id === id)!.findings.some((f) => f.severity === 'warning' && f.requirements.includes(rule)), id).toBe(true);
      expect(warned.requirements.find((r) => r.id === rule)!.verdict).toBe('warning');
      for (const check of MUTANT_CATCHES[mutant]!.checks) expect(hasCatch(warned, check, 'warning'), `${check.test} ${check.rule}`).toBe(true);
    }
    const { code, stdout, out, outcomes } = await run(`dist/bots/mutants/${mutant}.js`, testInfo.parallelIndex, [...selection, ...(inferred ? ['--strict'] : [])]);
    expectDeviated(out, mutant); // first: a mutant that never deviated is the reference bot, whatever the run's outcome
    expect(code, stdout).toBe(1);
    const summary = readSummary(join(out, 'summary.json'));
    const failed = summary.tests.filter((t) => t.status === 'failed');
    expect(failed.map((t) => t.id).sort()).toEqual([...caughtBy].sort());
    const ruleIds = new Set(protocolRules.map((r) => r.id));
    const brokenRules = new Set(failed.flatMap((t) => t.brokenRules).filter((r) => ruleIds.has(r)));
    expect([...brokenRules]).toEqual([rule]);
    for (const id of caughtBy) expect(failed.find((t) => t.id === id)!.brokenRules, id).toContain(rule);
    for (const check of MUTANT_CATCHES[mutant]!.checks) expect(hasCatch(summary, check, 'failure'), `${check.test} ${check.rule}`).toBe(true);
    for (const [id, verdict] of Object.entries(REQUIREMENT_VERDICTS[mutant] ?? {})) expect(summary.requirements.find((r) => r.id === id)?.verdict, id).toBe(verdict);
    expect(outcomes.get(caughtBy[0]!)!.message).toContain(rule);
  });
}

test('a bot that cannot start makes the run exit 3 with the reason', async ({}, testInfo) => {
  const { code, stderr, stdout } = await run('dist/bots/reference/no-such-entry.js', testInfo.parallelIndex);
  expect(code, stdout + stderr).toBe(3);
  expect(stderr).toMatch(/the bot could not be reached: the bot command .* ended \(exit code 1\)/);
});

test('a callback URI where nothing listens makes the run exit 3', async ({}, testInfo) => {
  const out = tempDir('confcall-run-');
  const port = Number(portsFor(testInfo.parallelIndex).CONFCALL_BOT_PORT);
  const { code, stderr } = await confcall(['run', '--callback-uri', `http://127.0.0.1:${port}/api/calls`, '--out', out, '--suite', 'suites/incoming-call.yaml'], {
    env: { CONFCALL_GRAPH_LISTEN: `127.0.0.1:${port + 1}` },
  });
  expect(code).toBe(3);
  expect(stderr).toMatch(/could not be reached: .*ECONNREFUSED/);
});

test('scenarios that need the control API are not applicable, with the reason, when the target has none and maps no action', async ({}, testInfo) => {
  const out = tempDir('confcall-run-');
  const port = Number(portsFor(testInfo.parallelIndex).CONFCALL_BOT_PORT);
  const { code, stdout } = await confcall(['run', '--callback-uri', `http://127.0.0.1:${port}/api/calls`, '--out', out, '--suite', 'suites/transfer.yaml', '--reporter', 'json'], {
    env: { CONFCALL_GRAPH_LISTEN: `127.0.0.1:${port + 1}` },
  });
  expect(code).toBe(0);
  expect(stdout).toMatch(/0 passed, 0 failed, 0 skipped, 24 not applicable/); // 12 scenarios and their payload-variant tests
  expect(stdout).toMatch(/- transfer\/peer-to-peer-completed: step \d+ asks the bot to transfer, and the profile maps no trigger for it \(no actions\.transfer, no control API\)/);
  const report = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  const annotations = report.suites[0].suites[0].specs[0].tests[0].annotations as Array<{ type: string; description: string }>;
  expect(annotations.find((a) => a.type === 'skip')?.description).toMatch(/^not applicable: step \d+ asks the bot to transfer/);
  expect(annotations.find((a) => a.type === 'not-applicable')?.description).toMatch(/no control API/);
});
