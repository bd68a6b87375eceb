/**
 * The Node under test (.ci/run-node-versions runs a subset of the self-tests on Node 22 and 24, `npm test`
 * all of them on 20) is the Node of every process of a run: the test runner, the confcall CLI, Playwright's
 * conformance run and its worker, and the bot the harness starts with `node` from the PATH. Without
 * CONFCALL_EXPECT_NODE_MAJOR, that is the Node of this test's own process.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { confcall, portsFor, ROOT, tempDir } from './support/cli.js';

const TEST_LIST = '.ci/node-versions.tests';
const PROBE = join(ROOT, 'tests/fixtures/node-version/probe.cjs');
const major = (version: string): number => Number(version.replace(/^v/, '').split('.')[0]);
const EXPECTED_MAJOR = process.env.CONFCALL_EXPECT_NODE_MAJOR ? Number(process.env.CONFCALL_EXPECT_NODE_MAJOR) : major(process.version);

/** What the probe logged: each process of a run (its Node version, its script with arguments), and each warning Node emitted. */
interface ProbeLine {
  node: string;
  command: string;
  warning?: string;
}

function probeLog(log: string): ProbeLine[] {
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ProbeLine);
}

test('the test runner, the confcall CLI, the conformance run and the bot it starts all run on the Node under test, which warns about none of them', async ({}, testInfo) => {
  expect(major(process.version), 'the test worker').toBe(EXPECTED_MAJOR);
  const out = tempDir('confcall-node-version-');
  const log = join(out, 'node-processes.log');
  const { code, stdout, stderr } = await confcall(
    ['run', '--target', 'targets/reference-bot.yaml', '--suite', 'suites/incoming-call.yaml', '--out', out, '--reporter', 'list,json'],
    {
      env: {
        ...portsFor(testInfo.parallelIndex),
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require "${PROBE}"`.trim(),
        CONFCALL_NODE_PROBE_LOG: log,
      },
      timeoutMs: 120_000,
    },
  );
  expect(code, `${stdout}\n${stderr}`).toBe(0);
  const lines = probeLog(log);
  const processes = lines.filter((line) => line.warning === undefined);
  const listing = processes.map((p) => `${p.node} ${p.command || '(no script: a worker thread)'}`).join('\n');
  const roles: [string, RegExp][] = [
    ['the confcall CLI', /bin\/confcall\.js run /],
    ["Playwright's conformance run", /@playwright\/test\/cli\.js test .*--project conformance/],
    ['a Playwright worker', /playwright\/lib\/worker\//],
    ['the reference bot', /dist\/bots\/reference\/main\.js/],
  ];
  for (const [role, command] of roles) expect(processes.some((p) => command.test(p.command)), `${role} among:\n${listing}`).toBe(true);
  for (const p of processes) expect(major(p.node), `Node ${p.node} ran ${p.command}`).toBe(EXPECTED_MAJOR);
  // A newer Node deprecates APIs and warns about misuse it once let pass (a negative timeout since Node 23).
  expect(lines.filter((line) => line.warning).map((line) => `${line.warning} (in ${line.command || 'a worker thread'})`)).toEqual([]);
});

/** Every test of `files`, as its file and title path (describe titles, then its own), from Playwright's JSON listing. */
function listTests(files: string[]): Promise<{ file: string; titles: string[] }[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules/@playwright/test/cli.js'), 'test', '--list', '--project', 'selftest', '--reporter', 'json', ...files], {
      cwd: ROOT,
      env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: '', CI: '', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`playwright test --list exited ${code}\n${stderr}`));
      const found: { file: string; titles: string[] }[] = [];
      const visit = (suite: any, file: string, titles: string[]): void => {
        for (const spec of suite.specs ?? []) found.push({ file, titles: [...titles, spec.title] });
        for (const child of suite.suites ?? []) visit(child, file, [...titles, child.title]);
      };
      for (const suite of JSON.parse(stdout).suites ?? []) visit(suite, suite.file, []);
      resolve(found);
    });
  });
}

test(`every line of ${TEST_LIST} names a self-test that exists (a renamed test would silently leave the subset)`, async () => {
  const lines = readFileSync(join(ROOT, TEST_LIST), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  // Playwright's --test-list format: a file, then the titles of the describe blocks and the test, each after "›".
  const wanted = lines.map((line) => {
    const [file, ...titles] = line.split('›').map((part) => part.trim());
    return { line, file: file!, titles };
  });
  const tests = await listTests([...new Set(wanted.map((w) => w.file))]);
  const unmatched = wanted.filter((w) => !tests.some((t) => t.file === w.file && w.titles.every((title, i) => t.titles[i] === title)));
  expect(unmatched.map((w) => w.line)).toEqual([]);
});
