import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { Requirement } from '../model/requirement.js';
import type { FindingRecord } from '../model/transcript.js';

export type { FindingRecord };

/** One test's outcome in a Playwright JSON report: its title path and status. */
export interface TestOutcome {
  /** `suite/scenario` or `suite/scenario · property`. */
  id: string;
  /** `unfinished`: the run stopped (Ctrl-C, SIGTERM) before this test finished, or before it started; neither passed nor failed. */
  status: 'passed' | 'failed' | 'skipped' | 'not applicable' | 'unfinished';
  tags: string[];
  message: string;
  /** Requirement ids (or, where none owns the check, `STEP`, `PREMISE`, `CONVERGENCE`, ...) the test's failure broke, from its annotations. */
  brokenRules: string[];
  /** When its last result ended (ms since the epoch), if the report says. */
  endedAt?: number;
  /** Every finding of the test, as data: failures, warnings and test-hook deviations, each with its basis. */
  findings: FindingRecord[];
  /** The requirements the test judged (a rule it exercised, a scenario requirement whose steps all ran). */
  judged: string[];
  /** Why the test was skipped, not applicable or not judged, when it was. */
  skipReason?: string;
}

/** The verdict on one requirement: which tests checked it and whether all passed. */
export interface RequirementVerdict {
  id: string;
  level: 'MUST' | 'SHOULD';
  basis: 'document' | 'inferred';
  /**
   * `fail`: a failure finding names it; `warning`: only warnings do (a SHOULD or inferred rule,
   * without --strict); `pass`: a finished test judged it and nothing broke it; `not judged`: no
   * test exercised it (`reason` says why); `unfinished`: the run stopped before a test that checks it finished.
   */
  verdict: 'pass' | 'fail' | 'warning' | 'not judged' | 'unfinished';
  reason?: string;
  tests: Array<{ id: string; status: string }>;
}

/**
 * The test-id prefix under a Playwright JSON suite: its title joined with `/`, except the spec file's
 * (conformance.spec.ts, or .js when run from the compiled config), which is no part of a test id.
 */
export function suiteIdPrefix(title: unknown, prefix: string): string {
  return title && !/\.spec\.[cm]?[jt]s$/.test(String(title)) ? `${prefix}${title}/` : prefix;
}

/** Reads the outcomes of every test in a Playwright JSON report. */
export function outcomesOf(report: { suites?: unknown[] }): TestOutcome[] {
  const out: TestOutcome[] = [];
  const visit = (suite: any, prefix: string): void => {
    const name = suiteIdPrefix(suite.title, prefix);
    for (const spec of suite.specs ?? []) {
      const test = spec.tests?.[0];
      const result = test?.results?.at(-1);
      const annotations: Array<{ type: string; description?: string }> = [...(test?.annotations ?? []), ...(result?.annotations ?? [])];
      // A scenario the bot cannot be judged on (conformance.spec.ts `prepare`) is skipped with a `not-applicable` annotation.
      const skipped = annotations.some((a) => a.type === 'not-applicable') ? 'not applicable' : 'skipped';
      const status = !test || unfinished(test) ? 'unfinished' : test.status === 'skipped' ? skipped : spec.ok ? 'passed' : 'failed';
      const message = (result?.errors ?? []).map((e: { message?: string }) => e.message ?? '').join('\n');
      const brokenRules = [...new Set(annotations.filter((a) => a.type === 'broken-rule' && a.description).map((a) => a.description!))];
      const findings = uniqueFindings(annotations.filter((a) => a.type === 'finding' && a.description).map((a) => JSON.parse(a.description!) as FindingRecord));
      const judged = [...new Set(annotations.filter((a) => a.type === 'judged' && a.description).map((a) => a.description!))];
      const skipReason = annotations.find((a) => a.type === 'skip')?.description;
      const endedAt = result?.startTime ? Date.parse(result.startTime) + (result.duration ?? 0) : undefined;
      out.push({ id: `${name}${spec.title}`, status, tags: (spec.tags ?? []).map((t: string) => t.replace(/^@/, '')), message, brokenRules, findings, judged, ...(skipReason && { skipReason }), ...(endedAt !== undefined && !Number.isNaN(endedAt) && { endedAt }) });
    }
    for (const child of suite.suites ?? []) visit(child, name);
  };
  for (const suite of report.suites ?? []) visit(suite, '');
  return out;
}

/**
 * Whether Playwright skipped a test only because the run stopped: its own reporters call such a test
 * "interrupted" (a result cut off) or "did not run" (no result, or a `skipped` one the test did not
 * ask for, as when the worker stopped before the test body ran); the JSON report calls it skipped.
 */
