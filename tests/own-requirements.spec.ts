/**
 * A bot repository's own suites may check requirements of its own: `confcall/requirements.yaml` adds
 * them to confcall's catalogue, for `validate`, `list` and `run` alike (validate used to take the own
 * file as the whole catalogue, and run to ignore it). It adds, never redefines: confcall's ids and
 * `rule: true` (a protocol rule is confcall's code) are refused where they are written.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { confcall, portsFor, tempDir } from './support/cli.js';
import { readSummary } from './support/summary-file.js';

const OWN_REQUIREMENT = `requirements:
  - id: ACME-ACKS-ESTABLISHED
    level: MUST
    basis: document
    levelFrom: 'our product specification, section 4'
    title: Our bot acknowledges the established notification of a call it answered
    source: docs/acme-bot-spec.md
    quote: "The bot acknowledges every call-state notification."
`;

const OWN_SUITE = `suite: acme
title: Acme's own scenarios
scenarios:
  - id: answers-and-acknowledges
    title: The bot answers an incoming call and acknowledges it being established
    requirements: [ACME-ACKS-ESTABLISHED, INCOMING-ANSWER-IN-TIME]
    needs: [answersIncomingCalls]
    steps:
      - include: answered-incoming-call
`;

/** A bot repository (no recordings/ of its own, so confcall's checkout is the base) with the given confcall/ files. */
function botRepository(files: Record<string, string>): string {
  const repo = tempDir('confcall-own-');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(repo, 'confcall', path, '..'), { recursive: true });
    writeFileSync(join(repo, 'confcall', path), text);
  }
  return repo;
}

test("a bot repository's own requirement is in the catalogue of validate, list and run", async ({}, testInfo) => {
  test.setTimeout(120_000);
  const repo = botRepository({ 'requirements.yaml': OWN_REQUIREMENT, 'suites/acme.yaml': OWN_SUITE });
  const validate = await confcall(['validate'], { cwd: repo });
  expect(validate.code, validate.stderr).toBe(0);
  const list = await confcall(['list', '--requirements'], { cwd: repo });
  expect(list.stdout).toContain('ACME-ACKS-ESTABLISHED [MUST, document]');
  expect(list.stdout).toMatch(/scenarios: acme\/answers-and-acknowledges/);
  const out = join(repo, 'reports');
  const run = await confcall(['run', '--suite', 'confcall/suites/acme.yaml', '--out', out, '--reporter', 'json'], { cwd: repo, env: portsFor(testInfo.parallelIndex), timeoutMs: 100_000 });
  expect(run.code, run.stdout + run.stderr).toBe(0);
  expect(readSummary(join(out, 'summary.json')).requirements.find((r) => r.id === 'ACME-ACKS-ESTABLISHED')?.verdict).toBe('pass');
});

test("an own requirement may not redefine one of confcall's, nor claim to be a protocol rule", async () => {
  const redefined = OWN_REQUIREMENT.replace('ACME-ACKS-ESTABLISHED', 'TRANSFER-FAIL-ESTABLISHED').replace("    quote:", "    rule: true\n    quote:");
  const ruled = OWN_REQUIREMENT.replace("    quote:", "    rule: true\n    quote:");
  for (const [catalogue, message] of [
    [redefined, /confcall\/requirements\.yaml:2:5: id: requirement TRANSFER-FAIL-ESTABLISHED is confcall's own \(.*requirements\.yaml:\d+:\d+\)/],
    [ruled, /confcall\/requirements\.yaml:2:5: rule: requirement ACME-ACKS-ESTABLISHED says rule: true, but a protocol rule is confcall's code/],
  ] as const) {
    const repo = botRepository({ 'requirements.yaml': catalogue, 'suites/acme.yaml': OWN_SUITE.replace('ACME-ACKS-ESTABLISHED', catalogue === redefined ? 'TRANSFER-FAIL-ESTABLISHED' : 'ACME-ACKS-ESTABLISHED') });
    const validate = await confcall(['validate'], { cwd: repo });
    expect(validate.code).toBe(2);
    expect(validate.stderr).toMatch(message);
  }
});
