/**
 * confcall as a dev dependency of a bot's own repository, as a new user meets it: `npm pack`,
 * `npm i -D <tarball>` into a fresh project (offline), `npx confcall init`, then `npx confcall run`
 * against the installed reference bot, with a suite of the project's own beside the shipped ones.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test, expect } from '@playwright/test';
import { portsFor, readResults, tempDir } from './support/cli.js';
import { ROOT } from './support/temp-root.js';
import { readSummary } from './support/summary-file.js';

/** A suite of the user's: a shipped fragment (suites/incoming-call.yaml) and a shipped recording. */
const USER_SUITE = `# yaml-language-server: $schema=../../node_modules/confcall/harness/schema/suite.schema.json
suite: my-bot
title: My bot's own scenarios
scenarios:
  - id: caller-hangs-up
    title: The caller hangs up a call the bot answered; the bot sees it end
    steps:
      - include: answered-incoming-call                   # shipped: suites/incoming-call.yaml
      - probe: { state: established }                     # the bot may act on the call before the hang-up
      - notify: graph-reference/notification-terminated   # shipped: recordings/graph-reference/
      - probe: { state: terminated }
`;

interface Outcome {
  code: number;
  stdout: string;
  /** stdout and stderr, as they came. */
  output: string;
  seconds: number;
}

test('pack, install into a fresh project offline, init, run the installed reference bot with a suite of the project beside the shipped ones', async ({}, testInfo) => {
  test.setTimeout(300_000);
  const work = tempDir('confcall-journey-');
  const packDir = join(work, 'pack');
  const project = join(work, 'my-bot');
  mkdirSync(packDir);
  mkdirSync(project);

  // `npm test` built dist/ already; --ignore-scripts keeps pack from rebuilding it under the other tests' feet.
  const pack = await sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], ROOT);
  expect(pack.code, pack.output).toBe(0);
  const manifest = JSON.parse(pack.stdout)[0] as { filename: string; size: number; unpackedSize: number; files: Array<{ path: string }> };
  const files = manifest.files.map((f) => f.path);
  expect(files.filter((f) => /^(tests|bench|\.ci|examples|scripts)\//.test(f) || /(?<!\.d)\.ts$/.test(f))).toEqual([]);
  expect(files).toEqual(expect.arrayContaining(['dist/harness/cli.js', 'dist/playwright.config.js', 'dist/harness/run/conformance.spec.js', 'dist/bots/reference/main.js', 'harness/schema/target.schema.json', 'suites/incoming-call.yaml', 'requirements.yaml', 'profiles/certification-v1.yaml', 'bots/README.md', 'targets/reference-bot.yaml']));
  expect(manifest.size).toBeLessThan(1_000_000);
  const tarball = join(packDir, manifest.filename);

  writeOfflineProject(project, tarball);
  const install = await sh('npm', ['install', '--save-dev', '--offline', '--no-audit', '--no-fund', tarball], project);
  expect(install.code, install.output).toBe(0);
  const installed = join(project, 'node_modules', 'confcall');
  expect(existsSync(join(project, 'node_modules', 'typescript'))).toBe(false);
  expect(sourcesIn(installed)).toEqual([]);
  const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  for (const target of exportedFiles(pkg.exports)) expect(existsSync(join(installed, target)), `exports names ${target}`).toBe(true);
  const api = await sh('node', ['--input-type=module', '-e', "const m = await import('confcall/inprocess'); console.log(typeof m.startInProcess)"], project);
  expect(api.output.trim()).toBe('function');

  const init = await sh('npx', ['confcall', 'init', '--name', 'my-bot'], project);
  expect(init.code, init.output).toBe(0);
  const profile = readFileSync(join(project, 'confcall/targets/reference-bot.yaml'), 'utf8');
  const schemaLine = /\$schema=(.*)$/m.exec(profile)![1]!;
  expect(existsSync(join(project, 'confcall/targets', schemaLine))).toBe(true); // editor completion resolves in node_modules/confcall
  expect(existsSync(join(project, '.github/workflows/confcall.yml'))).toBe(true);
  const again = await sh('npx', ['confcall', 'init', '--name', 'my-bot'], project);
  expect(again.code).toBe(2);
  expect(again.output).toContain('confcall/targets/my-bot.yaml exists');

  mkdirSync(join(project, 'confcall/suites'));
  // A calling bot may keep recordings of its own: they do not hide the shipped ones.
  mkdirSync(join(project, 'recordings'));
  writeFileSync(join(project, 'recordings', 'call-1.wav'), '');
  writeFileSync(join(project, 'confcall/suites/my-bot.yaml'), USER_SUITE);
  const validate = await sh('npx', ['confcall', 'validate'], project);
  expect(validate.code, validate.output).toBe(0);

  // The user's suite and one shipped suite (--grep, to keep the test short); every shipped suite is loaded.
  const env = portsFor(testInfo.parallelIndex, 5);
  const run = await sh('npx', ['confcall', 'run', '--target', 'confcall/targets/reference-bot.yaml', '--grep', '(^| )(incoming-call|my-bot) '], project, env);
  expect(run.code, run.output).toBe(0);
  // Every shipped suite and the project's own one are loaded (--grep only narrows what runs).
  const shippedSuites = readdirSync(join(ROOT, 'suites')).filter((f) => f.endsWith('.yaml')).length;
  expect(run.output).toContain(`from ${shippedSuites + 1} suite(s) against reference-bot`);
  const reports = join(project, 'reports');
  for (const file of ['junit.xml', 'results.json', 'summary.json', 'requirements-junit.xml', 'html/index.html']) expect(existsSync(join(reports, file)), file).toBe(true);
  const results = readResults(reports);
  expect(results.get('my-bot/caller-hangs-up')?.status).toBe('passed');
  expect(results.get('incoming-call/answer')?.status).toBe('passed');
  expect(readSummary(join(reports, 'summary.json')).result).toBe('pass');

  const times = { pack, install, init, validate, run };
  const line = Object.entries(times).map(([step, o]) => `${step} ${o.seconds.toFixed(1)} s`).join(', ');
  testInfo.annotations.push({ type: 'journey', description: `${line}; package ${manifest.size} B packed, ${manifest.unpackedSize} B unpacked` });
  console.log(`package journey: ${line}; package ${manifest.size} B packed, ${manifest.unpackedSize} B unpacked`);
});

