import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { strToU8, unzipSync, strFromU8, zipSync } from 'fflate';
import { compareWithExpectedFailures, embeddedReportEntries, filesWithSecrets, redactSecrets, requirementVerdicts, sha256Of, type FindingRecord, type TestOutcome } from '../harness/report/certification.js';
import type { Requirement } from '../harness/model/requirement.js';
import { confcall, portsFor, tempDir } from './support/cli.js';

const at = { file: 'requirements.yaml', line: 1, col: 1 };
const requirement = (id: string, rule = false, basis: Requirement['basis'] = 'document'): Requirement => ({ id, level: basis === 'document' ? 'MUST' : 'SHOULD', basis, levelFrom: 'w', title: id, source: 's', quote: 'q', rule, position: at });
const finding = (rule: string, requirements: string[], severity: FindingRecord['severity'] = 'failure'): FindingRecord => ({ rule, requirements, basis: severity === 'deviation' ? 'contract' : 'document', level: 'MUST', severity });
const outcome = (id: string, status: TestOutcome['status'], tags: string[] = [], findings: FindingRecord[] = [], judged: string[] = []): TestOutcome => ({
  id, status, tags, message: findings.map((f) => f.rule).join('\n'), brokenRules: [...new Set(findings.filter((f) => f.severity === 'failure').flatMap((f) => f.requirements))], findings, judged,
});


/** Requirements of suites shipped after certification v1, which v1 does not run. */
const V1_UNJUDGED = [
  'CALL-END-ANY-REASON', // suites/call-end.yaml, 2026-12-07
  'IVR-PROMPT-BODY', 'IVR-OPERATION-COMPLETED', 'IVR-PROMPT-ONCE', 'IVR-TONE-ACTS', 'IVR-TONE-ONCE',
  'KEEPALIVE-REQUEST', 'KEEPALIVE-404-CLEANUP', 'LEAVES-WHEN-ALONE', 'PBR-ANSWER-IN-TIME', 'PBR-RECORDING-STATUS',
];

test('a requirement fails only where a failure names it; it passes where a finished test judged it; else it is not judged, with the reason', () => {
  const verdicts = requirementVerdicts(
    [requirement('TRANSFER-FAIL-ESTABLISHED'), requirement('HOLD-ONE-AT-A-TIME', true), requirement('LOBBY-WAIT', true, 'inferred'), requirement('PHONE-E164', true), requirement('CONTENT-SHARING-ACK')],
    [
      outcome('transfer/a', 'passed', ['TRANSFER-FAIL-ESTABLISHED'], [], ['TRANSFER-FAIL-ESTABLISHED']),
      outcome('hold-music/b', 'failed', [], [finding('HOLD-ONE-AT-A-TIME', ['HOLD-ONE-AT-A-TIME'])], ['HOLD-ONE-AT-A-TIME']),
      outcome('lobby/c', 'passed', ['LOBBY-WAIT'], [finding('LOBBY-WAIT', ['LOBBY-WAIT'], 'warning')], ['LOBBY-WAIT']),
      outcome('content-sharing/d', 'skipped', ['CONTENT-SHARING-ACK']),
    ],
  );
  expect(verdicts.map((v) => `${v.id} ${v.verdict}`)).toEqual(['TRANSFER-FAIL-ESTABLISHED pass', 'HOLD-ONE-AT-A-TIME fail', 'LOBBY-WAIT warning', 'PHONE-E164 not judged', 'CONTENT-SHARING-ACK not judged']);
  expect(verdicts.find((v) => v.id === 'PHONE-E164')?.reason).toMatch(/no scenario of this run exercised the rule/);
  expect(verdicts.find((v) => v.id === 'CONTENT-SHARING-ACK')?.reason).toMatch(/every scenario that checks it was skipped/);
});

test('a scenario that fails on one of its requirements fails that one only, not the others it is tagged with', () => {
  const tags = ['TRANSFER-FAIL-ESTABLISHED', 'RESULTINFO-VARIANTS', 'INCOMING-ANSWER-IN-TIME'];
  const verdicts = requirementVerdicts(
    [requirement('TRANSFER-FAIL-ESTABLISHED'), requirement('RESULTINFO-VARIANTS'), requirement('INCOMING-ANSWER-IN-TIME', true)],
    [outcome('transfer/peer-to-peer-failed', 'failed', tags, [finding('STEP', ['TRANSFER-FAIL-ESTABLISHED'])], ['TRANSFER-FAIL-ESTABLISHED', 'INCOMING-ANSWER-IN-TIME'])],
  );
  // Before, every tag of a failed scenario failed: INCOMING-ANSWER-IN-TIME although the call was answered in time.
  expect(verdicts.map((v) => `${v.id} ${v.verdict}`)).toEqual(['TRANSFER-FAIL-ESTABLISHED fail', 'RESULTINFO-VARIANTS not judged', 'INCOMING-ANSWER-IN-TIME pass']);
});

test('a test-hook deviation never fails a requirement', () => {
  const verdicts = requirementVerdicts([requirement('CLIENT-CONTEXT-256', true)], [outcome('hold-music/too-long', 'passed', [], [finding('STEP', [], 'deviation')], ['CLIENT-CONTEXT-256'])]);
  expect(verdicts[0]!.verdict).toBe('pass');
});

