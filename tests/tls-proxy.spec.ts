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
import { parseTarget } from '../harness/load/load-target.js';
import { standardEnvironment } from '../harness/run/target-process.js';
import { trustEnvironment } from '../harness/run/run-trust.js';
import { confcall, portsFor, ROOT, tempDir } from './support/cli.js';
import { readSummary } from './support/summary-file.js';

test.describe.configure({ mode: 'parallel' });

async function run(args: string[], parallelIndex: number, env: Record<string, string> = {}) {
  const out = tempDir('confcall-tls-');
  const result = await confcall(['run', ...args, '--out', out, '--reporter', 'list'], { env: { ...portsFor(parallelIndex), ...env }, timeoutMs: 300_000 });
  return { ...result, out, summary: readSummary(join(out, 'summary.json')), tail: result.stdout.slice(-3000) + result.stderr.slice(-3000) };
}

const PROFILE = 'name: t\ncallbackUri: http://127.0.0.1:3978/api/calls\nauth: { appId: 11111111-2222-3333-4444-555555555555, tenantId: aa67bd4c-8475-432d-bd41-39f255720e0a }\n';

test('graph.tls needs a started bot and a loopback listen: the profile is refused at the line, saying why', () => {
  const noStart = parseTarget('t.yaml', `${PROFILE}graph: { listen: "127.0.0.1:4455", tls: true }\n`).problems;
  expect(noStart.map((p) => `${p.line}:${p.path}: ${p.message}`)).toEqual([expect.stringMatching(/^4:graph\.tls: graph\.tls needs start: the run makes a new CA each time/)]);
  const wide = parseTarget('t.yaml', `${PROFILE}graph: { listen: "0.0.0.0:4455", tls: true }\nstart: { command: bot, ready: "tcp://127.0.0.1:3978" }\n`).problems;
  expect(wide.map((p) => p.message)).toEqual([expect.stringContaining('graph.tls serves https on loopback only; the run\'s CA certifies localhost, 127.0.0.1, ::1 as the fake Graph\'s name, not "0.0.0.0"')]);
  expect(parseTarget('t.yaml', `${PROFILE}graph: { listen: "127.0.0.1:4455", tls: true }\nstart: { command: bot, ready: "tcp://127.0.0.1:3978", intercept: proxy }\n`).problems).toEqual([]);
});

test('a proxied bot gets the production URLs, no Node preload, the proxy in both cases, and every runtime its trust setting', () => {
  const { value: target } = parseTarget('t.yaml', `${PROFILE}graph: { listen: "127.0.0.1:4455" }\nstart: { command: bot, ready: "tcp://127.0.0.1:3978", intercept: proxy }\n`);
  const env = { ...standardEnvironment(target!, 'http://127.0.0.1:4455', ''), ...trustEnvironment('/run/tls/ca.pem', '/run/tls/truststore.p12', { url: 'http://127.0.0.1:5000', host: '127.0.0.1', port: 5000 }) };
  expect(env).toMatchObject({
    GRAPH_BASE_URL: 'https://graph.microsoft.com', AUTHORITY_HOST: 'https://login.microsoftonline.com', NOTIFICATION_OPENID_CONFIG: 'https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration',
    HTTPS_PROXY: 'http://127.0.0.1:5000', https_proxy: 'http://127.0.0.1:5000', HTTP_PROXY: 'http://127.0.0.1:5000', http_proxy: 'http://127.0.0.1:5000',
    NO_PROXY: 'localhost,127.0.0.1,::1', no_proxy: 'localhost,127.0.0.1,::1',
    SSL_CERT_FILE: '/run/tls/ca.pem', REQUESTS_CA_BUNDLE: '/run/tls/ca.pem', CURL_CA_BUNDLE: '/run/tls/ca.pem', NODE_EXTRA_CA_CERTS: '/run/tls/ca.pem',
  });
  expect(env.NODE_OPTIONS).toBeUndefined();
  expect(env.JAVA_TOOL_OPTIONS!.split(' ')).toEqual([
    '-Dhttps.proxyHost=127.0.0.1', '-Dhttps.proxyPort=5000', '-Dhttp.proxyHost=127.0.0.1', '-Dhttp.proxyPort=5000', '-Dhttp.nonProxyHosts=localhost|127.*|[::1]',
    '-Djavax.net.ssl.trustStore=/run/tls/truststore.p12', '-Djavax.net.ssl.trustStoreType=PKCS12', '-Djavax.net.ssl.trustStorePassword=confcall',
  ]);
});

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
    missing: () => missingUnless('java', ['-version'], 'apt-get install openjdk-17-jdk-headless'),
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
  const answer = summary.tests.find((t) => t.id === 'incoming-call/answer');
  expect(answer?.status, tail).toBe('failed');
  expect(answer?.brokenRules).toContain('PROXY-REFUSED');
  expect(answer?.findings.find((f) => f.rule === 'PROXY-REFUSED')).toMatchObject({ severity: 'failure', actual: "asked confcall's proxy for telemetry.contoso-bots.example:443" });
  expect(stderr).toContain('confcall: the proxy refused telemetry.contoso-bots.example:443');
  const results = readFileSync(join(out, 'results.json'), 'utf8');
  expect(results).toContain("PROXY-REFUSED: the bot asked confcall's proxy for a host outside the test");
  expect(results).toContain('telemetry.contoso-bots.example:443');
  // The proxy answered the bot's CONNECT itself, with a refusal: it opened no connection anywhere.
  const refusal = JSON.parse(readFileSync(join(out, 'proxy-refusals.jsonl'), 'utf8').split('\n')[0]!);
  expect(refusal).toMatchObject({ host: 'telemetry.contoso-bots.example', port: 443, method: 'CONNECT' });
});
