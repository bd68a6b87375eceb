import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_TEMP_ENV, TEST_TEMP_ROOT } from './temp-root.js';
import { testPortBase } from './test-ports.js';

/**
 * Refuses a port base in the ephemeral range before any test starts (one error, not one per test); gives this
 * run a temporary folder (workers inherit the variable) and removes those of finished runs.
 */
export default function globalSetup(): void {
  testPortBase();
  mkdirSync(TEST_TEMP_ROOT, { recursive: true });
  for (const name of readdirSync(TEST_TEMP_ROOT)) {
    const pid = Number(/^run-(\d+)$/.exec(name)?.[1]);
    if (!pid || isRunning(pid)) continue;
    rmSync(join(TEST_TEMP_ROOT, name), { recursive: true, force: true });
  }
  const mine = join(TEST_TEMP_ROOT, `run-${process.pid}`);
  mkdirSync(mine, { recursive: true });
  process.env[RUN_TEMP_ENV] = mine;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
