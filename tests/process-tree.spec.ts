/**
 * harness/run/process-tree.ts: a bot started through `npm start` or a shell script is stopped with
 * everything it started, so its port is free for the next run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { processTree, stopProcessTree } from '../harness/run/process-tree.js';
import { portsFor } from './support/cli.js';

const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

async function until(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (await check()) return true;
  return check();
}

test('a bot run by a shell script (the real bot a grandchild) is stopped whole: its port is free afterwards', async ({}, testInfo) => {
  const port = Number(portsFor(testInfo.parallelIndex, 9).CONFCALL_BOT_PORT);
  const dir = mkdtempSync(join(tmpdir(), 'confcall-tree-'));
  // The server ignores nothing: SIGTERM ends it, as a bot's default handler would.
  writeFileSync(join(dir, 'server.cjs'), `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1');\n`);
  writeFileSync(join(dir, 'run.sh'), `node server.cjs\necho done\n`); // not exec'd: bash stays the parent, as npm does
  const child = spawn('bash', ['run.sh'], { cwd: dir, stdio: 'ignore' });
  expect(await until(() => accepts(port), 10_000)).toBe(true);
  const tree = await processTree(child.pid!);
  expect(tree[0]).toBe(child.pid);
  expect(tree.length).toBeGreaterThanOrEqual(2); // bash and node
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await stopProcessTree(child.pid!);
  await exited;
  // Before, stopping bash alone left node listening: the next run found the port taken.
  expect(await until(async () => !(await accepts(port)), 2_000)).toBe(true);
});

test('a process that ignores SIGTERM is killed after the grace', async () => {
  const child = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)"], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((r) => child.stdout!.once('data', r)); // its handler is in place
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  await stopProcessTree(child.pid!, 200);
  expect(await exited).toBe('SIGKILL');
});
