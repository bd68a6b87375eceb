/**
 * Checks the bodies of the requests a bot sends to the fake Graph against the JSON Schemas generated
 * from the Graph v1.0 CSDL (`harness/schema/graph/`, written by `scripts/generate-graph-schemas.ts`).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { packageRoot } from '../load/package-root.js';

/** What a request's path is bound to: the calls collection, a call, a participant, or the participants collection. */
type Binding = 'calls' | 'call' | 'participant' | 'participants';

/** Each request a bot can send, its schema file, and the resources it is addressed to (from the CSDL's bound actions). */
const REQUESTS = {
  createCall: { file: 'create-call.schema.json', boundTo: ['calls'] },
  addLargeGalleryView: { file: 'add-large-gallery-view.schema.json', boundTo: ['call'] },
  answer: { file: 'answer.schema.json', boundTo: ['call'] },
  cancelMediaProcessing: { file: 'cancel-media-processing.schema.json', boundTo: ['call'] },
  changeScreenSharingRole: { file: 'change-screen-sharing-role.schema.json', boundTo: ['call'] },
  invite: { file: 'invite.schema.json', boundTo: ['participants'] },
  keepAlive: { file: 'keep-alive.schema.json', boundTo: ['call'] },
  mute: { file: 'mute.schema.json', boundTo: ['call', 'participant'] },
  playPrompt: { file: 'play-prompt.schema.json', boundTo: ['call'] },
  recordResponse: { file: 'record-response.schema.json', boundTo: ['call'] },
  redirect: { file: 'redirect.schema.json', boundTo: ['call'] },
  reject: { file: 'reject.schema.json', boundTo: ['call'] },
  sendDtmfTones: { file: 'send-dtmf-tones.schema.json', boundTo: ['call'] },
  startHoldMusic: { file: 'start-hold-music.schema.json', boundTo: ['participant'] },
  stopHoldMusic: { file: 'stop-hold-music.schema.json', boundTo: ['participant'] },
  subscribeToTone: { file: 'subscribe-to-tone.schema.json', boundTo: ['call'] },
  transfer: { file: 'transfer.schema.json', boundTo: ['call'] },
  unmute: { file: 'unmute.schema.json', boundTo: ['call'] },
  updateRecordingStatus: { file: 'update-recording-status.schema.json', boundTo: ['call'] },
} as const satisfies Record<string, { file: string; boundTo: readonly Binding[] }>;

/** A request a bot sends to Graph that has a schema: creating a call, or one bound action. */
export type GraphRequestKind = keyof typeof REQUESTS;

/** Every request kind, in a fixed order. */
export const GRAPH_REQUEST_KINDS = Object.keys(REQUESTS) as GraphRequestKind[];

/** One thing wrong with a request body. */
export interface SchemaProblem {
  /** JSON pointer of the offending value, e.g. `/transferTarget/identity`; `` for the body itself. */
  path: string;
  message: string;
}

/** `call:transfer` → `transfer`, with the action name lower-cased: Graph matches URL segments case-insensitively. */
const KIND_BY_ROUTE = new Map<string, GraphRequestKind>(
  GRAPH_REQUEST_KINDS.flatMap((kind) => REQUESTS[kind].boundTo.map((binding) => [`${binding}:${kind.toLowerCase()}`, kind] as const)),
);

/** The schema file of a request kind, inside `harness/schema/graph/`. */
export function graphRequestSchemaFile(kind: GraphRequestKind): string {
  return REQUESTS[kind].file;
}

/** The folder of the generated Graph request schemas, found from the package root (works from source and from `dist/`). */
export function graphSchemaDir(): string {
  return join(packageRoot(), 'harness', 'schema', 'graph');
}

/** Which request a POST is, from its version-less path (`/communications/calls/{id}/answer`); undefined if none has a schema. */
export function graphRequestKindOf(method: string, normalizedPath: string): GraphRequestKind | undefined {
  if (method.toUpperCase() !== 'POST') return undefined;
  const segments = normalizedPath.split('?')[0]!.replace(/\/+$/, '').split('/');
  const [root, communications, calls, callId, ...rest] = segments;
  if (root !== '' || communications?.toLowerCase() !== 'communications' || calls?.toLowerCase() !== 'calls') return undefined;
  if (callId === undefined) return 'createCall';
  if (!callId) return undefined;
  if (rest.length === 1) return routeOf('call', rest[0]!);
  if (rest[0]?.toLowerCase() !== 'participants') return undefined;
  if (rest.length === 2) return routeOf('participants', rest[1]!);
  if (rest.length === 3 && rest[1]) return routeOf('participant', rest[2]!);
  return undefined;
}

function routeOf(binding: Binding, actionSegment: string): GraphRequestKind | undefined {
  // Graph also accepts the namespace-qualified form, `/microsoft.graph.answer`.
  const action = actionSegment.toLowerCase().replace(/^microsoft\.graph\./, '');
  return KIND_BY_ROUTE.get(`${binding}:${action}`);
}

// The validators, one per kind, taken on first use and kept for the process: the build's
// (precompiledGraphValidators) when they were made from these very schemas, else compiled here.
const validators = new Map<GraphRequestKind, ValidateFunction>();
let precompiled: PrecompiledValidators | null | undefined;

/** The options every request schema is compiled with, at build time and at run time alike. */
const AJV_OPTIONS = { allErrors: true, verbose: true, strict: true } as const;
/** The formats the generated schemas use (ajv-formats' full versions). */
const FORMATS = ['date-time', 'uuid'] as const;

/** The build's module: one validator per request kind, and the hash of the schemas it was made from. */
type PrecompiledValidators = Partial<Record<GraphRequestKind, ValidateFunction>> & { schemasSha256?: string };

