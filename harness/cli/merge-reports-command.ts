import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { listFiles } from '../load/load-recordings.js';
import { loadCatalogue } from '../load/load-requirements.js';
import { packageRoot, playwrightConfigFile } from '../load/package-root.js';
import { ownRequirementsFile, projectLayout, requirementsFile } from '../load/project-layout.js';
import { outcomesOf } from '../report/certification.js';
import { cutOffByInterruption, type Interruption } from '../report/interrupted.js';
import { UNREACHABLE_FILE } from '../run/run-files.js';
import { exitCodeForSignal, runPlaywright } from './playwright-child.js';
import { REQUIREMENTS_JUNIT_FILE, SUMMARY_FILE } from './summary-file-names.js';
import { readBaseline, writeRunSummary, type Baseline } from './summary-files.js';
import { UsageError } from './usage.js';

/** A shard's blob report found under one of the folders given to `merge-reports`. */
interface BlobReport {
  file: string;
  /** From the `shard-i-of-n` folder `confcall run --shard` writes into, when the blob sits in one. */
  shard?: { current: number; total: number };
}

/** What the merge takes from a shard's own `summary.json`. */
interface ShardSummary {
  file: string;
  target?: string;
  seed?: number;
  interrupted?: Interruption;
}

/**
 * `confcall merge-reports DIR... [--out DIR] [--reporter ...] [--baseline SUMMARY.json]`: merges the
 * blob reports of a sharded run into the JUnit, JSON and HTML reports an unsharded run writes, with
 * the same exit code; with a baseline, judged as `confcall run --baseline` judges an unsharded run.
 */
export async function mergeReportsCommand(args: string[], cwd: string): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string' }, reporter: { type: 'string' }, baseline: { type: 'string' } } });
  if (!positionals.length) throw new UsageError('merge-reports needs the folders that hold the shards\' blob reports (the --out folders of `confcall run --shard i/n`)');
  const dirs = positionals.map((d) => resolve(cwd, d));
  for (const dir of dirs) if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`no such folder: ${relative(cwd, dir) || dir}`);
  const baseline = values.baseline === undefined ? undefined : readBaseline(resolve(cwd, values.baseline));
  const outDir = resolve(cwd, values.out ?? 'reports');
  // The merged summary takes the target and seed from the shards' own; a baseline is judged on it, so it must be there.
  const shardSummaries = dirs
    .flatMap((d) => listFiles(d, SUMMARY_FILE).map((f) => join(d, f)))
    .filter((f) => resolve(f) !== join(outDir, SUMMARY_FILE))
    .map((f) => readShardSummary(f, cwd));
  if (baseline && !shardSummaries.length) {
    throw new UsageError(`--baseline needs the shards' ${SUMMARY_FILE}, and there is none among ${positionals.join(', ')}; hand merge-reports the shards' whole --out folders, not only their blob-report/`);
  }

  const blobs = dirs.flatMap(blobReportsIn);
  if (!blobs.length) {
    console.error(`confcall: no blob report (*.zip) in ${positionals.join(', ')}; each shard writes one with \`confcall run --shard i/n\` into <out>/blob-report/`);
    return 2;
  }
  const missing = missingShards(blobs);
  if (missing.length) {
    // A shard whose Playwright was killed after Ctrl-C (a second signal, or the stop cap) leaves a summary but no blob report.
    const cut = shardSummaries.filter((s) => s.interrupted);
    const why = cut.length ? `; a shard was interrupted: ${describeInterrupted(cut, cwd)}, and Playwright was stopped before it wrote the blob report\n    hint: run that shard again to the end, then merge again (Playwright was killed by a second signal, or after CONFCALL_STOP_GRACE_MS, 8 s by default: one signal and a longer cap let it write the blob report)` : '';
    console.error(`confcall: shard(s) ${missing.join(', ')} missing from ${positionals.join(', ')}; merged totals would be short, so nothing was merged${why}`);
    return 2;
  }

  mkdirSync(outDir, { recursive: true });
  for (const stale of ['results.json', 'junit.xml', UNREACHABLE_FILE, SUMMARY_FILE, REQUIREMENTS_JUNIT_FILE]) rmSync(join(outDir, stale), { force: true });
  // Playwright merges the blobs of one folder: gather them, named apart (every shard's is report-<i>.zip).
  const gathered = mkdtempSync(join(outDir, '.blob-merge-'));
  blobs.forEach((blob, i) => copyFileSync(blob.file, join(gathered, `${String(i + 1).padStart(3, '0')}-${basename(blob.file)}`)));
  const reporters = withJson(values.reporter ?? 'list,junit,json,html');
  const code = await runMerge(gathered, outDir, reporters);
  rmSync(gathered, { recursive: true, force: true });

  // In an interrupted shard a test still running may find the bot gone (a terminal's Ctrl-C reaches it at once):
  // that is the interruption's doing, not an unreachable bot, and the interruption decides the exit code below.
  const interruptedDirs = shardSummaries.filter((s) => s.interrupted).map((s) => dirname(s.file));
  const unreachable = dirs
    .flatMap((d) => listFiles(d, UNREACHABLE_FILE).map((f) => join(d, f)))
    .filter((marker) => !interruptedDirs.includes(dirname(marker)));
  const merged = exitCodeOfMerge(code, outDir, blobs.length, cwd);
  if (unreachable.length) console.error(`confcall: the bot could not be reached in a shard: ${JSON.parse(readFileSync(unreachable[0]!, 'utf8')).message}`);
  const exit = unreachable.length ? 3 : merged;
  // The merged summary files are written whatever the exit code, as long as there is a merged results.json.
  const lost = unreachable.length ? (JSON.parse(readFileSync(unreachable[0]!, 'utf8')) as { message: string }).message : undefined;
  const judged = writeMergedSummary({ dirs, shardSummaries, outDir, cwd, baseline, exit, unreachable: lost });
  if (exit !== 0 && exit !== 1) return exit;
  return unfinishedShards(outDir, shardSummaries, cwd) ? 2 : judged;
}

