import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { parse } from 'yaml';
import { protocolRules } from '../harness/oracle/rules/index.js';
import { confcall, ROOT, tempDir } from './support/cli.js';

const catalogue = parse(readFileSync(join(ROOT, 'requirements.yaml'), 'utf8')).requirements as Array<{ id: string; source: string; rule?: boolean; level: string; basis: string }>;

test('confcall list --requirements prints every requirement with its level, basis, source and the scenarios that check it', async () => {
  const { code, stdout } = await confcall(['list', '--requirements']);
  expect(code).toBe(0);
  for (const r of catalogue) {
    expect(stdout).toContain(`${r.id} [${r.level}, ${r.basis}] `);
    expect(stdout).toContain(`source:    ${r.source}`);
  }
  expect(stdout).toMatch(/scenarios: transfer\/peer-to-peer-failed, /);
  expect(stdout).toContain('LOBBY-WAIT [SHOULD, inferred] ');
  expect(stdout).not.toContain('NONE: no scenario checks this yet');
  expect(stdout).toContain(`${catalogue.length} requirement(s); each checked by a scenario or a protocol rule`);
});

test('every protocol rule is a catalogued requirement marked as a rule, and every such requirement is a rule', () => {
  const ruleIds = protocolRules.map((r) => r.id).sort();
  expect(catalogue.filter((r) => r.rule).map((r) => r.id).sort()).toEqual(ruleIds);
});

test('a scenario naming a requirement the catalogue lacks is reported where the scenario is', async () => {
  const dir = tempDir();
  cpSync(join(ROOT, 'recordings'), join(dir, 'recordings'), { recursive: true });
  cpSync(join(ROOT, 'requirements.yaml'), join(dir, 'requirements.yaml'));
  mkdirSync(join(dir, 'suites'));
  writeFileSync(join(dir, 'suites', 's.yaml'), 'suite: s\ntitle: t\nscenarios:\n  - id: a\n    title: t\n    requirements: [NO-SUCH-RULE]\n    steps:\n      - notify: graph-reference/notification-incoming-call\n');
  const { code, stderr } = await confcall(['validate'], { cwd: dir });
  expect(code).toBe(2);
  expect(stderr).toContain('suites/s.yaml:4:5: requirements: requirement NO-SUCH-RULE is not in requirements.yaml');
});

test("a step that checks a requirement its scenario does not name is reported on the step", async () => {
  const dir = tempDir();
  cpSync(join(ROOT, 'recordings'), join(dir, 'recordings'), { recursive: true });
  cpSync(join(ROOT, 'requirements.yaml'), join(dir, 'requirements.yaml'));
  mkdirSync(join(dir, 'suites'));
  const steps = '      - notify: graph-reference/notification-incoming-call\n      - probe: { state: established }\n        checks: [RESULTINFO-VARIANTS]\n';
  writeFileSync(join(dir, 'suites', 's.yaml'), `suite: s\ntitle: t\nscenarios:\n  - id: a\n    title: t\n    requirements: [TRANSFER-FAIL-ESTABLISHED]\n    steps:\n${steps}`);
  const { code, stderr } = await confcall(['validate'], { cwd: dir });
  expect(code).toBe(2);
  expect(stderr).toContain('suites/s.yaml:9:9: checks: step checks RESULTINFO-VARIANTS, which scenario a does not name in its requirements');
  expect(stderr).toContain('hint');
});
