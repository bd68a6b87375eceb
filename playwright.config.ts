import { defineConfig } from '@playwright/test';
import { waitAtStartGate } from './harness/run/start-gate.js';

/**
 * Two projects share this file:
 * - `conformance`: the conformance run that `confcall run` drives (one test per scenario);
 *   it reads its settings (target, suites, output folder) from CONFCALL_* variables.
 * - `selftest`: confcall's own tests (`npm test`).
 */
const outDir = process.env.CONFCALL_OUT_DIR ?? 'reports';
/**
 * `confcall run` uses the compiled config (dist/playwright.config.js) and so the compiled spec and
 * global setup beside it: an installed confcall ships no TypeScript and needs no compiler at run time.
 */
const ext = import.meta.url.endsWith('.js') ? 'js' : 'ts';
const isConformance = process.env.CONFCALL_MODE === 'conformance';
/** `confcall run --shard i/n` sets this (harness/cli/shard.ts): the shard also writes a blob report for `confcall merge-reports`. */
const shard = /^(\d+)\/(\d+)$/.exec(process.env.CONFCALL_SHARD ?? '');
// `confcall run` starts this runner before it has checked the inputs and started the bot: it waits here,
// before Playwright touches the out folder, until confcall says go (harness/run/start-gate.ts).
if (isConformance) await waitAtStartGate();
// The compiled conformance run loads no TypeScript: its worker (forked with this process's environment) needs no
// Playwright ESM loader, whose hooks thread every import of the spec's modules went through (about 0.4 s of the
// worker's CPU in a cold run). PW_DISABLE_TS_ESM is Playwright's own switch; renamed, the run is only slower.
if (isConformance && ext === 'js') process.env.PW_DISABLE_TS_ESM ??= '1';

export default defineConfig({
  // The compiled harness (dist/) needs no transform: Playwright would babel-compile each of its files in a cold run
  // (about 1 s of CPU on 2 cores), caching it only for later runs.
  build: { external: ext === 'js' ? ['**/dist/**'] : [] },
  forbidOnly: !!process.env.CI,
  // The conformance project runs one worker (one bot, one fake Graph); the self-tests two.
  workers: isConformance ? 1 : 2,
  globalSetup: isConformance ? `./harness/run/global-setup.${ext}` : './tests/support/global-setup.ts',
  reporter: isConformance ? conformanceReporters(outDir) : selftestReporters(),
  outputDir: isConformance ? `${outDir}/test-results` : 'test-results',
  projects: [
    {
      name: 'conformance',
      testDir: './harness/run',
      testMatch: `conformance.spec.${ext}`,
      // One bot, one fake Graph: scenarios share them, so they run one after another (one worker).
      // Sharded, each test is its own group, or Playwright would hand the one spec file to one shard.
      fullyParallel: !!shard,
      workers: 1,
      timeout: 60_000,
    },
    {
      name: 'selftest',
      testDir: './tests',
      // A guard against hangs, not a speed check: a full conformance run takes 1-3 min on a loaded 2-core machine.
      timeout: 360_000,
      // End-to-end runs each start a bot and a Playwright run of their own: two at a time suit 2 cores.
      workers: 2,
    },
  ],
});

function conformanceReporters(dir: string) {
  const wanted = (process.env.CONFCALL_REPORTERS ?? 'list,junit,json,html').split(',').map((r) => r.trim());
  const all = {
    list: ['list'],
    junit: ['junit', { outputFile: `${dir}/junit.xml` }],
    json: ['json', { outputFile: `${dir}/results.json` }],
    html: ['html', { outputFolder: `${dir}/html`, open: 'never' }],
  } as const;
  const chosen: unknown[] = wanted.filter((r): r is keyof typeof all => r in all).map((r) => all[r]);
  // The status line on a terminal (tests done, failures, elapsed) lives under the list reporter's lines, so it comes
  // with `list` (harness/report/progress-reporter.ts); without list, Playwright's line reporter shows progress.
  const list = chosen.indexOf(all.list);
  // CONFCALL_PROGRESS_AFTER_MS (tests only) moves its 2 s threshold, so a test can see the line however fast the run.
  const showAfterMs = process.env.CONFCALL_PROGRESS_AFTER_MS ? Number(process.env.CONFCALL_PROGRESS_AFTER_MS) : undefined;
  if (list >= 0) chosen.splice(list, 0, [`./harness/report/progress-reporter.${ext}`, { showAfterMs }]);
  // One folder per shard: the blob reporter empties its folder before writing (see harness/cli/shard.ts).
  if (shard) chosen.push(['blob', { outputDir: `${dir}/blob-report/shard-${shard[1]}-of-${shard[2]}` }]);
  return chosen as any;
}

function selftestReporters() {
  return [['list'], ['json', { outputFile: 'test-results/selftest.json' }]] as any;
}
