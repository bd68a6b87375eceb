/**
 * harness/run/documented-runs.ts: a scenario's payload-variants test judges against the run its
 * documented test made in the same worker, and runs its own baseline only when there is none.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test, expect } from '@playwright/test';
import { documentedRuns } from '../harness/run/documented-runs.js';
import type { ScenarioResult } from '../harness/run/scenario-run.js';
import { confcall, portsFor, readResults, ROOT, tempDir } from './support/cli.js';

const run = (callId: string) => Promise.resolve({ callId } as ScenarioResult);

test('a documented run is kept for as many takers as its scenario has, then freed', async () => {
  const runs = documentedRuns();
  runs.offer('s/a', run('a1'), 2);
  runs.offer('s/b', run('b1'), 0); // a scenario with no later test keeps nothing
  expect((await runs.take('s/a'))?.callId).toBe('a1');
  expect((await runs.take('s/a'))?.callId).toBe('a1');
  expect(runs.take('s/a')).toBeUndefined();
  expect(runs.take('s/b')).toBeUndefined();
  expect(runs.take('s/never-offered')).toBeUndefined();
});

test('a documented run that failed fails its takers, and is not an unhandled rejection when no taker comes', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const runs = documentedRuns();
    runs.offer('s/a', Promise.reject(new Error('harness broke')), 1);
    runs.offer('s/b', Promise.reject(new Error('never taken')), 1);
    await expect(runs.take('s/a')!).rejects.toThrow('harness broke');
    await new Promise((r) => setTimeout(r, 20));
    expect(unhandled).toEqual([]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

/** The reference bot, counting the calls the harness asks it to place (one per scenario run of create-call.yaml). */
function countingBot(dir: string): { entry: string; placed: () => number } {
  const countFile = join(dir, 'placed.txt');
  const entry = join(dir, 'counting-bot.mjs');
  writeFileSync(
    entry,
    `import { appendFileSync } from 'node:fs';
import http from 'node:http';
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, request, ...rest) {
  if (event === 'request' && request.method === 'POST' && /\\/control\\/calls$/.test(request.url)) appendFileSync(${JSON.stringify(countFile)}, 'placed\\n');
  return emit.call(this, event, request, ...rest);
};
await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist/bots/reference/main.js')).href)});
`,
  );
  return { entry, placed: () => (existsSync(countFile) ? readFileSync(countFile, 'utf8').split('\n').filter(Boolean).length : 0) };
}

test('the variants tests run as many scenarios with their documented tests as alone: the documented test\'s run is their baseline', async ({}, testInfo) => {
  test.slow();
  const ports = portsFor(testInfo.parallelIndex, 4);
  const place = async (grep: string[]): Promise<{ placed: number; results: Map<string, { status: string }> }> => {
    const dir = tempDir('confcall-documented-runs-');
    const bot = countingBot(dir);
    const out = join(dir, 'out');
    const result = await confcall(['run', '--suite', 'suites/create-call.yaml', '--reporter', 'json', '--out', out, ...grep], { env: { ...ports, CONFCALL_BOT_ENTRY: bot.entry } });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    return { placed: bot.placed(), results: readResults(out) };
  };
  // Every test, their work ahead (the default parallel run); then only the variants tests (--grep: one after another).
  const all = await place([]);
  const variantsAlone = await place(['--grep', ' · documented payload variants']);
  const variantTests = [...all.results.keys()].filter((id) => id.endsWith(' · documented payload variants'));
  expect(variantTests.length).toBeGreaterThan(0);
  expect([...variantsAlone.results.keys()].sort()).toEqual(variantTests.sort());
  for (const id of variantTests) expect(variantsAlone.results.get(id)?.status, id).toBe(all.results.get(id)?.status);
  // Alone, each variants test runs its own documented baseline; with its documented test, it takes that one's
  // run: the whole suite places one call more only per documented test without a variants test (no notify step).
  const documentedOnly = all.results.size - 2 * variantTests.length;
  expect(all.placed).toBe(variantsAlone.placed + documentedOnly);
  expect(variantsAlone.placed).toBeGreaterThan(variantTests.length);
});
