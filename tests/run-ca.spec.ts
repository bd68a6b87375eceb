/**
 * The run's CA (harness/graph/run-ca.ts): leaves for Microsoft's calling hosts and loopback only,
 * valid for the run's hours, name-constrained so that its key vouches for nothing else even when a
 * certificate is made with it by hand; the key is written only into the folder it is given.
 */
import 'reflect-metadata';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:https';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import { test, expect } from '@playwright/test';
import * as x509 from '@peculiar/x509';
import { createRunCa, issueLeaf, NameRefused, readRunCa, runCaFromEnv, RUN_CA_DIR_ENV, writeJavaTrustStore, type RunCa } from '../harness/graph/run-ca.js';
import { LOOPBACK_NAMES, MICROSOFT_HOSTS } from '../harness/model/tls-names.js';
import { tempDir } from './support/cli.js';

/** A TLS handshake (OpenSSL, through node:https) against a server holding `leaf`, trusting only `ca`. */
async function handshake(ca: RunCa, leaf: { cert: string; key: string }, name: string): Promise<string> {
  const server = createServer({ cert: leaf.cert, key: leaf.key }, (_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const ip = /^[\d.:]+$/.test(name);
  try {
    return await new Promise<string>((resolve) => {
      // The name is checked as the bot checks it: SNI and host name for a DNS name, the address for an IP.
      const req = request({ host: '127.0.0.1', port, ca: ca.certPem, ...(ip ? {} : { servername: name, checkServerIdentity: (host, cert) => (cert.subjectaltname?.split(', ').includes(`DNS:${host}`) ? undefined : new Error(`no SAN for ${host}`)) }) }, (res) => {
        res.resume();
        resolve(`HTTP ${res.statusCode}`);
      });
      req.on('error', (error) => resolve(`error: ${error.message}`));
      req.end();
    });
  } finally {
    server.close();
  }
}

test('a leaf for each Microsoft host and loopback name verifies against the run CA in a real TLS handshake', async () => {
  const ca = await createRunCa(1);
  for (const name of [...MICROSOFT_HOSTS, 'localhost', '127.0.0.1']) {
    expect(await handshake(ca, await issueLeaf(ca, [name]), name), name).toBe('HTTP 200');
  }
});

test('a leaf for any other name is never issued', async () => {
  const ca = await createRunCa(1);
  for (const name of ['example.com', 'evil.graph.microsoft.com', '*.microsoft.com', 'microsoft.com', 'graph.microsoft.com.evil.test', '10.0.0.1', '0.0.0.0', '']) {
    const refused = await issueLeaf(ca, [name]).then(() => undefined, (error: unknown) => error);
    expect(refused, name).toBeInstanceOf(NameRefused);
    expect((refused as NameRefused).code).toBe('TLS-NAME-REFUSED');
  }
  // One bad name among good ones refuses the whole leaf.
  await expect(issueLeaf(ca, ['graph.microsoft.com', 'example.com'])).rejects.toThrow(/refused "example.com"/);
});

test("the CA's name constraints refuse a certificate made with its key for another name, and it lasts the run's hours only", async () => {
  const now = new Date();
  const ca = await createRunCa(2, now);
  expect(ca.notAfter.getTime() - now.getTime()).toBe(2 * 3600_000);
  expect(now.getTime() - ca.notBefore.getTime()).toBeLessThanOrEqual(5 * 60_000);
  // What someone holding the key could make: issueLeaf's own check bypassed.
  const crypto = webcrypto as unknown as typeof globalThis.crypto;
  const caKey = await crypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(ca.keyPem), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const forged = await x509.X509CertificateGenerator.create(
    {
      subject: 'CN=forged', issuer: new x509.X509Certificate(ca.certPem).subject, notBefore: ca.notBefore, notAfter: ca.notAfter,
      publicKey: keys.publicKey, signingKey: caKey, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'example.com' }])],
    },
    crypto,
  );
  const key = x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
  expect(await handshake(ca, { cert: forged.toString('pem'), key }, 'example.com')).toMatch(/permitted subtree violation/);
  expect(LOOPBACK_NAMES).toContain('127.0.0.1');
});

test("the run's CA is written only into the run's folder, its key readable by its owner alone, and read back by the run's other processes", async () => {
  const runFolder = tempDir('confcall-ca-');
  const env: NodeJS.ProcessEnv = {};
  const { ca, dir } = await runCaFromEnv(join(runFolder, 'tls'), env);
  expect(dir).toBe(join(runFolder, 'tls'));
  expect(env[RUN_CA_DIR_ENV]).toBe(dir);
  expect(readdirSync(runFolder)).toEqual(['tls']);
  expect(readdirSync(dir).sort()).toEqual(['ca-key.pem', 'ca.pem']);
  expect(statSync(join(dir, 'ca-key.pem')).mode & 0o777).toBe(0o600);
  // A second process of the run (a worker) reads the same CA; it makes none of its own.
  const again = await runCaFromEnv(join(runFolder, 'elsewhere'), env);
  expect(again.ca.certPem).toBe(ca.certPem);
  expect(existsSync(join(runFolder, 'elsewhere'))).toBe(false);
  expect(readRunCa(dir).keyPem).toBe(ca.keyPem);
});

test("the Java trust store holds the run's CA as a trusted certificate entry, as keytool reads it", async () => {
  const { spawnSync } = await import('node:child_process');
  const keytool = spawnSync('keytool', ['-help'], { encoding: 'utf8' });
  test.skip(keytool.status !== 0, 'no JDK keytool here to read the store with (apt-get install openjdk-17-jdk-headless)');
  const ca = await createRunCa(1);
  const store = writeJavaTrustStore(ca, tempDir('confcall-truststore-'));
  const listed = spawnSync('keytool', ['-list', '-keystore', store, '-storetype', 'PKCS12', '-storepass', 'confcall'], { encoding: 'utf8' });
  expect(listed.status, listed.stderr).toBe(0);
  expect(listed.stdout).toMatch(/Your keystore contains 1 entry/);
  expect(listed.stdout).toMatch(/trustedCertEntry/);
  const fingerprint = new x509.X509Certificate(ca.certPem);
  const sha256 = Buffer.from(await fingerprint.getThumbprint('SHA-256', webcrypto as unknown as typeof globalThis.crypto)).toString('hex').toUpperCase().match(/../g)!.join(':');
  expect(listed.stdout).toContain(sha256);
});
