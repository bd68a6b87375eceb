/**
 * `confcall run --shard i/n` and `confcall merge-reports`: two shards of a suite, merged, give the
 * same totals, the same per-test outcomes and the same exit code as the unsharded run, and
 * `--baseline` gates a merged run as it gates an unsharded one.
 */
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { confcall, portsFor, readResults, tempDir } from './support/cli.js';
import { readSummary } from './support/summary-file.js';

test.describe.configure({ mode: 'parallel' });

const SUITE = ['--suite', 'suites/incoming-call.yaml', '--target', 'targets/reference-bot.yaml'];

test('two shards merged give the unsharded run\'s totals, outcomes and exit code', async ({}, testInfo) => {
  const whole = tempDir('confcall-whole-');
  const shards = [tempDir('confcall-shard1-'), tempDir('confcall-shard2-')];
  const merged = tempDir('confcall-merged-');
  const env = portsFor(testInfo.parallelIndex);

  const unsharded = await confcall(['run', ...SUITE, '--out', whole, '--reporter', 'junit,json'], { env });
  expect(unsharded.code, unsharded.stdout + unsharded.stderr).toBe(0);
  const parts: Array<ReturnType<typeof readResults>> = [];
  for (const [i, out] of shards.entries()) {
    const part = await confcall(['run', ...SUITE, '--out', out, '--reporter', 'json', '--shard', `${i + 1}/2`], { env });
    expect(part.code, part.stdout + part.stderr).toBe(0);
    expect(existsSync(join(out, 'blob-report', `shard-${i + 1}-of-2`))).toBe(true);
    parts.push(readResults(out));
  }
  // Each shard ran a real, non-empty part, and together they ran each test once.
  expect(parts[0]!.size).toBeGreaterThan(0);
  expect(parts[1]!.size).toBeGreaterThan(0);
  expect([...parts[0]!.keys()].filter((id) => parts[1]!.has(id))).toEqual([]);

  const merge = await confcall(['merge-reports', ...shards, '--out', merged]);
  expect(merge.code, merge.stdout + merge.stderr).toBe(0);
  for (const report of ['junit.xml', 'results.json', 'html/index.html']) expect(existsSync(join(merged, report)), report).toBe(true);

  const statsOf = (dir: string) => {
    const { expected, unexpected, skipped, flaky } = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')).stats;
    return { expected, unexpected, skipped, flaky };
  };
  expect(statsOf(merged)).toEqual(statsOf(whole));
  expect(statsOf(whole).expected).toBeGreaterThanOrEqual(10);
  const outcomes = (dir: string) => [...readResults(dir)].map(([id, o]) => [id, o.status]).sort();
  expect(outcomes(merged)).toEqual(outcomes(whole));
  const testsAttribute = (dir: string) => /<testsuites[^>]*tests="(\d+)"/.exec(readFileSync(join(dir, 'junit.xml'), 'utf8'))?.[1];
  expect(testsAttribute(merged)).toBe(testsAttribute(whole));
  expect(merge.stdout).toMatch(new RegExp(`merged 2 shard report\\(s\\): ${statsOf(whole).expected} passed, 0 failed`));
  // The CI-gate files too: the same totals and the same verdict per requirement.
  const summaryOf = (dir: string) => readSummary(join(dir, 'summary.json'));
  expect(summaryOf(merged).totals).toEqual(summaryOf(whole).totals);
  expect(summaryOf(merged).requirements).toEqual(summaryOf(whole).requirements);
  expect(existsSync(join(merged, 'requirements-junit.xml'))).toBe(true);

  // Half the shards cannot pass for the whole run.
  rmSync(join(shards[1]!, 'blob-report'), { recursive: true });
  const short = await confcall(['merge-reports', ...shards, '--out', tempDir('confcall-merged-')]);
  expect(short.code).toBe(2);
  expect(short.stderr).toContain('shard(s) 2/2 missing');
});

