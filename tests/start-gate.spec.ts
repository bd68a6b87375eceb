/**
 * `confcall run` starts Playwright's runner at once and the bot itself (harness/run/start-gate.ts):
 * the runner waits at its gate while the inputs are checked, so bad inputs still touch nothing, and
 * the bot is the CLI's child, which stops it once Playwright has ended.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test, expect } from '@playwright/test';
import { confcall, portsFor, ROOT, tempDir } from './support/cli.js';

const ONE_SUITE = ['--suite', 'suites/inbound-auth.yaml'];

test.describe.configure({ mode: 'parallel' });

test("bad inputs: the runner already started goes no further than its gate, and leaves the last run's files as they were", async ({}, testInfo) => {
  const out = tempDir('confcall-gate-');
  // What an earlier run left: Playwright clears test-results/ as it begins, and confcall removes the reports once the inputs pass.
  mkdirSync(join(out, 'test-results'), { recursive: true });
  writeFileSync(join(out, 'test-results', 'earlier.txt'), 'an earlier run');
  writeFileSync(join(out, 'results.json'), '{"earlier": true}');
  const { code, stdout, stderr } = await confcall(['run', '--suite', 'tests/fixtures/bad-inputs/suites/malformed-yaml.yaml', '--out', out], { env: portsFor(testInfo.parallelIndex, 3) });
  expect(code, stdout + stderr).toBe(2);
  expect(stderr).toContain('nothing was run');
  expect(readFileSync(join(out, 'test-results', 'earlier.txt'), 'utf8')).toBe('an earlier run');
  expect(readFileSync(join(out, 'results.json'), 'utf8')).toBe('{"earlier": true}');
  // Playwright said nothing: no test list, no error of its own.
  expect(stdout + stderr).not.toMatch(/Running \d+ tests? using|^\s*Error:|global setup/m);
});

test('the bot is started by confcall itself, gets the run going, and is stopped once Playwright has ended', async ({}, testInfo) => {
  const dir = tempDir('confcall-gate-bot-');
  const out = join(dir, 'out');
  const parentFile = join(dir, 'bot-parent.json');
  // The reference bot behind a line that notes who started it.
  const wrapper = join(dir, 'noting-bot.cjs');
  const bot = pathToFileURL(join(ROOT, 'dist/bots/reference/main.js')).href;
  writeFileSync(wrapper, `require('fs').writeFileSync(${JSON.stringify(parentFile)}, JSON.stringify({ ppid: process.ppid }));\nimport(${JSON.stringify(bot)});\n`);
  let confcallPid = 0;
  const { code, stdout, stderr } = await confcall(['run', ...ONE_SUITE, '--out', out, '--reporter', 'json'], {
    env: { ...portsFor(testInfo.parallelIndex, 4), CONFCALL_BOT_ENTRY: wrapper },
    onOutput: (_text, pid) => (confcallPid = pid),
  });
  expect(code, stdout + stderr).toBe(0);
  expect(confcallPid).toBeGreaterThan(0);
  // `exec` makes the shell the bot: its parent is the confcall process, not Playwright's runner.
  expect(JSON.parse(readFileSync(parentFile, 'utf8')).ppid).toBe(confcallPid);
  expect(existsSync(join(out, 'bot-process.json'))).toBe(false);
  expect(existsSync(join(out, 'project.v8'))).toBe(false);
});
