/**
 * End to end: a second bot, written from the documents and not from the reference bot
 * (bots/independent/), passes every shipped scenario. Where the documents leave a choice to the
 * bot (its notification path, 403 for a forged token, 400 refusals, its own clientContext, video in
 * acceptedModalities, a minimal transfer body) it chooses differently, so this test fails whenever
 * confcall judges the reference bot's choices instead of the documents.
 */
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { confcall, portsFor, tempDir } from './support/cli.js';
import { readSummary } from './support/summary-file.js';

test('the independent bot passes every shipped scenario', async ({}, testInfo) => {
  const out = tempDir('confcall-independent-');
  const { code, stdout } = await confcall(['run', '--target', 'targets/independent-bot.yaml', '--out', out], {
    env: portsFor(testInfo.parallelIndex),
  });
  const summary = readSummary(join(out, 'summary.json'));
  const failed = summary.tests.filter((t) => t.status === 'failed').map((t) => t.id);
  expect(failed, stdout).toEqual([]);
  expect(code, stdout).toBe(0);
});
