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

/** A fixture bot in another language: its profile, how to tell its toolchain is missing, and its defect switch. */
interface LanguageBot {
  language: string;
  target: string;
  /** Why the bot cannot run here (its toolchain is not installed), or undefined. */
  missing(): string | undefined;
  /** The variable that switches its defect on; one bot's no-auth copy is enough to show the check works through the proxy. */
  defectVariable?: string;
}

function missingUnless(command: string, args: string[], install: string): string | undefined {
  const probe = spawnSync(command, args, { encoding: 'utf8' });
  return probe.status === 0 ? undefined : `${command} ${args.join(' ')} failed (${install}): ${(probe.stderr || probe.error?.message || '').trim().split('\n')[0]}`;
}

const LANGUAGE_BOTS: LanguageBot[] = [
  {
    language: 'Python (requests, PyJWT)',
    target: 'tests/fixtures/python-bot/target.yaml',
    missing: () => missingUnless('/usr/bin/python3', ['-c', 'import requests, jwt, cryptography'], 'apt-get install python3-requests python3-jwt'),
    defectVariable: 'PYTHON_BOT_DEFECT',
  },
  {
    language: 'Java (the JDK HttpClient)',
    target: 'tests/fixtures/java-bot/target.yaml',
    missing: () => missingUnless('java', ['-version'], 'apt-get install openjdk-17-jdk-headless') ?? missingUnless('keytool', ['-help'], 'the JDK brings keytool'),
  },
  {
    language: 'Go (net/http)',
    target: 'tests/fixtures/go-bot/target.yaml',
    missing: () => missingUnless('go', ['version'], 'apt-get install golang-go'),
  },
];

for (const bot of LANGUAGE_BOTS) {
  test.describe(`the ${bot.language} bot behind the proxy`, () => {
    test.beforeEach(() => {
      const missing = bot.missing();
      if (missing) console.log(`skipping the ${bot.language} bot: ${missing}`);
      test.skip(!!missing, missing);
    });

    test('passes the incoming-call and inbound-auth suites with its production URLs, over TLS', async ({}, testInfo) => {
      const { code, summary, tail } = await run(['--target', bot.target, '--suite', 'suites/incoming-call.yaml', '--suite', 'suites/inbound-auth.yaml'], testInfo.parallelIndex);
      expect(code, tail).toBe(0);
      expect(summary.tests.filter((t) => t.status !== 'passed').map((t) => `${t.id}: ${t.status}`), tail).toEqual([]);
      expect(summary.tests.length).toBe(30);
    });

    const defect = bot.defectVariable;
    if (defect) {
      test('a copy that accepts any notification token fails NOTIFY-AUTH-FORGED', async ({}, testInfo) => {
        const { code, summary, tail } = await run(['--target', bot.target, '--suite', 'suites/inbound-auth.yaml', '--grep', 'forged-bad-signature @'], testInfo.parallelIndex, { [defect]: 'accepts-any-token' });
        expect(code, tail).toBe(1);
        const failed = summary.tests.filter((t) => t.status === 'failed');
        expect(failed.map((t) => t.id)).toEqual(['inbound-auth/forged-bad-signature']);
        expect(failed[0]!.findings.some((f) => f.severity === 'failure' && f.requirements.includes('NOTIFY-AUTH-FORGED'))).toBe(true);
      });
    }
  });
}

test('a bot that reports calls to a host of its own fails the run, which names the host; the proxy refused it', async ({}, testInfo) => {
  const missing = LANGUAGE_BOTS[0]!.missing();
  test.skip(!!missing, missing);
  const { code, summary, tail, stderr, out } = await run(['--target', 'tests/fixtures/python-bot/target.yaml', '--suite', 'suites/incoming-call.yaml', '--grep', 'answer @'], testInfo.parallelIndex, { PYTHON_BOT_DEFECT: 'phones-home' });
  expect(code, tail).toBe(1);
  expect(summary.tests.find((t) => t.id === 'incoming-call/answer')?.status, tail).toBe('failed');
  expect(stderr).toContain('confcall: the proxy refused telemetry.contoso-bots.example:443');
  const results = readFileSync(join(out, 'results.json'), 'utf8');
  expect(results).toContain("PROXY-REFUSED: the bot asked confcall's proxy for a host outside the test");
  expect(results).toContain('telemetry.contoso-bots.example:443');
  // The proxy answered the bot's CONNECT itself, with a refusal: it opened no connection anywhere.
  const refusal = JSON.parse(readFileSync(join(out, 'proxy-refusals.jsonl'), 'utf8').split('\n')[0]!);
  expect(refusal).toMatchObject({ host: 'telemetry.contoso-bots.example', port: 443, method: 'CONNECT' });
});