test('a failing scenario in one shard makes the merged run fail, as it would unsharded', async ({}, testInfo) => {
  const shards = [tempDir('confcall-shard1-'), tempDir('confcall-shard2-')];
  const env = { ...portsFor(testInfo.parallelIndex), CONFCALL_BOT_ENTRY: 'dist/bots/mutants/regresses-to-establishing.js' };
  const codes: number[] = [];
  for (const [i, out] of shards.entries()) codes.push((await confcall(['run', ...SUITE, '--out', out, '--reporter', 'json', '--shard', `${i + 1}/2`], { env })).code);
  expect(codes).toContain(1);
  const merged = tempDir('confcall-merged-');
  const merge = await confcall(['merge-reports', ...shards, '--out', merged, '--reporter', 'junit']);
  expect(merge.code, merge.stdout + merge.stderr).toBe(1);
  expect(readResults(merged).get('incoming-call/established-before-establishing')?.status).toBe('failed');
  expect(readFileSync(join(merged, 'junit.xml'), 'utf8')).toMatch(/<testsuites[^>]*(failures|errors)="[1-9]/); // Playwright counts a thrown finding as an error
});

test('a shard that could not reach its bot makes the merge exit 3, as the unsharded run would', async ({}, testInfo) => {
  const shards = [tempDir('confcall-shard1-'), tempDir('confcall-shard2-')];
  const args = ['--target', 'tests/fixtures/bad-inputs/targets/never-starts.yaml', '--suite', 'tests/fixtures/bad-inputs/suites/one-notification.yaml', '--reporter', 'json'];
  for (const [i, out] of shards.entries()) {
    const part = await confcall(['run', ...args, '--out', out, '--shard', `${i + 1}/2`], { env: portsFor(testInfo.parallelIndex) });
    expect(part.code, part.stderr).toBe(3);
    // No test failed, none ran: a summary that said `pass` here would pass a CI gate that reads it for a bot that never started.
    const summary = readSummary(join(out, 'summary.json'));
    expect(summary.result).toBe('fail');
    expect(summary.unreachable?.message).toMatch(/^the bot did not become ready/);
  }
  const merged = tempDir('confcall-merged-');
  const merge = await confcall(['merge-reports', ...shards, '--out', merged]);
  expect(merge.code, merge.stdout + merge.stderr).toBe(3);
  expect(merge.stderr).toContain('the bot could not be reached in a shard: the bot did not become ready');
  expect(readSummary(join(merged, 'summary.json'))).toMatchObject({ result: 'fail', unreachable: { message: expect.stringMatching(/^the bot did not become ready/) } });
});

test('a shard whose bot died mid-run makes the merge exit 3 and still write the merged summary files, with the tests that ran', async ({}, testInfo) => {
  const shards = [tempDir('confcall-shard1-'), tempDir('confcall-shard2-')];
  const dies = ['--target', 'tests/fixtures/bad-inputs/targets/dies-after-first-notification.yaml', '--suite', 'tests/fixtures/bad-inputs/suites/one-per-scenario.yaml', '--grep', 'acknowledged$', '--reporter', 'json'];
  // Each shard holds two tests and starts its own bot, which dies after the shard's first test.
  const one = await confcall(['run', ...dies, '--out', shards[0]!, '--shard', '1/2'], { env: portsFor(testInfo.parallelIndex) });
  const two = await confcall(['run', ...dies, '--out', shards[1]!, '--shard', '2/2'], { env: portsFor(testInfo.parallelIndex) });
  expect([one.code, two.code], one.stdout + one.stderr + two.stdout + two.stderr).toEqual([3, 3]);
  const merged = tempDir('confcall-merged-');
  const merge = await confcall(['merge-reports', ...shards, '--out', merged, '--reporter', 'json']);
  expect(merge.code, merge.stdout + merge.stderr).toBe(3);
  expect(merge.stderr).toContain('the bot could not be reached in a shard');
  const summary = readSummary(join(merged, 'summary.json'));
  const status = Object.fromEntries(summary.tests.map((t) => [t.id.replace('one-per-scenario/', ''), t.status]));
  expect(status).toEqual({ 'first-acknowledged': 'passed', 'second-acknowledged': 'failed', 'third-acknowledged': 'passed', 'fourth-acknowledged': 'failed' });
  expect(summary.result).toBe('fail');
  expect(existsSync(join(merged, 'requirements-junit.xml'))).toBe(true);
});

test('a malformed --shard and a folder without blob reports are usage problems', async () => {
  const bad = await confcall(['run', '--shard', '3/2']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('--shard must be i/n with 1 ≤ i ≤ n');
  const noBlobs = await confcall(['merge-reports', tempDir()]);
  expect(noBlobs.code).toBe(2);
  expect(noBlobs.stderr).toContain('no blob report (*.zip)');
});

test('a shard that Playwright gives no test (more shards than tests) passes, saying so', async ({}, testInfo) => {
  const args = ['run', '--suite', 'tests/fixtures/bad-inputs/suites/one-notification.yaml', '--reporter', 'json'];
  const empty = await confcall([...args, '--grep', 'acknowledged$', '--shard', '2/2', '--out', tempDir()], { env: portsFor(testInfo.parallelIndex) });
  expect(empty.code, empty.stderr).toBe(0);
  expect(empty.stdout).toContain('shard 2/2 got no test (there are fewer tests than shards)');
  const none = await confcall([...args, '--grep', 'no-scenario-has-this-name', '--shard', '1/2', '--out', tempDir()], { env: portsFor(testInfo.parallelIndex) });
  expect(none.code).toBe(2); // a selection that matches nothing at all is still the user's mistake
  expect(none.stderr).toContain('no scenario matched');
});

test('merge-reports --baseline: a known failure passes the merged gate, a new one fails it, a bad baseline is a usage error', async ({}, testInfo) => {
  const env = { ...portsFor(testInfo.parallelIndex), CONFCALL_BOT_ENTRY: 'dist/bots/mutants/regresses-to-establishing.js' };
  // Two tests, one per shard: the scenario the mutant fails, and its payload-variant test.
  const few = [...SUITE, '--grep', 'established-before-establishing', '--seed', '7', '--reporter', 'json'];
  const shards = [tempDir('confcall-shard1-'), tempDir('confcall-shard2-')];
  for (const [i, out] of shards.entries()) {
    const part = await confcall(['run', ...few, '--out', out, '--shard', `${i + 1}/2`], { env });
    expect([0, 1], part.stdout + part.stderr).toContain(part.code);
  }
  const failing = 'incoming-call/established-before-establishing';
  const summaryOf = (dir: string) => readSummary(join(dir, 'summary.json'));

  // The mutant's own summary: its merged run, without a baseline, fails.
  const first = tempDir('confcall-merged-');
  const plain = await confcall(['merge-reports', ...shards, '--out', first, '--reporter', 'json']);
  expect(plain.code, plain.stdout + plain.stderr).toBe(1);
  expect(summaryOf(first).tests.filter((t: { status: string }) => t.status === 'failed').map((t: { id: string }) => t.id)).toEqual([failing]);

  // The same defect again: known, so the merged gate passes and says so, as run --baseline does.
  const known = tempDir('confcall-merged-');
  const again = await confcall(['merge-reports', ...shards, '--out', known, '--reporter', 'json', '--baseline', join(first, 'summary.json')]);
  expect(again.code, again.stdout + again.stderr).toBe(0);
  expect(again.stdout).toMatch(/confcall: against the baseline \S*summary\.json: 0 new failure\(s\), 1 known, 0 fixed/);
  expect(summaryOf(known)).toMatchObject({ result: 'pass', baseline: { newFailures: [], knownFailures: [failing], fixed: [] } });

  // A baseline in which nothing failed: the same failure is new, and named.
  const clean = join(tempDir('confcall-baseline-'), 'summary.json');
  const before = summaryOf(first);
  writeFileSync(clean, JSON.stringify({ ...before, tests: before.tests.map((t: object) => ({ ...t, status: 'passed' })) }));
  const gatedOut = tempDir('confcall-merged-');
  const gated = await confcall(['merge-reports', ...shards, '--out', gatedOut, '--reporter', 'json', '--baseline', clean]);
  expect(gated.code, gated.stdout + gated.stderr).toBe(1);
  expect(gated.stderr).toContain(`confcall: new failure (not in the baseline): ${failing}`);
  expect(gated.stdout).toContain('1 new failure(s), 0 known, 0 fixed');
  expect(summaryOf(gatedOut)).toMatchObject({ result: 'fail', baseline: { newFailures: [failing] } });

  // Bad baselines are refused before anything is merged, with the message run gives, and no stack trace.
  const notJson = join(tempDir('confcall-baseline-'), 'summary.json');
  writeFileSync(notJson, '{"tool": "confcall", "tests": [');
  const edited = join(tempDir('confcall-baseline-'), 'summary.json');
  writeFileSync(edited, JSON.stringify({ ...before, tests: [null, ...before.tests] }));
  const refusals = [
    [join(first, 'results.json'), 'not a confcall summary.json'],
    [join(first, 'no-such-summary.json'), 'no such file'],
    [notJson, 'not JSON'],
    [edited, 'tests[0] has no "id" and "status"'],
  ];
  for (const [file, why] of refusals) {
    const badOut = tempDir('confcall-merged-');
    const bad = await confcall(['merge-reports', ...shards, '--out', badOut, '--baseline', file!]);
    expect(bad.code, bad.stdout + bad.stderr).toBe(2);
    expect(bad.stderr).toContain(`confcall: --baseline ${file}: ${why}`);
    expect(bad.stderr).toContain('give the summary.json of an earlier run');
    expect(bad.stderr).not.toMatch(/\n\s+at |internal error/);
    expect(existsSync(join(badOut, 'results.json'))).toBe(false);
  }
  // Only the blob reports, without the shards' summary.json: there is no merged summary to judge, so that is refused too.
  const blobsOnly = shards.map((dir) => {
    const copy = tempDir('confcall-blobs-');
    cpSync(join(dir, 'blob-report'), join(copy, 'blob-report'), { recursive: true });
    return copy;
  });
  const noSummaries = await confcall(['merge-reports', ...blobsOnly, '--out', tempDir('confcall-merged-'), '--baseline', join(first, 'summary.json')]);
  expect(noSummaries.code).toBe(2);
  expect(noSummaries.stderr).toContain("--baseline needs the shards' summary.json");
  expect(noSummaries.stderr).not.toMatch(/\n\s+at |internal error/);
});

test('a shard interrupted mid-run makes the merge exit 2 with a summary that says so, never a pass', async ({}, testInfo) => {
  const few = [...SUITE, '--grep', 'established-before-establishing', '--seed', '7', '--reporter', 'json'];
  const shards = [tempDir('confcall-shard1-'), tempDir('confcall-shard2-')];
  // Shard 1 against a bot that lets the call ring: its one test takes 15 s or more (the wait for an answer), so the signal cuts it off.
  // Playwright gets all the time it needs to write the blob report (on a loaded machine the default 1.2 s may not do); without it, see below.
  const ringing = { ...portsFor(testInfo.parallelIndex), CONFCALL_BOT_ENTRY: 'dist/bots/mutants/leaves-calls-ringing.js', CONFCALL_STOP_GRACE_MS: '30000' };
  let pid = 0;
  const cut = confcall(['run', ...few, '--out', shards[0]!, '--shard', '1/2'], { env: ringing, onOutput: (_, p) => (pid = p) });
  await expect.poll(() => pid && existsSync(join(shards[0]!, 'bot-process.json')), { timeout: 60_000 }).toBe(true); // the bot is up
  // The test then starts and waits up to 15 s for an answer; 5 s leaves a loaded machine time to load the spec (1 s did not).
  await new Promise((resolve) => setTimeout(resolve, 5000));
  process.kill(pid, 'SIGINT');
  const interrupted = await cut;
  expect(interrupted.code, interrupted.stdout + interrupted.stderr).toBe(130);
  expect(readSummary(join(shards[0]!, 'summary.json')).result).toBe('interrupted');
  const whole = await confcall(['run', ...few, '--out', shards[1]!, '--shard', '2/2'], { env: portsFor(testInfo.parallelIndex) });
  expect(whole.code, whole.stdout + whole.stderr).toBe(0);

  const merged = tempDir('confcall-merged-');
  const merge = await confcall(['merge-reports', ...shards, '--out', merged, '--reporter', 'json']);
  expect(merge.code, merge.stdout + merge.stderr).toBe(2);
  expect(merge.stderr).toContain('confcall: a shard was interrupted:');
  expect(merge.stderr).toContain('(SIGINT at ');
  expect(merge.stderr).toContain('1 test(s) of the merged run did not finish');
  const summary = readSummary(join(merged, 'summary.json'));
  expect(summary.result).toBe('interrupted');
  expect(summary.interrupted?.signal).toBe('SIGINT');
  expect(summary.totals.unfinished).toBe(1);
  expect(summary.tests.find((t: { id: string }) => t.id === 'incoming-call/established-before-establishing')?.status).toBe('unfinished');

  // A test still running when the signal came may find the bot gone and leave the unreachable marker: the interruption decides.
  const markedGone = tempDir('confcall-shard1-gone-');
  cpSync(shards[0]!, markedGone, { recursive: true });
  writeFileSync(join(markedGone, 'unreachable.json'), JSON.stringify({ message: 'http://127.0.0.1:1/api/calls: ECONNREFUSED' }));
  const gone = await confcall(['merge-reports', markedGone, shards[1]!, '--out', tempDir('confcall-merged-'), '--reporter', 'json']);
  expect(gone.code, gone.stdout + gone.stderr).toBe(2);
  expect(gone.stderr).toContain('confcall: a shard was interrupted:');
  expect(gone.stderr).not.toContain('could not be reached');

  // Killed after the grace time, Playwright writes no blob report: the merge still names the interrupted shard and does not pass.
  const killed = tempDir('confcall-shard1-killed-');
  cpSync(shards[0]!, killed, { recursive: true });
  rmSync(join(killed, 'blob-report'), { recursive: true });
  const short = await confcall(['merge-reports', killed, shards[1]!, '--out', tempDir('confcall-merged-'), '--reporter', 'json']);
  expect(short.code, short.stdout + short.stderr).toBe(2);
  expect(short.stderr).toContain('shard(s) 1/2 missing from');
  expect(short.stderr).toMatch(/a shard was interrupted: \S*confcall-shard1-killed-\S* \(SIGINT at [^)]+\), and Playwright was stopped before it wrote the blob report/);
  expect(short.stderr).toContain('CONFCALL_STOP_GRACE_MS');
});
