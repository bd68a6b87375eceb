/**
 * The run's own certificate authority: made in memory when a run starts, valid for the run's hours,
 * and limited by name constraints to Microsoft's calling hosts and loopback, so that even a leaked
 * key vouches for nothing else. Leaves are issued in memory; only the CA (certificate and key) is
 * written, and only inside the run's out folder.
 *
 * Library: @peculiar/x509 (TypeScript, WebCrypto keys, so key generation is native and fast), with
 * @peculiar/asn1-x509 for the NameConstraints extension, which the library has no class for.
 */
import { createRequire } from 'node:module';
import { webcrypto } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type * as X509 from '@peculiar/x509';
import type * as AsnSchema from '@peculiar/asn1-schema';
import type * as AsnCms from '@peculiar/asn1-cms';
import type * as AsnPfx from '@peculiar/asn1-pfx';
import type * as AsnX509 from '@peculiar/asn1-x509';
import { isPermittedName, LOOPBACK_NAMES, MICROSOFT_HOSTS } from '../model/tls-names.js';

const crypto = webcrypto as unknown as typeof globalThis.crypto;

/** The certificate libraries this file uses. */
interface CertificateLibraries {
  x509: typeof X509;
  asn: typeof AsnSchema & typeof AsnCms & typeof AsnPfx & typeof AsnX509;
}

let libraries: CertificateLibraries | undefined;

/**
 * The certificate libraries, loaded on first use (synchronously: readRunCa and writeJavaTrustStore are
 * synchronous). Every conformance run imports this file, few have a TLS target, and loading them
 * costs about 200 ms of CPU in each of Playwright's processes.
 */
function certificateLibraries(): CertificateLibraries {
  if (libraries) return libraries;
  const require = createRequire(import.meta.url);
  // @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata polyfill first.
  require('reflect-metadata');
  const x509 = require('@peculiar/x509') as typeof X509;
  x509.cryptoProvider.set(crypto);
  const asn = { ...require('@peculiar/asn1-schema'), ...require('@peculiar/asn1-cms'), ...require('@peculiar/asn1-pfx'), ...require('@peculiar/asn1-x509') };
  libraries = { x509, asn };
  return libraries;
}

const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;
/** Clock skew allowed between this machine's processes (a bot's clock is this machine's). */
const SKEW_MS = 5 * 60 * 1000;

/** The run's CA: its certificate (PEM), its private key, and the window it is valid in. */
export interface RunCa {
  certPem: string;
  keyPem: string;
  notBefore: Date;
  notAfter: Date;
}

/** A leaf certificate and its key, both PEM, for a TLS server. */
export interface Leaf {
  cert: string;
  key: string;
}

/** Why a leaf was refused: the name is outside what the run's CA may vouch for. */
export class NameRefused extends Error {
  readonly code = 'TLS-NAME-REFUSED';
  constructor(readonly refusedName: string) {
    super(`confcall's run CA issues certificates only for ${[...MICROSOFT_HOSTS, ...LOOPBACK_NAMES].join(', ')}; refused "${refusedName}"`);
    this.name = 'NameRefused';
  }
}

