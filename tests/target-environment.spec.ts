/**
 * What a started bot inherits: the run's environment, except the run's private signing keys (with
 * them a bot under test could sign its own "Graph" tokens and pass the forged-token checks).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { RUN_KEYS_ENV, UNPUBLISHED_KEYS_ENV } from '../harness/graph/signing-keys.js';
import { startTarget } from '../harness/run/target-process.js';
import type { TargetProfile } from '../harness/model/target.js';
import { portsFor, tempDir } from './support/cli.js';

test('a started bot gets the run\'s environment without the run\'s signing keys', async ({}, testInfo) => {
  const port = Number(portsFor(testInfo.parallelIndex, 7).CONFCALL_BOT_PORT);
  const dir = tempDir('confcall-env-');
  const out = join(dir, 'env.json');
  // A "bot" that writes what it was given, then listens (ready once it listens). A script file keeps the
  // command simple, so the shell execs node and stopping the bot stops node.
  const bot = join(dir, 'env-writer.cjs');
  writeFileSync(bot, `require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.env));\nrequire('net').createServer().listen(${port}, '127.0.0.1');\n`);
  const target = {
    name: 'env-writer', callbackUri: `http://127.0.0.1:${port}/api/calls`, graph: { listen: '127.0.0.1:1' },
    auth: { appId: 'a', tenantId: 't' },
    start: { command: `node ${bot}`, ready: `tcp://127.0.0.1:${port}` },
  } as unknown as TargetProfile;
  const saved = { run: process.env[RUN_KEYS_ENV], unpublished: process.env[UNPUBLISHED_KEYS_ENV] };
  Object.assign(process.env, { [RUN_KEYS_ENV]: 'private run keys', [UNPUBLISHED_KEYS_ENV]: 'private unpublished keys', CONFCALL_SOMETHING_ELSE: 'kept' });
  try {
    const running = await startTarget(target, { BOT_APP_ID: 'a' }, process.cwd());
    await running.stop();
  } finally {
    for (const [name, value] of [[RUN_KEYS_ENV, saved.run], [UNPUBLISHED_KEYS_ENV, saved.unpublished]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    delete process.env.CONFCALL_SOMETHING_ELSE;
  }
  const env = JSON.parse(readFileSync(out, 'utf8')) as Record<string, string>;
  expect(env.BOT_APP_ID).toBe('a');
  expect(env.CONFCALL_SOMETHING_ELSE).toBe('kept');
  expect(env[RUN_KEYS_ENV]).toBeUndefined();
  expect(env[UNPUBLISHED_KEYS_ENV]).toBeUndefined();
});