/** A shard's summary.json; one that is not JSON is a bad input, like a missing shard. */
function readShardSummary(file: string, cwd: string): ShardSummary {
  try {
    const summary = JSON.parse(readFileSync(file, 'utf8')) as Omit<ShardSummary, 'file'> | null;
    return { file, target: summary?.target, seed: summary?.seed, interrupted: summary?.interrupted };
  } catch (error) {
    throw new UsageError(`${relative(cwd, file) || file}: not JSON (${(error as Error).message}); a shard's ${SUMMARY_FILE} is written by \`confcall run --shard i/n\`: run that shard again, or remove the file`);
  }
}

/**
 * An interrupted shard (Ctrl-C, SIGTERM, a CI job's timeout) leaves a blob report whose unfinished
 * tests Playwright counts as skipped: merged, they would pass for a whole run. Says so and returns
 * true when a shard says it was interrupted or a merged test did not finish.
 */
function unfinishedShards(outDir: string, shards: ShardSummary[], cwd: string): boolean {
  const interrupted = shards.filter((s) => s.interrupted);
  const outcomes = cutOffByInterruption(outcomesOf(JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8'))), interrupted[0]?.interrupted);
  const unfinished = outcomes.filter((o) => o.status === 'unfinished').length;
  if (!unfinished && !interrupted.length) return false;
  const which = interrupted.length ? describeInterrupted(interrupted, cwd) : 'one of them';
  console.error(`confcall: a shard was interrupted: ${which}; ${unfinished} test(s) of the merged run did not finish, so the merged reports are partial and the merge does not pass\n    hint: run that shard again to the end, then merge again`);
  return true;
}

/** Which shards were interrupted, by what and when: `out/shard1 (SIGINT at 2026-...Z)`. */
function describeInterrupted(shards: ShardSummary[], cwd: string): string {
  return shards.map((s) => `${relative(cwd, dirname(s.file)) || '.'} (${s.interrupted!.signal} at ${s.interrupted!.at})`).join(', ');
}

/**
 * summary.json and the requirements JUnit of the merged run, as an unsharded run writes them (target
 * and seed come from the shards' own summaries); returns the exit code, which a baseline may change.
 */
function writeMergedSummary({ dirs, shardSummaries, outDir, cwd, baseline, exit, unreachable }: { dirs: string[]; shardSummaries: ShardSummary[]; outDir: string; cwd: string; baseline?: Baseline; exit: number; unreachable?: string }): number {
  if (!shardSummaries.length) {
    console.log(`confcall: no shard ${SUMMARY_FILE} among ${dirs.map((d) => relative(cwd, d) || '.').join(', ')}, so no merged ${SUMMARY_FILE}: hand merge-reports the shards' whole out folders for one`);
    return exit;
  }
  const seeds = [...new Set(shardSummaries.map((m) => m.seed))];
  if (seeds.length > 1) console.log(`confcall: the shards ran with different seeds (${seeds.join(', ')}); give every shard the same --seed so explored schedules are one run's`);
  // A bot repository's merge judges against the catalogue its run had: the shipped one, and its own requirements.
  const layout = projectLayout(cwd);
  const own = ownRequirementsFile(layout);
  const requirements = loadCatalogue(resolve(cwd, requirementsFile(layout)), own === undefined ? undefined : resolve(cwd, own)).requirements;
  // An interrupted shard makes the merged run an interrupted one: its summary says which shard, by which signal, when.
  const cut = shardSummaries.filter((s) => s.interrupted);
  const interrupted = cut.length ? { ...cut[0]!.interrupted!, message: cut.map((s) => `shard ${relative(cwd, dirname(s.file)) || '.'}: ${s.interrupted!.message}`).join('; ') } : undefined;
  return writeRunSummary({ outDir, requirements, target: shardSummaries[0]!.target ?? 'unknown', seed: shardSummaries[0]!.seed ?? 0, baseline, exit, interrupted, unreachable });
}

/** Every blob report below `dir` (Playwright names them `report*.zip`; an HTML report's own zips are hashes), with the shard its folder names. */
function blobReportsIn(dir: string): BlobReport[] {
  return listFiles(dir, '.zip').filter((f) => /^report[^/]*\.zip$/.test(basename(f))).map((f) => {
    const folder = /shard-(\d+)-of-(\d+)$/.exec(dirname(join(dir, f)));
    return { file: join(dir, f), shard: folder ? { current: Number(folder[1]), total: Number(folder[2]) } : undefined };
  });
}

/** Shards of an `i/n` run that are not among the blobs (`2/3`), when the folders say which shards they hold. */
function missingShards(blobs: BlobReport[]): string[] {
  const totals = new Set(blobs.flatMap((b) => (b.shard ? [b.shard.total] : [])));
  return [...totals].flatMap((total) =>
    Array.from({ length: total }, (_, i) => i + 1)
      .filter((current) => !blobs.some((b) => b.shard?.total === total && b.shard.current === current))
      .map((current) => `${current}/${total}`),
  );
}

/** The exit code comes from the merged JSON report, so it is always written. */
function withJson(reporters: string): string {
  const list = reporters.split(',').map((r) => r.trim()).filter(Boolean);
  return (list.includes('json') ? list : [...list, 'json']).join(',');
}

/** Runs `playwright merge-reports` with the conformance project's reporters, writing into `outDir`. */
async function runMerge(blobDir: string, outDir: string, reporters: string): Promise<number> {
  const env = { ...process.env, CONFCALL_MODE: 'conformance', CONFCALL_OUT_DIR: outDir, CONFCALL_REPORTERS: reporters, CONFCALL_SHARD: '' };
  const { code, interruptedBy } = await runPlaywright(['merge-reports', '--config', playwrightConfigFile(), blobDir], { cwd: packageRoot(), env });
  return interruptedBy ? exitCodeForSignal(interruptedBy) : code;
}

/** 0 all passed, 1 a scenario failed, 2 nothing could be merged: as for an unsharded run. */
function exitCodeOfMerge(playwrightCode: number, outDir: string, blobCount: number, cwd: string): number {
  const results = join(outDir, 'results.json');
  if (!existsSync(results)) {
    console.error(`confcall: merging ${blobCount} blob report(s) wrote no results.json (playwright merge-reports exit code ${playwrightCode}); are they blob reports of the same confcall version?`);
    return 2;
  }
  const stats = JSON.parse(readFileSync(results, 'utf8')).stats as { expected: number; unexpected: number; skipped: number; flaky: number };
  console.log(`confcall: merged ${blobCount} shard report(s): ${stats.expected} passed, ${stats.unexpected} failed, ${stats.skipped} skipped; reports in ${relative(cwd, outDir) || '.'}/`);
  if (stats.unexpected > 0) return 1;
  if (stats.expected === 0 && stats.skipped === 0) return 2;
  return 0;
}
