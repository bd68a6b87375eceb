/**
 * The layer order of harness/ (DESIGN.md "Layers of harness/"), kept by dependency-cruiser with
 * .dependency-cruiser.cjs: the real tree passes `npm run check:layers`, and the same rules do
 * fail an upward import, so a passing check means something.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test, expect } from '@playwright/test';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { ROOT, tempDir } from './support/cli.js';

const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

test('the real tree keeps the layer order (npm run check:layers exits 0)', () => {
  // Without Playwright's FORCE_COLOR, so the output reads as plain text.
  const { FORCE_COLOR: _force, ...env } = process.env;
  const run = spawnSync('npm', ['run', '--silent', 'check:layers'], { cwd: ROOT, encoding: 'utf8', env: { ...env, NO_COLOR: '1' }, timeout: 60_000 });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  // On failure the message carries depcruise's own list: rule, from → to, and why the rule is there.
  expect(run.status, `npm run check:layers:\n${output}`).toBe(0);
  // Warnings (a runtime import where DESIGN.md says types only) pass, but are shown with the test.
  if (/\bwarn\b/.test(output)) test.info().annotations.push({ type: 'warning', description: output.trim() });
});

/** A small tree shaped like harness/, cruised with the real configuration. */
async function cruiseFixture(files: Record<string, string>): Promise<{ rule: string; from: string; to: string }[]> {
  const dir = tempDir('confcall-layers-');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true }, include: ['harness', 'bots', 'tests'] }));
  const options = await extractDepcruiseOptions(CONFIG);
  const roots = ['harness', 'bots', 'tests'].filter((root) => Object.keys(files).some((path) => path.startsWith(`${root}/`)));
  const { output } = await cruise(roots, { ...options, baseDir: dir, tsConfig: { fileName: join(dir, 'tsconfig.json') } });
  return (output as ICruiseResult).summary.violations
    .filter((v) => v.rule.severity === 'error')
    .map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }))
    .sort((a, b) => `${a.rule}${a.from}`.localeCompare(`${b.rule}${b.from}`));
}

test('an upward import fails the check, a downward one passes', async () => {
  const violations = await cruiseFixture({
    'harness/model/suite.ts': 'export type Step = { title: string };\n',
    'harness/graph/call-truth.ts': "import type { Step } from '../model/suite.js';\nexport type CallTruth = { step?: Step };\n",
    'harness/notify/deliver.ts': 'export type Delivery = { ok: boolean };\n',
    'harness/report/interrupted.ts': "export const UNREACHABLE_MESSAGE = 'unreachable';\n",
    'harness/report/run-summary.ts': 'export const summary = 1;\n',
    'harness/run/scenario-run.ts': "import { UNREACHABLE_MESSAGE } from '../report/interrupted.js';\nexport const run = UNREACHABLE_MESSAGE;\n",
    // Judging moved into oracle/: downward imports pass, a call back into run/ does not.
    'harness/oracle/step-judging.ts': "import type { Step } from '../model/suite.js';\nimport type { CallTruth } from '../graph/call-truth.js';\nexport const judge = (s: Step, t: CallTruth) => s.title === String(t);\n",
    'harness/oracle/verdict.ts': "import { run } from '../run/scenario-run.js';\nexport const verdict = run;\n",
    // A type-only upward import counts too.
    'harness/graph/default-replies.ts': "import type { Delivery } from '../notify/deliver.js';\nexport const reply = (d: Delivery) => d.ok;\n",
    // run/ may import report/interrupted.ts (a known exception), not the rest of report/.
    'harness/run/summary-peek.ts': "import { summary } from '../report/run-summary.js';\nexport const peek = summary;\n",
    'bots/reference/bot.ts': "import type { Step } from '../../harness/model/suite.js';\nexport const bot = (s: Step) => s;\n",
    // tests/ may import anything.
    'tests/any.spec.ts': "import { verdict } from '../harness/oracle/verdict.js';\nimport { bot } from '../bots/reference/bot.js';\nexport const all = [verdict, bot];\n",
  });
  expect(violations).toEqual([
    { rule: 'bots-not-harness', from: 'bots/reference/bot.ts', to: 'harness/model/suite.ts' },
    { rule: 'layer-graph', from: 'harness/graph/default-replies.ts', to: 'harness/notify/deliver.ts' },
    { rule: 'layer-oracle', from: 'harness/oracle/verdict.ts', to: 'harness/run/scenario-run.ts' },
    { rule: 'layer-run', from: 'harness/run/summary-peek.ts', to: 'harness/report/run-summary.ts' },
  ]);
});

test('a module cycle fails the check, and so does a harness folder no layer knows', async () => {
  const violations = await cruiseFixture({
    'harness/order/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
    'harness/order/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
    'harness/judging/x.ts': "import { a } from '../order/a.js';\nexport const x = a;\n",
  });
  expect(violations.map((v) => v.rule)).toEqual(['harness-unknown-folder', 'no-circular']); // a cycle is reported once
});
