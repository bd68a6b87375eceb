import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/**
 * Where this checkout's tests keep their temporary folders (one per checkout, so two checkouts
 * testing side by side keep theirs): emptied when a test run starts, kept after it so a failure's
 * reports can be read. Before, every run left some 150 folders in the system's temp folder.
 */
export const TEST_TEMP_ROOT = join(tmpdir(), `confcall-selftest-${createHash('sha256').update(ROOT).digest('hex').slice(0, 8)}`);