/**
 * A fresh project whose lock names each of confcall's dependencies by the tarball and integrity in
 * confcall's own lock: `npm ci` left those tarballs in npm's cache, but not the registry's metadata,
 * without which `npm i --offline` could not resolve a version range.
 */
function writeOfflineProject(project: string, tarball: string): void {
  const own = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; link?: boolean }> };
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const spec = `file:${relative(project, tarball)}`;
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  const packages: Record<string, unknown> = {
    '': { name: 'my-bot', version: '1.0.0', devDependencies: { confcall: spec } },
    'node_modules/confcall': { version: pkg.version, resolved: spec, integrity, dev: true, license: pkg.license, dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines },
  };
  for (const [path, entry] of Object.entries(own.packages)) if (path && !entry.dev && !entry.link) packages[path] = { ...entry, dev: true };
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-bot', version: '1.0.0', private: true, scripts: { start: 'node bot.js' } }, null, 2));
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify({ name: 'my-bot', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2));
}

/** TypeScript sources (not declarations) anywhere in the installed package. */
function sourcesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(ts|cts|mts)$/.test(f) && !/\.d\.[cm]?ts$/.test(f) && !f.includes('node_modules'));
}

/** Every file an `exports` map names. */
function exportedFiles(exports: unknown): string[] {
  if (typeof exports === 'string') return [exports];
  return Object.values(exports as Record<string, unknown>).flatMap(exportedFiles);
}

/**
 * Runs a command as a user's shell would, without the npm_* variables `npm test` sets (npm_config_local_prefix
 * would point npm at confcall's folder); the cache setting stays, since the offline install needs that cache.
 */
function sh(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Outcome> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^npm_config_cache$/i.test(k) || !/^(npm_|INIT_CWD$|FORCE_COLOR$)/i.test(k)));
  const started = performance.now();
  return new Promise((done) => {
    const child = spawn(command, args, { cwd, env: { ...clean, NO_COLOR: '1', CI: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (c) => {
      output += c;
      stdout += c;
    });
    child.stderr.on('data', (c) => (output += c));
    child.on('exit', (code) => done({ code: code ?? -1, stdout, output, seconds: (performance.now() - started) / 1000 }));
  });
}