/** Makes a fresh CA valid from a few minutes ago for `validHours` (the run's hours). */
export async function createRunCa(validHours = 12, now = new Date()): Promise<RunCa> {
  const notBefore = new Date(now.getTime() - SKEW_MS);
  const notAfter = new Date(now.getTime() + validHours * 3600_000);
  const { x509 } = certificateLibraries();
  const keys = await crypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=confcall run CA ${now.toISOString()}, O=confcall (test only)`,
    notBefore,
    notAfter,
    keys,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      nameConstraintsExtension(),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const keyPem = x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
  return { certPem: cert.toString('pem'), keyPem, notBefore, notAfter };
}

/** Issues a server certificate for `names` (each must be permitted), valid within the CA's window. */
export async function issueLeaf(ca: RunCa, names: readonly string[]): Promise<Leaf> {
  const refused = names.find((n) => !isPermittedName(n));
  if (refused !== undefined || names.length === 0) throw new NameRefused(refused ?? '(no name)');
  const { x509 } = certificateLibraries();
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await crypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(ca.keyPem), KEY_ALGORITHM, false, ['sign']);
  const keys = await crypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
  const sans = names.map((n) => n.replace(/^\[|\]$/g, '')).map((n) => ({ type: isIP(n) ? ('ip' as const) : ('dns' as const), value: n }));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    // Names live in the SAN only: OpenSSL checks a host-like CN against the DNS constraints, which an
    // IP address fails.
    subject: 'CN=confcall run leaf, O=confcall (test only)',
    issuer: caCert.subject,
    notBefore: ca.notBefore,
    notAfter: ca.notAfter,
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(sans),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  const key = x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
  return { cert: cert.toString('pem'), key };
}

/** Files of the run's CA inside `dir` (the run's out folder). */
export function runCaFiles(dir: string): { cert: string; key: string } {
  return { cert: join(dir, 'ca.pem'), key: join(dir, 'ca-key.pem') };
}

/** Writes the CA into `dir` (created if needed); the key is readable by its owner only. */
export function writeRunCa(ca: RunCa, dir: string): { cert: string; key: string } {
  const files = runCaFiles(dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(files.cert, ca.certPem);
  writeFileSync(files.key, ca.keyPem, { mode: 0o600 });
  chmodSync(files.key, 0o600);
  return files;
}

/**
 * Writes the CA's certificate as a PKCS#12 trust store (`truststore.p12` in `dir`) that the JVM
 * reads with -Djavax.net.ssl.trustStoreType=PKCS12: one certificate bag marked with Oracle's
 * trusted-key-usage attribute (what keytool -importcert writes), no key, no MAC (a trust store
 * holds no secret; the JVM checks a MAC only where there is one).
 */
export function writeJavaTrustStore(ca: RunCa, dir: string): string {
  const { x509, asn } = certificateLibraries();
  const { AsnConvert, AuthenticatedSafe, CertBag, ContentInfo, id_certBag, id_data, id_x509Certificate, OctetString, PFX, PKCS12Attribute, SafeBag, SafeContents } = asn;
  const data = (der: ArrayBuffer): AsnCms.ContentInfo => new ContentInfo({ contentType: id_data, content: AsnConvert.serialize(new OctetString(der)) });
  const certificate = x509.PemConverter.decodeFirst(ca.certPem);
  // @peculiar/asn1-pfx 2.11's PKCS12Attribute constructor drops its parameters: set them after.
  const trustedForAnyUse = Object.assign(new PKCS12Attribute(), { attrId: ORACLE_TRUSTED_KEY_USAGE, attrValues: [ANY_EXTENDED_KEY_USAGE_DER] });
  const bag = new SafeBag({
    bagId: id_certBag,
    bagValue: AsnConvert.serialize(new CertBag({ certId: id_x509Certificate, certValue: AsnConvert.serialize(new OctetString(certificate)) })),
    bagAttributes: [trustedForAnyUse],
  });
  const pfx = new PFX({ version: 3, authSafe: data(AsnConvert.serialize(new AuthenticatedSafe([data(AsnConvert.serialize(new SafeContents([bag])))]))) });
  delete (pfx as Partial<AsnPfx.PFX>).macData;
  const file = join(dir, 'truststore.p12');
  writeFileSync(file, Buffer.from(AsnConvert.serialize(pfx)));
  return file;
}

/** Oracle's PKCS#12 bag attribute that makes a certificate a trusted entry for the JVM. */
const ORACLE_TRUSTED_KEY_USAGE = '2.16.840.1.113894.746875.1.1';
/** DER of the OID anyExtendedKeyUsage (2.5.29.37.0), the attribute's value. */
const ANY_EXTENDED_KEY_USAGE_DER = new Uint8Array([0x06, 0x04, 0x55, 0x1d, 0x25, 0x00]).buffer;

/** Reads a CA written by writeRunCa. */
export function readRunCa(dir: string): RunCa {
  const files = runCaFiles(dir);
  const certPem = readFileSync(files.cert, 'utf8');
  const cert = new (certificateLibraries().x509.X509Certificate)(certPem);
  return { certPem, keyPem: readFileSync(files.key, 'utf8'), notBefore: cert.notBefore, notAfter: cert.notAfter };
}

/** The CA's name constraints: the Microsoft hosts, localhost, and the loopback addresses. */
function nameConstraintsExtension(): X509.Extension {
  const { x509, asn } = certificateLibraries();
  const { AsnConvert, GeneralName, GeneralSubtree, GeneralSubtrees, id_ce_nameConstraints, NameConstraints } = asn;
  const subtrees = [
    ...[...MICROSOFT_HOSTS, 'localhost'].map((dNSName) => new GeneralSubtree({ base: new GeneralName({ dNSName }) })),
    new GeneralSubtree({ base: new GeneralName({ iPAddress: '127.0.0.0/8' }) }),
    new GeneralSubtree({ base: new GeneralName({ iPAddress: '::1/128' }) }),
  ];
  const value = AsnConvert.serialize(new NameConstraints({ permittedSubtrees: new GeneralSubtrees(subtrees) }));
  return new x509.Extension(id_ce_nameConstraints, true, value);
}

/** A positive 16-byte serial number in hex. */
function randomSerial(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0]! & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

/** The variable through which every process of a run finds the folder holding the run's CA. */
export const RUN_CA_DIR_ENV = 'CONFCALL_RUN_CA_DIR';

/** The run's CA: read from the folder the environment names, else made now, written into `dir` and published there. */
export async function runCaFromEnv(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<{ ca: RunCa; dir: string }> {
  const shared = env[RUN_CA_DIR_ENV];
  if (shared) return { ca: readRunCa(shared), dir: shared };
  const ca = await createRunCa();
  writeRunCa(ca, dir);
  env[RUN_CA_DIR_ENV] = dir;
  return { ca, dir };
}
