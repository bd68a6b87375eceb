/**
 * Bots with their production configuration in any language (issue 15): the reference bot against
 * a fake Graph that serves https (graph.tls), and bots in other languages run unmodified behind
 * confcall's intercepting proxy (start.intercept: proxy), with production URLs and TLS from the
 * run's CA. A host outside Microsoft's fails the run, named, and nothing reaches it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { confcall, portsFor, ROOT, tempDir } from './support/cli.js';
import { readSummary } from './support/summary-file.js';

test.describe.configure({ mode: 'parallel' });

async function run(args: string[], parallelIndex: number, env: Record<string, string> = {}) {
  const out = tempDir('confcall-tls-');
  const result = await confcall(['run', ...args, '--out', out, '--reporter', 'list'], { env: { ...portsFor(parallelIndex), ...env }, timeoutMs: 300_000 });
  return { ...result, out, summary: readSummary(join(out, 'summary.json')), tail: result.stdout.slice(-3000) + result.stderr.slice(-3000) };
}

/** Files changed since `marker` under `roots` (outside `except`) that hold `needle`. */
function filesHolding(needle: string, marker: string, roots: string[], except: string): string[] {
  const found = spawnSync('find', [...roots, '-xdev', '-maxdepth', '8', '(', '-name', 'node_modules', '-o', '-name', '.git', '-o', '-path', except, ')', '-prune', '-o', '-type', 'f', '-newer', marker, '-size', '-2M', '-print'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return found.stdout.split('\n').filter(Boolean).filter((file) => {
    try {
      return readFileSync(file, 'latin1').includes(needle);
    } catch {
      return false; // gone, or unreadable: it holds nothing we could read
    }
  });
}

test('the reference bot passes every shipped scenario against a fake Graph that serves https, and the CA key stays in the run folder', async ({}, testInfo) => {
  const marker = join(tempDir('confcall-tls-marker-'), 'marker');
  writeFileSync(marker, '');
  const { code, out, summary, tail } = await run(['--target', 'targets/reference-bot-tls.yaml'], testInfo.parallelIndex);
  expect(code, tail).toBe(0);
  expect(summary.totals.failed, tail).toBe(0);
  expect(summary.totals.passed).toBeGreaterThanOrEqual(100);
  const key = readFileSync(join(out, 'tls', 'ca-key.pem'), 'utf8');
  // The key's body (a line of base64), anywhere a run could have written it: this checkout, the
  // temp folder, the home folder, the system's trust stores.
  const body = key.split('\n')[1]!;
  const roots = [ROOT, tmpdir(), homedir(), '/etc/ssl', '/usr/local/share/ca-certificates'].filter((r, i, all) => all.indexOf(r) === i);
  expect(filesHolding(body, marker, roots, out)).toEqual([]);
});

/** Why a language's fixture bot cannot run here, or undefined when its toolchain is installed. */
function pythonMissing(): string | undefined {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import requests, jwt, cryptography'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : `/usr/bin/python3 lacks requests, jwt or cryptography (apt-get install python3-requests python3-jwt): ${probe.stderr || probe.error?.message}`;
}

test.describe('the Python bot (requests, PyJWT) behind the proxy', () => {
  const PYTHON = ['--target', 'tests/fixtures/python-bot/target.yaml'];
  test.beforeEach(() => {
    const missing = pythonMissing();
    if (missing) console.log(`skipping the Python bot: ${missing}`);
    test.skip(!!missing, missing);
  });

  test('passes the incoming-call and inbound-auth suites with its production URLs, over TLS', async ({}, testInfo) => {
    const { code, summary, tail } = await run([...PYTHON, '--suite', 'suites/incoming-call.yaml', '--suite', 'suites/inbound-auth.yaml'], testInfo.parallelIndex);
    expect(code, tail).toBe(0);
    expect(summary.tests.filter((t) => t.status !== 'passed').map((t) => `${t.id}: ${t.status}`), tail).toEqual([]);
    expect(summary.tests.length).toBe(30);
  });

  test('a copy that accepts any notification token fails NOTIFY-AUTH-FORGED', async ({}, testInfo) => {
    const { code, summary, tail } = await run([...PYTHON, '--suite', 'suites/inbound-auth.yaml', '--grep', 'forged-bad-signature|forged-none'], testInfo.parallelIndex, { PYTHON_BOT_DEFECT: 'accepts-any-token' });
    expect(code, tail).toBe(1);
    const failed = summary.tests.filter((t) => t.status === 'failed');
    expect(failed.map((t) => t.id)).toContain('inbound-auth/forged-bad-signature');
    for (const t of failed) expect(t.findings.some((f) => f.severity === 'failure' && f.requirements.includes('NOTIFY-AUTH-FORGED')), t.id).toBe(true);
  });

  test('a copy that reports calls to a host of its own fails the run, which names the host; the proxy refused it', async ({}, testInfo) => {
    const { code, summary, tail, stderr, out } = await run([...PYTHON, '--suite', 'suites/incoming-call.yaml', '--grep', 'answer @'], testInfo.parallelIndex, { PYTHON_BOT_DEFECT: 'phones-home' });
    expect(code, tail).toBe(1);
    const answer = summary.tests.find((t) => t.id === 'incoming-call/answer');
    expect(answer?.status, tail).toBe('failed');
    expect(stderr).toContain("confcall: the proxy refused telemetry.contoso-bots.example:443");
    const results = readFileSync(join(out, 'results.json'), 'utf8');
    expect(results).toContain("PROXY-REFUSED: the bot asked confcall's proxy for a host outside the test");
    expect(results).toContain('telemetry.contoso-bots.example:443');
    // The bot got the proxy's refusal, not an answer from anywhere else.
    const refusal = JSON.parse(readFileSync(join(out, 'proxy-refusals.jsonl'), 'utf8').split('\n')[0]!);
    expect(refusal).toMatchObject({ host: 'telemetry.contoso-bots.example', port: 443, method: 'CONNECT' });
  });
});