function unfinished(test: { status?: string; expectedStatus?: string; results?: Array<{ status?: string }> }): boolean {
  if (test.status !== 'skipped') return false;
  const results = test.results ?? [];
  return results.some((r) => r.status === 'interrupted') || results.length === 0 || test.expectedStatus !== 'skipped';
}

/** Findings once each (a test reports a finding in more than one annotation). */
function uniqueFindings(findings: FindingRecord[]): FindingRecord[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = JSON.stringify(f);
    return !seen.has(key) && seen.add(key) !== undefined;
  });
}

/**
 * A verdict per requirement, from what broke, never from tags alone: `fail` where a failure finding
 * of a test names it, `warning` where only warnings do, `pass` where a test that finished judged it
 * (exercised the rule, or ran the scenario steps that check it), else `not judged` with the reason.
 * A test the run did not finish passes nothing: without a failure the verdict is then `unfinished`.
 */
export function requirementVerdicts(requirements: Requirement[], outcomes: TestOutcome[]): RequirementVerdict[] {
  const ran = (o: TestOutcome) => o.status === 'passed' || o.status === 'failed';
  const anyUnfinished = outcomes.some((o) => o.status === 'unfinished');
  return requirements.map((r) => {
    const naming = (severity: FindingRecord['severity']) => outcomes.filter((o) => o.findings.some((f) => f.severity === severity && f.requirements.includes(r.id)));
    const failed = naming('failure').filter((o) => o.status === 'failed');
    const warned = naming('warning');
    const judgedBy = outcomes.filter((o) => ran(o) && o.judged.includes(r.id));
    const tagged = outcomes.filter((o) => o.tags.includes(r.id));
    const tests = unique([...failed, ...warned, ...judgedBy, ...tagged.filter((o) => o.status !== 'skipped' && o.status !== 'not applicable')]).map((o) => ({ id: o.id, status: o.status }));
    const unfinished = tagged.some((o) => o.status === 'unfinished') || (r.rule && anyUnfinished);
    const base = { id: r.id, level: r.level, basis: r.basis, tests };
    if (failed.length) return { ...base, verdict: 'fail' };
    if (unfinished) return { ...base, verdict: 'unfinished' };
    if (warned.length) return { ...base, verdict: 'warning' };
    if (judgedBy.length) return { ...base, verdict: 'pass' };
    return { ...base, verdict: 'not judged', reason: notJudgedReason(r, tagged) };
  });
}

/** Why nothing judged a requirement: no scenario names it, every one was skipped (and why), or none exercised it. */
function notJudgedReason(r: Requirement, tagged: TestOutcome[]): string {
  if (r.rule && !tagged.length) return 'no scenario of this run exercised the rule (nothing it applies to was sent)';
  if (!tagged.length) return 'no scenario of this run checks it';
  const notApplicable = tagged.filter((o) => o.status === 'not applicable');
  if (notApplicable.length === tagged.length) return `every scenario that checks it was not applicable to the bot${notApplicable[0]?.skipReason ? ` (${notApplicable[0].skipReason})` : ''}`;
  const skipped = tagged.filter((o) => o.status === 'skipped' || o.status === 'not applicable');
  if (skipped.length === tagged.length) return `every scenario that checks it was skipped or not applicable${skipped[0]?.skipReason ? ` (${skipped[0].skipReason})` : ''}`;
  const premise = premiseFailureOf(tagged);
  if (premise) return `its premise did not hold in ${premise.test}: ${premise.what}`;
  return 'the scenarios that check it stopped before their steps for it ran, or did not exercise it';
}

