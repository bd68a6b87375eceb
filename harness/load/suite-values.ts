/**
 * What a suite's values mean, beyond their schema: path placeholders, statuses an answer can end
 * with, waits a conformance test can last, phone ids the PHONE-E164 rule accepts, and ids in
 * expected paths a bot could know. Refused: what can never pass; warned: what the run would not
 * honour as written, or a check that can never fail.
 */
import type { Recording } from '../model/recording.js';
import type { Scenario } from '../model/suite.js';
import type { LoadProblem } from './problem.js';
import { formatPath, positionAt, type YamlSource } from './yaml-source.js';

type Path = Array<string | number>;
export interface ValueProblems {
  problems: LoadProblem[];
  warnings: LoadProblem[];
}

/** How long one conformance test may run (playwright.config.ts, project conformance; a test keeps the two equal). */
export const CONFORMANCE_TEST_TIMEOUT_MS = 60_000;
/** E.164, as oracle/rules/phone-identities.ts checks every phone identity a bot sends. */
const E164 = /^\+[1-9]\d{1,14}$/;
/** Placeholders a suite path may hold: only the run's call. */
const PATH_PLACEHOLDERS = ['{call.id}'];
/** Ids in an expected path the run maps per scenario (run-ids.ts RESOURCE_IN_PATH). */
const RESOURCE_IN_PATH = /(?:participants|operations)\/([0-9A-Za-z-]{8,})/gi;

/** Problems and warnings of one written step (before includes), each at the value it is about. */
export function stepValueProblems(step: Record<string, any>, source: YamlSource, path: Path): ValueProblems {
  const problems: LoadProblem[] = [];
  const warnings: LoadProblem[] = [];
  const at = (where: Path, message: string, hint: string): LoadProblem => ({ ...positionAt(source, [...path, ...where]), path: formatPath([...path, ...where]), message, hint });
  for (const action of ['control', 'expect', 'expectNo'] as const) {
    const stepPath = step[action]?.path;
    if (typeof stepPath === 'string') problems.push(...placeholderProblems(stepPath).map((p) => at([action, 'path'], p.message, p.hint)));
  }
  const statuses: unknown[] = Array.isArray(step.expectStatus) ? step.expectStatus : [step.expectStatus];
  statuses.forEach((status, i) => {
    if (typeof status === 'number' && status < 200) problems.push(at(Array.isArray(step.expectStatus) ? ['expectStatus', i] : ['expectStatus'], `${status} is an interim status: no answer ends with it`, 'expect a final status, 200-599 (e.g. [401, 403] for a refused notification)'));
  });
  if (typeof step.respond?.status === 'number' && step.respond.status < 200) {
    problems.push(at(['respond', 'status'], `${step.respond.status} is an interim status: the fake Graph cannot end a reply with it`, 'reply with a final status, 200-599'));
  }
  if (typeof step.within === 'number' && step.within > CONFORMANCE_TEST_TIMEOUT_MS) {
    warnings.push({ ...at(['within'], `within ${step.within} ms is longer than a conformance test may run (${CONFORMANCE_TEST_TIMEOUT_MS} ms): the test times out first`, `wait ${CONFORMANCE_TEST_TIMEOUT_MS / 2} ms or less, leaving the rest of the scenario time to run`), severity: 'warning' });
  }
  // The bot sends (or is asked to send) these bodies, and PHONE-E164 fails any phone id that is not E.164.
  for (const [where, severity] of [[['control', 'body'], 'error'], [['expect', 'body'], 'error'], [['patch'], 'warning'], [['respond', 'body'], 'warning']] as const) {
    for (const found of badPhoneIds(valueAt(step, where), [...where])) {
      const problem = at(found.path, `phone id ${JSON.stringify(found.id)} is not an E.164 number`, 'write it as + and up to 15 digits, the first not 0, e.g. "+12345678901" (the PHONE-E164 rule fails a bot that sends any other form)');
      if (severity === 'error') problems.push(problem);
      else warnings.push({ ...problem, message: `${problem.message}: Graph sends phone ids in E.164 only`, severity: 'warning' });
    }
  }
  return { problems, warnings };
}

