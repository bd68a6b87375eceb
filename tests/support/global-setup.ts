import { rmSync } from 'node:fs';
import { TEST_TEMP_ROOT } from './temp-root.js';

/** Empties the folder of the previous test run's temporary folders. */
export default function globalSetup(): void {
  rmSync(TEST_TEMP_ROOT, { recursive: true, force: true });
}
