import { existsSync, readFileSync } from 'node:fs';
import { UsageError } from './usage.js';

/** One part of a sharded run: `current` of `total`, both counted from 1 (Playwright's `--shard 2/4`). */
export interface Shard {
  current: number;
  total: number;
}

/** Parses `--shard i/n`; anything else is a usage error that says what a shard looks like. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const current = Number(match?.[1]);
  const total = Number(match?.[2]);
  if (!match || total < 1 || current < 1 || current > total) {
    throw new UsageError(`--shard must be i/n with 1 ≤ i ≤ n (e.g. --shard 1/2), got "${text}"`);
  }
  return { current, total };
}

/** Where a shard's blob report goes inside the out dir: one folder per shard, since Playwright's blob reporter empties its folder first. */
export function blobFolderOf(shard: Shard): string {
  return `blob-report/shard-${shard.current}-of-${shard.total}`;
}

/** The environment that tells playwright.config.ts to write a blob report for this shard. */
export function shardEnvironment(shard: Shard | undefined): Record<string, string> {
  return { CONFCALL_SHARD: shard ? `${shard.current}/${shard.total}` : '' };
}

/** A shard Playwright gave no test (more shards than tests): nothing failed, so the shard passes. */
export function isEmptyShard(playwrightCode: number, resultsFile: string): boolean {
  if (playwrightCode !== 0 || !existsSync(resultsFile)) return false;
  const stats = (JSON.parse(readFileSync(resultsFile, 'utf8')) as { stats?: Record<string, number> }).stats ?? {};
  return ['expected', 'unexpected', 'skipped', 'flaky'].every((k) => !stats[k]);
}
