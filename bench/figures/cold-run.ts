/**
 * (c) A cold `npx confcall run` of the shipped suites (it starts the reference bot, runs every
 * scenario and its payload variants, writes every report) against `npx playwright test` on an
 * empty spec: how much of a run is Playwright's own start-up.
 *
 * Cold means what a user has after `npm ci`: each command is a fresh process, and each gets an empty
 * Playwright transform cache. Playwright babel-compiles every file of a checkout it loads (dist/
 * included) and keeps the result in a cache under the system's temp folder; a cache left warm by
 * earlier runs or self-tests would hide that compilation from the figure.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../harness/load/package-root.js';
import { timed, type BenchFigure } from '../bench-figure.js';
import type { BenchSettings } from '../bench-settings.js';

/** Runs a command in the package root; resolves with its exit code, output kept for the message. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: packageRoot(), env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer): void => void (output = (output + chunk.toString('utf8')).slice(-8000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** An empty Playwright transform cache of its own, for one cold command (see the file's comment); emptied anew each bench. */
function coldCache(settings: BenchSettings, command: string): NodeJS.ProcessEnv {
  const dir = join(settings.workDir, `cold-transform-cache-${command}`);
  rmSync(dir, { recursive: true, force: true });
  return { PLAYWRIGHT_TRANSFORM_CACHE_DIR: dir };
}

/** Figure (c). In quick mode one small suite stands in for the shipped ones. */
export async function coldRun(settings: BenchSettings): Promise<BenchFigure[]> {
  const suites = settings.quick ? ['--suite', 'suites/inbound-auth.yaml'] : [];
  const confcallEnv = { CONFCALL_BOT_PORT: String(settings.portBase + 30), CONFCALL_GRAPH_PORT: String(settings.portBase + 31), ...coldCache(settings, 'confcall') };
  let confcall = { code: 0, output: '' };
  const confcallMs = await timed(async () => {
    confcall = await run('npx', ['confcall', 'run', ...suites, '--out', join(settings.workDir, 'cold-run-reports')], confcallEnv);
  });
  if (confcall.code !== 0) throw new Error(`bench: npx confcall run exited ${confcall.code}:\n${confcall.output}`);
  let empty = { code: 0, output: '' };
  const emptyMs = await timed(async () => {
    empty = await run('npx', ['playwright', 'test', '--config', 'bench/empty-spec/playwright.config.ts'], coldCache(settings, 'empty-spec'));
  });
  if (empty.code !== 0) throw new Error(`bench: npx playwright test on the empty spec exited ${empty.code}:\n${empty.output}`);
  const tests = /(\d+) passed/.exec(confcall.output)?.[1] ?? '?';
  settings.log(`(c) npx confcall run: ${(confcallMs / 1000).toFixed(1)} s (${tests} passed); npx playwright test, empty spec: ${(emptyMs / 1000).toFixed(1)} s`);
  return [
    {
      id: 'c',
      title: `cold npx confcall run, ${settings.quick ? 'suites/inbound-auth.yaml' : 'shipped suites'}`,
      value: confcallMs / 1000,
      unit: 's',
      baseline: { title: 'npx playwright test, empty spec', value: emptyMs / 1000, unit: 's' },
      ratio: confcallMs / emptyMs,
      ratioMeaning: 'confcall run / empty Playwright run',
      target: '≤ 10 s and ≤ 3× the empty spec',
      met: confcallMs <= 10_000 && confcallMs <= 3 * emptyMs,
      method: `npx confcall run${suites.length ? ` ${suites.join(' ')}` : ''} (reference bot started and stopped by the run, reporters list,junit,json,html; ${tests} tests passed) once, then npx playwright test on bench/empty-spec (one empty test) once; each a fresh process with an empty Playwright transform cache of its own`,
    },
  ];
}