/**
 * An expected request whose path names a participant or operation id that no payload a bot could
 * learn from holds (no recording, no step of the scenario): the bot can never send it. An `expect`
 * can then never pass (refused); an `expectNo` can never fail (warned).
 */
export function unknownPathIds(scenario: Scenario, recordings: Map<string, Recording>): ValueProblems {
  const problems: LoadProblem[] = [];
  const warnings: LoadProblem[] = [];
  let learnable: string[] | undefined;
  for (const step of scenario.steps) {
    if (step.kind !== 'expect' && step.kind !== 'expectNo') continue;
    for (const m of step.request.path.matchAll(RESOURCE_IN_PATH)) {
      const id = m[1]!;
      learnable ??= [recordingsText(recordings), learnableText(scenario)];
      if (learnable.some((text) => text.includes(id.toLowerCase()) || text.includes(id.replace(/-/g, '').toLowerCase()))) continue;
      const hint = 'use an id from a recording the scenario sends (they are mapped to fresh ids per run), or * for any one segment';
      if (step.kind === 'expect') problems.push({ ...step.position, path: 'expect.path', message: `no recording or step of scenario ${scenario.id} has the id ${id}, so no bot can send this request`, hint });
      else warnings.push({ ...step.position, path: 'expectNo.path', message: `no recording or step of scenario ${scenario.id} has the id ${id}, so no bot can send this request and the check can never fail`, hint, severity: 'warning' });
    }
  }
  return { problems, warnings };
}

/**
 * The recordings' part of what a bot could learn ids from (see learnableText), made once per recordings map: every
 * scenario with an id in an expected path searches the same recordings, and stringifying them all again for each
 * scenario was most of the suites' loading time after the YAML parse.
 */
const recordingsTexts = new WeakMap<Map<string, Recording>, { size: number; text: string }>();

function recordingsText(recordings: Map<string, Recording>): string {
  const known = recordingsTexts.get(recordings);
  if (known && known.size === recordings.size) return known.text;
  const text = searchable([...recordings.values()].map((r) => [r.body, r.http]));
  recordingsTexts.set(recordings, { size: recordings.size, text });
  return text;
}

/** The scenario's own steps a bot could learn ids from, but its expectations (the recordings are recordingsText). */
function learnableText(scenario: Scenario): string {
  const parts: unknown[] = [];
  for (const step of scenario.steps) {
    if (step.kind === 'control') parts.push(step.path, step.body);
    if (step.kind === 'notify') parts.push(step.patch);
    if (step.kind === 'expect' && typeof step.respond === 'object') parts.push(step.respond);
  }
  return searchable(parts);
}

/** Values as one lower-cased text, with dashes kept and dropped (an id is written either way). */
function searchable(parts: unknown[]): string {
  const text = JSON.stringify(parts).toLowerCase();
  return `${text}\n${text.replace(/-/g, '')}`;
}

/** Braces in a path that are not `{call.id}`: they would reach no request (a bot's path never holds them). */
function placeholderProblems(path: string): Array<{ message: string; hint: string }> {
  const out: Array<{ message: string; hint: string }> = [];
  for (const m of path.matchAll(/\{[^{}]*\}|[{}]/g)) {
    if (PATH_PLACEHOLDERS.includes(m[0])) continue;
    const near = m[0].length > 2 && m[0].toLowerCase().replace(/[^a-z]/g, '').includes('call') ? ' (did you mean {call.id}?)' : '';
    out.push({
      message: m[0].length === 1 ? `unmatched "${m[0]}" in the path` : `unknown placeholder ${m[0]} in the path${near}`,
      hint: "{call.id} is the run's call; other ids are written as the recordings spell them (mapped per run), * matches one segment and ** the rest",
    });
  }
  return out;
}

function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), value);
}

/** Every `phone.id` in a literal body that is not E.164, with its path (a `$recording` body is the recording's). */
function badPhoneIds(value: unknown, path: Path): Array<{ id: unknown; path: Path }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => badPhoneIds(v, [...path, i]));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, member]) => {
    const id = key === 'phone' && member && typeof member === 'object' ? (member as { id?: unknown }).id : undefined;
    const own = id !== undefined && (typeof id !== 'string' || !E164.test(id)) ? [{ id, path: [...path, key, 'id'] }] : [];
    return [...own, ...badPhoneIds(member, [...path, key])];
  });
}