/** The first failed test among these whose premise did not hold (a `PREMISE` failure finding), said from the finding's data. */
function premiseFailureOf(tests: TestOutcome[]): { test: string; what: string } | undefined {
  for (const o of tests.filter((t) => t.status === 'failed')) {
    const f = o.findings.find((x) => x.rule === 'PREMISE' && x.severity === 'failure');
    if (!f) continue;
    const place = [f.step !== undefined && `step ${f.step}`, f.fragment && `of fragment ${f.fragment}`, f.where && `(${f.where})`].filter(Boolean).join(' ');
    return { test: o.id, what: `${place || 'a step of its premise'}${f.actual ? `: ${f.actual}` : ''}` };
  }
  return undefined;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/** Tests whose outcome contradicts the expected-failures list: unexpected failures, and listed ones that now pass. */
export function compareWithExpectedFailures(outcomes: TestOutcome[], expected: string[]): { unexpectedFailures: string[]; nowPassing: string[] } {
  const failed = new Set(outcomes.filter((o) => o.status === 'failed').map((o) => o.id));
  return {
    unexpectedFailures: [...failed].filter((id) => !expected.includes(id)).sort(),
    nowPassing: expected.filter((id) => !failed.has(id)).sort(),
  };
}

/** Every file below a folder, relative, sorted. */
function filesBelow(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return out;
}

/** SHA-256 of a file, hex. */
export function sha256Of(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Writes `manifest.json`: the SHA-256 of every file of the bundle, and of every input the run used. */
export function writeManifest(bundleDir: string, inputs: Array<{ name: string; file: string }>, meta: Record<string, unknown>): string {
  const files = filesBelow(bundleDir).filter((f) => f !== 'manifest.json');
  const manifest = {
    ...meta,
    algorithm: 'sha256',
    bundle: Object.fromEntries(files.map((f) => [f, sha256Of(join(bundleDir, f))])),
    inputs: Object.fromEntries(inputs.map((i) => [i.name, sha256Of(i.file)])),
  };
  const path = join(bundleDir, 'manifest.json');
  writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
  return path;
}

/** Patterns of secrets that must not leave a run: bearer tokens (JWTs) and private key members. */
const SECRET_PATTERNS = [/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, /"(d|p|q|dp|dq|qi)"\s*:\s*"[A-Za-z0-9_-]{20,}"/g];

/** Text with the given literal secrets, bearer tokens and private key members replaced. */
function redactText(text: string, literals: string[]): string {
  let out = text;
  for (const secret of literals.filter((s) => s.length >= 6)) out = out.split(secret).join('[REDACTED]');
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, '[REDACTED]');
  return out;
}

function hasSecret(text: string, literals: string[]): boolean {
  return literals.some((s) => s.length >= 6 && text.includes(s)) || SECRET_PATTERNS.some((p) => new RegExp(p.source).test(text));
}

/**
 * Playwright's HTML report carries its data (test steps, inline attachments) as a base64 zip
 * inside index.html: secrets there are invisible to a plain text scan, so each entry is opened.
 */
const EMBEDDED_REPORT_ZIP = /(<template id="playwrightReportBase64">data:application\/zip;base64,)([A-Za-z0-9+/=]+)(<\/template>)/;

/** Every entry of an embedded report zip, by name, or undefined when the text has none. */
function embeddedZip(text: string): Record<string, Uint8Array> | undefined {
  const match = EMBEDDED_REPORT_ZIP.exec(text);
  return match ? unzipSync(Buffer.from(match[2]!, 'base64')) : undefined;
}

/** The text entries of an embedded report zip, by name (binary entries are left out). */
function textEntries(zip: Record<string, Uint8Array>): Map<string, string> {
  return new Map(Object.entries(zip).flatMap(([name, bytes]) => (bytes.includes(0) ? [] : [[name, strFromU8(bytes)] as [string, string]])));
}

function embeddedZipEntries(text: string): Map<string, string> | undefined {
  const zip = embeddedZip(text);
  return zip && textEntries(zip);
}

/**
 * Redacts secrets from every text file of the bundle, and from every entry of an HTML report's
 * embedded zip: the given literal secrets (client secrets), bearer tokens and private key
 * material. Returns the files it changed.
 */
export function redactSecrets(bundleDir: string, literals: string[]): string[] {
  const changed: string[] = [];
  for (const f of filesBelow(bundleDir)) {
    const path = join(bundleDir, f);
    const bytes = readFileSync(path);
    if (bytes.includes(0)) continue; // binary (screenshots, zips): nothing we wrote as text
    const before = bytes.toString('utf8');
    let text = before;
    const zip = embeddedZip(text);
    const entries = zip && textEntries(zip);
    if (zip && entries && [...entries.values()].some((t) => hasSecret(t, literals))) {
      for (const [name, entry] of entries) zip[name] = strToU8(redactText(entry, literals));
      const zipped = Buffer.from(zipSync(zip)).toString('base64');
      text = text.replace(EMBEDDED_REPORT_ZIP, (_m, open: string, _data: string, close: string) => `${open}${zipped}${close}`);
    }
    text = redactText(text, literals);
    if (text !== before) {
      writeFileSync(path, text);
      changed.push(f);
    }
  }
  return changed;
}

/**
 * Files of the bundle that still contain a secret (should be none after redaction); an entry of
 * an HTML report's embedded zip is named `index.html#entry.json`.
 */
export function filesWithSecrets(bundleDir: string, literals: string[]): string[] {
  return filesBelow(bundleDir).flatMap((f) => {
    const bytes = readFileSync(join(bundleDir, f));
    if (bytes.includes(0)) return [];
    const text = bytes.toString('utf8');
    const inZip = [...(embeddedZipEntries(text) ?? [])].filter(([, t]) => hasSecret(t, literals)).map(([name]) => `${f}#${name}`);
    return [...(hasSecret(text, literals) ? [f] : []), ...inZip];
  });
}

/** Names of the entries of an HTML report's embedded data zip (empty when the file has none). */
export function embeddedReportEntries(file: string): string[] {
  return [...(embeddedZipEntries(readFileSync(file, 'utf8'))?.keys() ?? [])];
}
