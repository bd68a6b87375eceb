// Prints "N passed, N failed[, N skipped]" summed over Playwright JSON reports (one per run: the full
// self-test suite, each Node version's subset), after a line per report. A missing or unreadable report
// counts as one failed test. Exits 1 if any test failed or none passed or failed.
import { readFileSync } from 'node:fs';

const files = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of files) {
  const counts = countsOf(file);
  passed += counts.passed;
  failed += counts.failed;
  skipped += counts.skipped;
  // Not in the final line's form: CI reads only the last line.
  console.log(`  ${file}: ${counts.passed} ok · ${counts.failed} not ok · ${counts.skipped} skipped${counts.note ? ` (${counts.note})` : ''}`);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (failed > 0 || passed + failed === 0) process.exit(1);

/** One report's counts; `skippedBecause` is what .ci/run-node-versions writes for a Node it could not install. */
function countsOf(file) {
  try {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    const { expected, flaky, unexpected, skipped } = report.stats;
    return { passed: expected + flaky, failed: unexpected, skipped, note: report.skippedBecause };
  } catch (error) {
    return { passed: 0, failed: 1, skipped: 0, note: `no test report: ${error.message}` };
  }
}
