/** `confcall init` in a bot's repository: what it writes, what it refuses, and that what it writes validates. */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { parse as parseYaml } from 'yaml';
import { confcall, ROOT, tempDir } from './support/cli.js';

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

test('on a terminal init asks for what no flag gave, an empty answer keeping the default; --yes asks nothing', async () => {
  const repo = tempDir('confcall-init-');
  writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'from-manifest' }));
  // util-linux `script` gives the command a terminal; the answers are typed ahead, as a paste would.
  const asked = await onTerminal(['init', '--ci', 'none', '--start', 'node bot.js'], repo, 'voice-bot\nhttp://127.0.0.1:5200/api/calls\n\n');
  expect(asked.code, asked.output).toBe(0);
  expect(asked.output).toContain("The bot's name (names its profile) (from-manifest): ");
  expect(asked.output).not.toContain('The command that starts the bot'); // --start gave it
  const profile = parseYaml(readFileSync(join(repo, 'confcall/targets/voice-bot.yaml'), 'utf8'));
  expect(profile).toMatchObject({ name: 'voice-bot', callbackUri: 'http://127.0.0.1:5200/api/calls', start: { command: 'node bot.js', ready: 'tcp://127.0.0.1:5200' } });
  expect(profile.control).toBeUndefined();

  const quiet = await onTerminal(['init', '--ci', 'none', '--yes', '--force'], repo, '');
  expect(quiet.code, quiet.output).toBe(0);
  expect(quiet.output).not.toContain('(from-manifest)');
  expect(existsSync(join(repo, 'confcall/targets/from-manifest.yaml'))).toBe(true);
});

/** Runs confcall on a pseudo-terminal (util-linux `script`), typing `input`. */
function onTerminal(args: string[], cwd: string, input: string): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    const command = [process.execPath, join(ROOT, 'bin/confcall.js'), ...args].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.stdin.end(input);
    child.on('exit', (code) => done({ code: code ?? -1, output }));
  });
}