test('expected failures: an unlisted failure and a listed test that now passes both break the run', () => {
  const outcomes = [outcome('a', 'failed'), outcome('b', 'failed'), outcome('c', 'passed')];
  expect(compareWithExpectedFailures(outcomes, ['a', 'b'])).toEqual({ unexpectedFailures: [], nowPassing: [] });
  expect(compareWithExpectedFailures(outcomes, ['a', 'c'])).toEqual({ unexpectedFailures: ['b'], nowPassing: ['c'] });
});

test('redaction removes bearer tokens, private key members and given secrets from every text file', () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'a.json'), '{"authorization":"Bearer eyJhbGciOiJSUzI1NiJ9.eyJ0aWQiOiJ0ZW5hbnQifQ.c2lnbmF0dXJlLWJ5dGVz","d":"c2VjcmV0LXByaXZhdGUta2V5LW1hdGVyaWFs"}');
  writeFileSync(join(dir, 'b.txt'), 'client_secret=reference-bot-secret');
  expect(filesWithSecrets(dir, ['reference-bot-secret']).sort()).toEqual(['b.txt', 'sub/a.json']);
  expect(redactSecrets(dir, ['reference-bot-secret']).sort()).toEqual(['b.txt', 'sub/a.json']);
  expect(filesWithSecrets(dir, ['reference-bot-secret'])).toEqual([]);
  expect(readFileSync(join(dir, 'b.txt'), 'utf8')).toBe('client_secret=[REDACTED]');
});

test('secrets inside the HTML report\'s embedded data zip are found and redacted, and the zip stays readable', () => {
  const dir = tempDir();
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJ0aWQiOiJ0ZW5hbnQifQ.c2lnbmF0dXJlLWJ5dGVz';
  const zip = zipSync({ 'report.json': strToU8('{"tests":1}'), 'abc.json': strToU8(`{"headers":{"authorization":"Bearer ${jwt}"},"secret":"reference-bot-secret"}`) });
  const html = `<html><body><script>app()</script><template id="playwrightReportBase64">data:application/zip;base64,${Buffer.from(zip).toString('base64')}</template></body></html>`;
  mkdirSync(join(dir, 'html'));
  writeFileSync(join(dir, 'html', 'index.html'), html);
  expect(embeddedReportEntries(join(dir, 'html', 'index.html')).sort()).toEqual(['abc.json', 'report.json']);
  // a plain text scan sees nothing: the secret is inside base64
  expect(html.includes(jwt)).toBe(false);
  expect(filesWithSecrets(dir, ['reference-bot-secret'])).toEqual(['html/index.html#abc.json']);
  expect(redactSecrets(dir, ['reference-bot-secret'])).toEqual(['html/index.html']);
  expect(filesWithSecrets(dir, ['reference-bot-secret'])).toEqual([]);
  const after = readFileSync(join(dir, 'html', 'index.html'), 'utf8');
  const entries = unzipSync(Buffer.from(/base64,([^<]+)</.exec(after)![1]!, 'base64'));
  expect(strFromU8(entries['abc.json']!)).toBe('{"headers":{"authorization":"Bearer [REDACTED]"},"secret":"[REDACTED]"}');
  expect(strFromU8(entries['report.json']!)).toBe('{"tests":1}');
  expect(after.startsWith('<html><body><script>app()</script>')).toBe(true);
});

test('the certification profile fixes what is run: flags that change it are refused', async () => {
  const result = await confcall(['run', '--profile', 'certification', '--runs', '5']);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('--runs cannot be combined with --profile certification');
});

test('a certification run of the reference bot yields the evidence bundle: verdicts, manifest, no secrets', async ({}, testInfo) => {
  test.setTimeout(900_000);
  const out = tempDir('confcall-cert-');
  const result = await confcall(['run', '--profile', 'certification', '--reporter', 'list,junit,json,html', '--out', out], { env: portsFor(testInfo.parallelIndex, 3), timeoutMs: 880_000 });
  expect(result.code, result.stdout.slice(-3000) + result.stderr).toBe(0);
  const certification = JSON.parse(readFileSync(join(out, 'certification.json'), 'utf8'));
  expect(certification.result).toBe('pass');
  expect(certification.profile).toBe('certification-v1');
  // Certification v1 names the eight suites of its day: the requirements of the suites shipped since (IVR, compliance recording, keep-alive, meetings, call-end) are not judged by it.
  expect(certification.requirements.filter((r: { verdict: string }) => r.verdict !== 'pass').map((r: { id: string; verdict: string }) => `${r.id} ${r.verdict}`)).toEqual(V1_UNJUDGED.map((id) => `${id} not judged`));

  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  const listed = Object.keys(manifest.bundle);
  for (const report of ['results.json', 'junit.xml', 'html/index.html', 'certification.json', 'summary.json', 'requirements-junit.xml']) expect(listed).toContain(report);
  expect(listed.some((f) => f.endsWith('transcript.json') || f.endsWith('.png') || f.includes('test-results/'))).toBe(true);
  for (const [file, hash] of Object.entries(manifest.bundle)) expect(sha256Of(join(out, file)), file).toBe(hash);
  expect(Object.keys(manifest.inputs)).toEqual(expect.arrayContaining(['suites/transfer.yaml', 'targets/reference-bot.yaml', 'profiles/certification-v1.yaml', 'requirements.yaml']));
  expect(filesWithSecrets(out, ['reference-bot-secret'])).toEqual([]);
  // the scan looked inside the HTML report's embedded data, not only at its base64 text
  expect(embeddedReportEntries(join(out, 'html', 'index.html')).length).toBeGreaterThan(1);
});
