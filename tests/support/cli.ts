import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { suiteIdPrefix } from '../../harness/report/certification.js';
import { ROOT, RUN_TEMP_ENV, TEST_TEMP_ROOT } from './temp-root.js';

export { ROOT };

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `confcall ARGS` as a user would (the compiled CLI), in `cwd`. */
export function confcall(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number; onOutput?: (stdout: string, pid: number) => void } = {},
): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/confcall.js'), ...args], {
      cwd: options.cwd ?? ROOT,
      env: withoutColor({ ...process.env, NO_COLOR: '1', CI: '', ...options.env }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    running.add(child.pid!);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
      options.onOutput?.(stdout, child.pid!);
    });
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => {
      killGroup(child.pid!);
      fail(new Error(`confcall ${args.join(' ')} did not finish in ${options.timeoutMs ?? 300_000} ms\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 300_000);
    child.on('exit', (code) => {
      running.delete(child.pid!);
      clearTimeout(timer);
      done({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Process groups of confcall runs still going: a test that times out must not leave its bot holding ports. */
const running = new Set<number>();
function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
process.on('exit', () => running.forEach(killGroup));
process.on('SIGTERM', () => {
  running.forEach(killGroup);
  process.exit(143);
});

/** A fresh temporary folder, in this test run's folder (see TEST_TEMP_ROOT). */
export function tempDir(prefix = 'confcall-test-'): string {
  const parent = process.env[RUN_TEMP_ENV] ?? join(TEST_TEMP_ROOT, 'no-global-setup');
  mkdirSync(parent, { recursive: true });
  return mkdtempSync(join(parent, prefix));
}

export { portsFor } from './test-ports.js';

/** Playwright's JSON report of a conformance run: scenario → status and error text. */
export function readResults(outDir: string): Map<string, { status: string; message: string }> {
  const file = join(outDir, 'results.json');
  const outcomes = new Map<string, { status: string; message: string }>();
  if (!existsSync(file)) return outcomes;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const visit = (suite: any, prefix: string): void => {
    const name = suiteIdPrefix(suite.title, prefix);
    for (const spec of suite.specs ?? []) {
      const result = spec.tests?.[0]?.results?.at(-1);
      const status = spec.tests?.[0]?.status === 'skipped' ? 'skipped' : spec.ok ? 'passed' : 'failed';
      outcomes.set(`${name}${spec.title}`, { status, message: (result?.errors ?? []).map((e: any) => e.message ?? '').join('\n') });
    }
    for (const child of suite.suites ?? []) visit(child, name);
  };
  for (const suite of report.suites ?? []) visit(suite, '');
  return outcomes;
}

/** Playwright sets FORCE_COLOR for its workers; a user's terminal would not. */
function withoutColor(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _force, ...rest } = env;
  return rest;
}
