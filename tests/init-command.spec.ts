/** `confcall init` in a bot's repository: what it writes, what it refuses, and that what it writes validates. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { parse as parseYaml } from 'yaml';
import { confcall, tempDir } from './support/cli.js';

test.describe.configure({ mode: 'parallel' });

test('init writes a profile that validates, named after package.json, and yaml.schemas added to the settings already there', async () => {
  const repo = tempDir('confcall-init-');
  writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: '@contoso/call-bot' }));
  mkdirSync(join(repo, '.vscode'));
  writeFileSync(join(repo, '.vscode/settings.json'), JSON.stringify({ 'editor.tabSize': 2 }));
  const init = await confcall(['init', '--callback-uri', 'http://127.0.0.1:5100/api/calling', '--start', 'node dist/index.js', '--intercept'], { cwd: repo });
  expect(init.code, init.stderr).toBe(0);
  const profile = parseYaml(readFileSync(join(repo, 'confcall/targets/call-bot.yaml'), 'utf8'));
  expect(profile).toMatchObject({ name: 'call-bot', callbackUri: 'http://127.0.0.1:5100/api/calling', capabilities: ['answersIncomingCalls'], start: { command: 'node dist/index.js', cwd: '../..', ready: 'tcp://127.0.0.1:5100', intercept: true } });
  const settings = JSON.parse(readFileSync(join(repo, '.vscode/settings.json'), 'utf8'));
  expect(settings['editor.tabSize']).toBe(2);
  const schemas = Object.entries(settings['yaml.schemas'] as Record<string, string[]>);
  expect(schemas.map(([, globs]) => globs)).toEqual([['confcall/targets/*.yaml'], ['confcall/suites/*.yaml']]);
  for (const [schema] of schemas) expect(existsSync(join(repo, schema)), schema).toBe(true);
  const workflow = readFileSync(join(repo, '.github/workflows/confcall.yml'), 'utf8');
  expect(workflow).toContain('npx confcall run --target confcall/targets/call-bot.yaml --shard ${{ matrix.shard }}/4');
  expect(workflow).toContain('--baseline confcall/baseline.json');
  const validate = await confcall(['validate'], { cwd: repo });
  expect(validate.stderr).toBe('');
  expect(validate.code).toBe(0);
});

test('with a control API the profile declares what it drives, and still validates', async () => {
  const repo = tempDir('confcall-init-');
  const init = await confcall(['init', '--name', 'ivr', '--control', 'http://127.0.0.1:3978/control', '--probe', '--ci', 'none'], { cwd: repo });
  expect(init.code, init.stderr).toBe(0);
  const profile = parseYaml(readFileSync(join(repo, 'confcall/targets/ivr.yaml'), 'utf8'));
  expect(profile).toMatchObject({ control: 'http://127.0.0.1:3978/control', probe: true, capabilities: ['answersIncomingCalls', 'createsCalls', 'joinsMeetings', 'transfers', 'holdMusic', 'hangsUp'] });
  expect(existsSync(join(repo, '.github'))).toBe(false);
  const validate = await confcall(['validate'], { cwd: repo });
  expect(validate.code, validate.stderr).toBe(0);
});

test('init overwrites nothing without --force: exit 2 naming the file, and nothing written', async () => {
  const repo = tempDir('confcall-init-');
  mkdirSync(join(repo, 'confcall/targets'), { recursive: true });
  writeFileSync(join(repo, 'confcall/targets/reference-bot.yaml'), 'mine\n');
  const refused = await confcall(['init', '--name', 'bot'], { cwd: repo });
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('confcall: confcall/targets/reference-bot.yaml exists');
  expect(refused.stderr).toContain('hint: pass --force to overwrite confcall/targets/reference-bot.yaml');
  expect(existsSync(join(repo, 'confcall/targets/bot.yaml'))).toBe(false);
  expect(readFileSync(join(repo, 'confcall/targets/reference-bot.yaml'), 'utf8')).toBe('mine\n');
  const forced = await confcall(['init', '--name', 'bot', '--force'], { cwd: repo });
  expect(forced.code, forced.stderr).toBe(0);
  expect(readFileSync(join(repo, 'confcall/targets/reference-bot.yaml'), 'utf8')).toContain('name: reference-bot');
});

test('bad flags are usage errors, before anything is written', async () => {
  const repo = tempDir('confcall-init-');
  for (const [flags, message] of [
    [['--capabilities', 'answersIncomingCalls,teleports'], '--capabilities: unknown teleports'],
    [['--callback-uri', 'ftp://x'], '--callback-uri must be an http(s) URL'],
    [['--shards', '0'], '--shards must be a whole number from 1 to 64'],
  ] as const) {
    const result = await confcall(['init', ...flags], { cwd: repo });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  }
  expect(existsSync(join(repo, 'confcall'))).toBe(false);
});
