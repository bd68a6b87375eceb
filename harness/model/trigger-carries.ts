/**
 * What a bot's own trigger carries of a control body. A bot that got only a join URL chose the
 * rest of its createCall body itself, so an expectation built from the same recording may require
 * only the members the trigger carried (and what the documents require, which Graph's schema checks).
 */
import type { ActionTrigger } from './target.js';
import { JOIN_URL_CARRIES } from './teams-join-url.js';
import { placeholdersOf, readPointer } from './trigger-template.js';

/** The JSON pointers of the control body a trigger passes on; undefined when it passes the whole body. */
export function carriedPointers(trigger: ActionTrigger): string[] | undefined {
  const templates = 'http' in trigger ? trigger.http : trigger.command;
  const names = placeholdersOf(templates).map((p) => p.name);
  // A command gets the whole body in CONFCALL_CONTROL_BODY.
  if (!('http' in trigger) || names.includes('body') || names.includes('')) return undefined;
  return [...new Set(names.flatMap((n) => (n === 'joinUrl' ? JOIN_URL_CARRIES : n.startsWith('/') ? [n] : [])))];
}

/** The parts of `value` at the given pointers, in their places (objects only; a pointer to nothing adds nothing). */
export function projectOnto(value: unknown, pointers: string[]): unknown {
  const out: Record<string, unknown> = {};
  for (const pointer of pointers) {
    const found = readPointer(value, pointer);
    if (found === undefined) continue;
    const keys = pointer.slice(1).split('/').map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    let node = out;
    keys.slice(0, -1).forEach((k) => (node = (node[k] ??= {}) as Record<string, unknown>));
    node[keys[keys.length - 1]!] = found;
  }
  return out;
}
