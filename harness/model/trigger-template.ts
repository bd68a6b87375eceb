/**
 * Templates of a target profile's triggers (`actions`, a mapped `probe`, `start.env`): JSON values
 * whose strings hold `${…}` placeholders. A string that is exactly one placeholder takes the
 * value with its JSON type; inside a longer string the value is written as text (JSON for objects).
 * Hand-written: json-e stringifies interpolations and has its own expression language, RFC 6570
 * templates cover URLs only; neither reads JSON pointers or says which placeholder is unknown.
 */

/** The values a template may name (`${env:NAME}` is expanded earlier, when the profile loads). */
export interface TemplateValues {
  /** The scenario's control body, after confcall's id mapping: `${/json/pointer}`, `${body}`. */
  body?: unknown;
  /** `${call.id}`, `${participant.id}`: the run's ids in the control step's path. */
  callId?: string;
  participantId?: string;
  /** `${joinUrl}`: the Teams join URL of the scenario's meeting (model/teams-join-url.ts). */
  joinUrl?: string;
  /** `${auth.appId}`, `${auth.tenantId}`, `${auth.clientSecret}`, `${callbackUri}`. */
  profile: Record<string, string | undefined>;
}

const PLACEHOLDER = /\$\{([^}]*)\}/g;
const WHOLE = /^\$\{([^}]*)\}$/;
/** Placeholder names other than pointers. */
export const NAMED_PLACEHOLDERS = ['body', 'call.id', 'participant.id', 'joinUrl', 'auth.appId', 'auth.tenantId', 'auth.clientSecret', 'callbackUri'] as const;
/** The names a start.env value may use: the profile's own fields. */
export const PROFILE_PLACEHOLDERS = ['auth.appId', 'auth.tenantId', 'auth.clientSecret', 'callbackUri'] as const;

/** A value a template names that the run does not have (a pointer to nothing, a meeting with no join URL). */
export interface MissingValue {
  placeholder: string;
}

/** Expands a template; `missing` lists the placeholders that had no value (left empty). */
export function expandTemplate(template: unknown, values: TemplateValues, encode: (text: string) => string = (t) => t): { value: unknown; missing: MissingValue[] } {
  const missing: MissingValue[] = [];
  const lookup = (name: string): unknown => {
    const found = valueOf(name, values);
    if (found === undefined) missing.push({ placeholder: name });
    return found;
  };
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const whole = WHOLE.exec(node);
      if (whole) return lookup(whole[1]!) ?? '';
      return node.replace(PLACEHOLDER, (_all, name: string) => encode(asText(lookup(name))));
    }
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    return node;
  };
  return { value: walk(template), missing };
}

/** The placeholders in a template's strings, each with the path of the string it is in. */
export function placeholdersOf(template: unknown, path: Array<string | number> = []): Array<{ name: string; path: Array<string | number> }> {
  if (typeof template === 'string') return [...template.matchAll(PLACEHOLDER)].map((m) => ({ name: m[1]!, path }));
  if (Array.isArray(template)) return template.flatMap((v, i) => placeholdersOf(v, [...path, i]));
  if (template !== null && typeof template === 'object') return Object.entries(template).flatMap(([k, v]) => placeholdersOf(v, [...path, k]));
  return [];
}

/** What is wrong with a placeholder's name, or undefined when it is one a template may use. */
export function placeholderProblem(name: string, allowed: readonly string[] = NAMED_PLACEHOLDERS): { message: string; hint: string } | undefined {
  if (name.startsWith('/') || name === '') {
    if (!allowed.includes('body')) return { message: `\${${name}}: a JSON pointer has no control body to read here`, hint: `use one of ${allowed.map((n) => `\${${n}}`).join(', ')}` };
    return /~[^01]|~$/.test(name) || name === '' ? { message: `\${${name}} is not a JSON pointer`, hint: 'a pointer starts with / and escapes ~ as ~0 and / as ~1 (RFC 6901), e.g. ${/chatInfo/threadId}' } : undefined;
  }
  if (allowed.includes(name)) return undefined;
  return { message: `unknown placeholder \${${name}}`, hint: `use one of ${allowed.map((n) => `\${${n}}`).join(', ')}${allowed.includes('body') ? ', or a JSON pointer into the control body such as ${/chatInfo/threadId}' : ''} (\${env:NAME} reads the environment)` };
}

/** Reads an RFC 6901 JSON pointer; undefined when it points at nothing. */
export function readPointer(document: unknown, pointer: string): unknown {
  if (pointer === '') return document;
  let node = document;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
    if (node === undefined) return undefined;
  }
  return node;
}

function valueOf(name: string, values: TemplateValues): unknown {
  if (name.startsWith('/')) return readPointer(values.body, name);
  switch (name) {
    case 'body': return values.body;
    case 'call.id': return values.callId;
    case 'participant.id': return values.participantId;
    case 'joinUrl': return values.joinUrl;
    default: return values.profile[name];
  }
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
