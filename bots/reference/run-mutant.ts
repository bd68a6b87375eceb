/**
 * Runs a mutant of bots/mutants/: the reference bot with some of its behaviour replaced, which says
 * in its log when each change first makes the bot do otherwise than the reference bot would.
 *
 * A mutant whose change never fires is the reference bot under another name (as the mutants that
 * patched `fetch` would have become when the bot moved to node:http), and a run "catches" it only
 * by chance. So the bot names its changes when it starts (`mutant NAME: changes a, b`) and each of
 * them, the first time it fires, `mutant NAME: deviated (a: what)`; tests/support/mutant-catches.ts
 * checks that every named change fired in the run that catches the mutant.
 */
import { isDeepStrictEqual } from 'node:util';
import { referenceBehaviour, type BotBehaviour } from './behaviour.js';
import { createLog } from './log.js';
import { runBot } from './run-bot.js';

/** The changes a mutant declared with `deviation` (a patch of node:http, a delay), before it runs. */
const declared: string[] = [];
/** The changes that fired already: each is said once. */
const fired = new Set<string>();
let say = (line: string): void => void process.stdout.write(`${line}\n`);
let mutantName = 'mutant';

/**
 * Declares a change that is no behaviour field's result (a patch of node:http, a delay) and returns
 * what the patch calls where it changes what the bot does: the first call logs `deviated (change: what)`
 * and returns true, later calls return false.
 */
export function deviation(change: string): (what: string) => boolean {
  declared.push(change);
  return (what) => deviated(change, what);
}

/** Runs the reference bot with `changes` in place of its behaviour's fields; each field logs its first decision that differs from the reference bot's. */
export async function runMutant(name: string, changes: Partial<BotBehaviour>): Promise<void> {
  mutantName = name;
  const log = createLog(name);
  say = log;
  const fields = Object.keys(changes) as Array<keyof BotBehaviour>;
  log(`mutant ${name}: changes ${[...new Set([...fields, ...declared])].join(', ')}`);
  const behaviour: Record<string, unknown> = { ...referenceBehaviour };
  for (const field of fields) behaviour[field] = watched(field, changes[field] as Decision, referenceBehaviour[field] as Decision);
  await runBot(behaviour as unknown as BotBehaviour, name);
}

type Decision = (...args: unknown[]) => unknown;

/** `replacement`, which also asks `reference` the same question and logs the first answer that differs (a promise: once both settle). */
function watched(field: string, replacement: Decision, reference: Decision): Decision {
  return (...args) => {
    const expected = fired.has(field) ? undefined : reference(...args); // before the replacement: both see the same arguments
    const actual = replacement(...args);
    if (fired.has(field)) return actual;
    if (actual instanceof Promise) void Promise.all([actual, expected]).then(([a, e]) => compare(field, a, e), () => undefined);
    else compare(field, actual, expected);
    return actual;
  };
}

function compare(field: string, actual: unknown, expected: unknown): void {
  const difference = firstDifference(canonical(actual), canonical(expected), '');
  if (difference) void deviated(field, `${difference.path ? `${difference.path} ` : ''}${brief(difference.actual)} where the reference bot gives ${brief(difference.expected)}`);
}

/** Where two decisions first differ (a dotted path into them, '' for the whole), or undefined when they are the same. */
function firstDifference(actual: unknown, expected: unknown, path: string): { path: string; actual: unknown; expected: unknown } | undefined {
  if (isDeepStrictEqual(actual, expected)) return undefined;
  const isTree = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object';
  if (!isTree(actual) || !isTree(expected) || Array.isArray(actual) !== Array.isArray(expected)) return { path, actual, expected };
  for (const key of new Set([...Object.keys(actual), ...Object.keys(expected)])) {
    const found = firstDifference(actual[key], expected[key], path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return { path, actual, expected };
}

function deviated(change: string, what: string): boolean {
  if (fired.has(change)) return false;
  fired.add(change);
  say(`mutant ${mutantName}: deviated (${change}: ${what})`);
  return true;
}

/** A decision as plain data: a Map as its entries, and a member set to undefined the same as a missing one. */
function canonical(value: unknown): unknown {
  if (value instanceof Map) return { entries: [...value].map(canonical) };
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined).map(([key, member]) => [key, canonical(member)]));
}

function brief(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}