/**
 * A new ajv with the formats and the definitions loaded; every request schema refers into them.
 * ajv is loaded only here: a run whose validators the build precompiled does not load it at all.
 */
function graphAjv(code?: { source: true; esm: false }): Ajv {
  const require = createRequire(import.meta.url);
  const { Ajv: AjvClass } = require('ajv') as typeof import('ajv');
  // ajv-formats' module.exports is the plugin; it also sets `code.formats` for standalone code,
  // to `require("ajv-formats/dist/formats").fullFormats` (see its index.js).
  const addFormats = require('ajv-formats') as (typeof import('ajv-formats'))['default'];
  const instance = new AjvClass({ ...AJV_OPTIONS, ...(code && { code }) });
  addFormats(instance, [...FORMATS]);
  instance.addSchema(readSchema('definitions.schema.json'));
  return instance;
}

let runtimeAjv: Ajv | undefined;

function readSchema(file: string): object {
  return JSON.parse(readSchemaText(file)) as object;
}

function readSchemaText(file: string): string {
  return readFileSync(join(graphSchemaDir(), file), 'utf8');
}

/** The compiled validator of a request kind (once per process): the build's when it is current, else compiled now. */
export function graphRequestValidator(kind: GraphRequestKind): ValidateFunction {
  let validate = validators.get(kind);
  if (!validate) {
    validate = precompiledGraphValidators()?.[kind] ?? compileGraphRequestValidator(kind);
    validators.set(kind, validate);
  }
  return validate;
}

/** A request kind's validator compiled here (once per process), with the options the build uses (all of them took ~0.3 s of CPU). */
export function compileGraphRequestValidator(kind: GraphRequestKind): ValidateFunction {
  runtimeAjv ??= graphAjv();
  const schema = readSchema(REQUESTS[kind].file) as { $id: string };
  return runtimeAjv.getSchema(schema.$id) ?? runtimeAjv.compile(schema);
}

/** Where the build writes the precompiled validators (found from the sources too, as the self-tests load them). */
export function precompiledGraphValidatorsFile(): string {
  return join(packageRoot(), 'dist', 'harness', 'graph', 'validators', 'graph-requests.cjs');
}

/** The build's validators when they were made from the schemas here now; null when there are none or they are stale. */
export function precompiledGraphValidators(): PrecompiledValidators | null {
  if (precompiled !== undefined) return precompiled;
  try {
    const module = createRequire(import.meta.url)(precompiledGraphValidatorsFile()) as PrecompiledValidators;
    precompiled = module.schemasSha256 === graphSchemasSha256() ? module : null;
  } catch {
    precompiled = null; // not built (running from source), or removed: compile instead
  }
  return precompiled;
}

/**
 * A standalone CommonJS module (ajv's standalone code) exporting every request kind's validator under
 * its kind's name, stamped with the hash of the schemas and options it was made from.
 */
export function standaloneGraphValidators(): string {
  const standaloneCode = createRequire(import.meta.url)('ajv/dist/standalone') as (typeof import('ajv/dist/standalone/index.js'))['default'];
  const ajv = graphAjv({ source: true, esm: false });
  const exports: Record<string, string> = {};
  for (const kind of GRAPH_REQUEST_KINDS) {
    const schema = readSchema(REQUESTS[kind].file) as { $id: string };
    ajv.addSchema(schema);
    exports[kind] = schema.$id;
  }
  return `${standaloneCode(ajv, exports)}\nmodule.exports.schemasSha256 = ${JSON.stringify(graphSchemasSha256())};\n`;
}

/** The hash of everything a validator is made from: the options, the formats, the definitions and every request schema. */
function graphSchemasSha256(): string {
  const hash = createHash('sha256').update(JSON.stringify({ AJV_OPTIONS, FORMATS }));
  for (const file of ['definitions.schema.json', ...GRAPH_REQUEST_KINDS.map((kind) => REQUESTS[kind].file)]) hash.update(`\0${file}\0`).update(readSchemaText(file));
  return hash.digest('hex');
}

/** Every way a request body breaks its schema, worded for the bot's author; empty when it is valid. */
export function validateGraphRequest(kind: GraphRequestKind, body: unknown): SchemaProblem[] {
  const validate = graphRequestValidator(kind);
  // No body at all is an empty parameter set (keepAlive is sent without one); required ones are still caught.
  if (validate(body === undefined ? {} : body)) return [];
  return problemsOf(validate.errors ?? []);
}

/** ajv errors as problems: wrapper noise dropped, one problem per path and message. */
function problemsOf(errors: ErrorObject[]): SchemaProblem[] {
  const seen = new Set<string>();
  const problems: SchemaProblem[] = [];
  for (const error of errors) {
    // An if/then/else only says "must match the then/else schema"; the branch's own errors say why.
    if (error.keyword === 'if') continue;
    const problem = problemOf(error);
    const key = `${problem.path}\u0000${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

function problemOf(error: ErrorObject): SchemaProblem {
  switch (error.keyword) {
    case 'required':
      // Point at the missing member itself, which is where the bot author will look.
      return { path: `${error.instancePath}/${escapePointer(String(error.params.missingProperty))}`, message: 'is required but missing' };
    case 'type':
      return { path: error.instancePath, message: `must be ${String(error.params.type).split(',').join(' or ')}, got ${describe(error.data)}` };
    case 'enum':
      return {
        path: error.instancePath,
        message: `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}; got ${describe(error.data)}`,
      };
    default:
      return { path: error.instancePath, message: `${error.message ?? 'is not valid'}, got ${describe(error.data)}` };
  }
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  const text = JSON.stringify(value) ?? String(value);
  return `${typeof value} ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}
