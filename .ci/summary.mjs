// Prints "N passed, N failed[, N skipped]" from a Playwright JSON report; exits 1 if it is missing.
import { readFileSync } from 'node:fs';

const file = process.argv[2];
let stats;
try {
  stats = JSON.parse(readFileSync(file, 'utf8')).stats;
} catch (error) {
  console.log(`no test report at ${file}: ${error.message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const passed = stats.expected + stats.flaky;
const failed = stats.unexpected;
const skipped = stats.skipped;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (passed + failed === 0) process.exit(1);
