import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests run from source). */
export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/**
 * Where this checkout's test runs keep their temporary folders, one subfolder per run
 * (`run-<pid of the Playwright runner>`), so runs side by side never touch each other's. A run's
 * folder stays after it, for a look at a failure's reports, until a later run finds its runner
 * gone and removes it. Before, every run left some 150 folders in the system's temp folder.
 */
export const TEST_TEMP_ROOT = join(tmpdir(), `confcall-selftest-${createHash('sha256').update(ROOT).digest('hex').slice(0, 8)}`);

/** The variable through which the global setup tells the workers their run's folder. */
export const RUN_TEMP_ENV = 'CONFCALL_TEST_RUN_TEMP';
