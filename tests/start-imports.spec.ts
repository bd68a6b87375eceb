/**
 * What `confcall run`'s processes load on the way to the first test, from the compiled modules'
 * static imports (a dynamic `import()` is loaded on use, and is not followed). Playwright's runner
 * only declares the tests, and the CLI only checks the inputs before its gate opens: loading
 * exploration, the oracle or a package neither of them uses made every cold run wait for it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test, expect } from '@playwright/test';
import { confcall, portsFor, ROOT, tempDir } from './support/cli.js';

const DIST = join(ROOT, 'dist');

/** Every module a compiled ES module statically imports, its own (paths relative to dist/) and packages, transitively. */
function staticImports(entry: string): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const queue = [resolve(DIST, entry)];
  while (queue.length) {
    const file = queue.shift()!;
    const rel = relative(DIST, file);
    if (modules.has(rel)) continue;
    modules.add(rel);
    // tsc leaves only value imports in the JavaScript: `import ... from 'x'`, `export ... from 'x'`, `import 'x'`.
    for (const m of readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm)) {
      const specifier = (m[1] ?? m[2])!;
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier);
        if (existsSync(target)) queue.push(target);
      } else if (!specifier.startsWith('node:')) packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
    }
  }
  return { modules, packages };
}

test('Playwright\'s runner declares the tests without exploration, the scenario run or the oracle\'s rules', () => {
  const { modules, packages } = staticImports('harness/run/conformance.spec.js');
  expect(modules.size).toBeGreaterThan(5); // the walk found the spec's own imports
  expect([...packages]).toEqual(['@playwright/test']);
  const runOnly = [...modules].filter((m) => /run\/(explore-schedules|scenario-run|scenario-tests|test-outcome)\.js$|oracle\/(rules|verdict)|graph\/fake-graph|notify\//.test(m));
  expect(runOnly, 'modules only a worker uses').toEqual([]);
});

test('confcall run checks its inputs without ajv, jose or the report writers', () => {
  const cli = ['harness/cli/run-command.js', 'harness/cli/run-inputs.js'].map(staticImports);
  const packages = new Set(cli.flatMap((c) => [...c.packages]));
  for (const unused of ['ajv', 'jose', 'fflate', 'undici', 'fast-check']) expect(packages.has(unused), `${unused} is loaded before the gate`).toBe(false);
  const modules = cli.flatMap((c) => [...c.modules]);
  expect(modules.filter((m) => /report\/certification|cli\/summary-files|run\/explore-schedules/.test(m))).toEqual([]);
});

test("the conformance run's worker loads the compiled harness without Playwright's ESM loader thread", async ({}, testInfo) => {
  // Playwright's ESM loader sends every import through a hooks thread (for TypeScript); the compiled run has none to compile.
  expect(await threadsOfWorker(testInfo.parallelIndex, {}), 'threads the worker started').toEqual([]);
  // The same run with the switch emptied (Playwright reads it as off) has the loader thread, so the check above can fail.
  expect((await threadsOfWorker(testInfo.parallelIndex, { PW_DISABLE_TS_ESM: '' })).length, 'threads the worker started with the loader on').toBeGreaterThan(0);
});

/** Runs the inbound-auth suite with a probe preloaded into every process and thread; the threads (not main) of the one Playwright worker. */
async function threadsOfWorker(parallelIndex: number, env: Record<string, string>): Promise<Array<{ pid: number; command: string }>> {
  const out = tempDir('confcall-threads-');
  const log = join(out, 'threads.log');
  const probe = join(ROOT, 'tests/fixtures/worker-threads/probe.cjs');
  const { code, stdout, stderr } = await confcall(['run', '--suite', 'suites/inbound-auth.yaml', '--out', out, '--reporter', 'list'], {
    env: { ...portsFor(parallelIndex), ...env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require "${probe}"`.trim(), CONFCALL_THREAD_PROBE_LOG: log },
    timeoutMs: 120_000,
  });
  expect(code, `${stdout}\n${stderr}`).toBe(0);
  const started = readFileSync(log, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { pid: number; command: string; mainThread: boolean });
  // A thread's argv names no script: it is known by its process's pid.
  const workers = started.filter((s) => s.mainThread && /playwright\/lib\/worker\/workerProcessEntry\.js/.test(s.command)).map((s) => s.pid);
  expect(workers, 'the Playwright worker ran').toHaveLength(1);
  return started.filter((s) => !s.mainThread && workers.includes(s.pid));
}
