/**
 * Generates the JSON Schemas (draft-07) of the requests a calling bot sends to Microsoft Graph, from
 * the Graph v1.0 CSDL extract: `harness/schema/graph/definitions.schema.json` (one definition per
 * calling EnumType / ComplexType / EntityType), `create-call.schema.json`, and one schema per bound
 * action (its parameters). The output is committed; the product never reads the CSDL at run time.
 *
 *   npm run build && node dist/scripts/generate-graph-schemas.js [path/to/comms-v1.0.csdl.xml]
 *
 * The default input is `../shared/graph-metadata/comms-v1.0.csdl.xml` relative to the repo root.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { packageRoot } from '../harness/load/package-root.js';

// ---------------------------------------------------------------------------------------------
// The CSDL, as far as request bodies need it

/** A structural property or an action parameter. */
export interface CsdlProperty {
  name: string;
  /** As written: `Edm.String`, `graph.identitySet`, `Collection(graph.modality)`, ... */
  type: string;
  nullable: boolean;
}

export interface CsdlEnum {
  kind: 'EnumType';
  name: string;
  members: string[];
  isFlags: boolean;
}

export interface CsdlStructured {
  kind: 'ComplexType' | 'EntityType';
  name: string;
  baseType?: string;
  abstract: boolean;
  openType: boolean;
  properties: CsdlProperty[];
}

export interface CsdlAction {
  name: string;
  /** The binding parameter's type: `graph.call`, `graph.participant`, `Collection(graph.participant)`. */
  bindingType: string;
  parameters: CsdlProperty[];
}

export interface CsdlModel {
  /** By unqualified name, all in the `microsoft.graph` namespace. */
  types: Map<string, CsdlEnum | CsdlStructured>;
  actions: CsdlAction[];
  /** Declarations the generator ignored, with the reason (see `readCsdl`). */
  ignored: string[];
}

/** One generated file: its name inside `harness/schema/graph/` and its exact text. */
export interface GeneratedFile {
  name: string;
  text: string;
}

type JsonSchema = { [keyword: string]: unknown };

/** Where the generated files live, relative to the repo root. */
export const GRAPH_SCHEMA_FOLDER = join('harness', 'schema', 'graph');
const ID_BASE = 'https://confcall.dev/schema/graph/';
const DEFINITIONS_FILE = 'definitions.schema.json';
const ODATA_TYPE = '@odata.type';
const GENERATED_NOTE =
  'Generated from the Microsoft Graph v1.0 CSDL extract (graph-metadata/comms-v1.0.csdl.xml) by scripts/generate-graph-schemas.ts. ' +
  'Do not edit by hand: change the generator and run `npm run build && npm run generate:graph-schemas`.';

// fast-xml-parser's preserveOrder shape: each element is `{ [tag]: children, ':@'?: attributes }`.
type XmlNode = { [tag: string]: XmlNode[] } & { ':@'?: Record<string, string> };

/**
 * Reads the CSDL extract. The extract flattens declarations of other namespaces
 * (`microsoft.graph.callRecords`, `.search`, `.externalConnectors`) into `microsoft.graph`, after
 * the cloud-communications ones: some re-declare calling names (`modality`, `mediaStream`,
 * `participant`, `identity`, `identitySet`). A declaration that refers to a type of such a
 * sub-namespace belongs there and is ignored; of the rest, the first declaration of a name wins
 * (the second `modality` is callRecords.modality, which refers to nothing).
 */
export function readCsdl(xml: string): CsdlModel {
  const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', ignoreDeclaration: true });
  const document = parser.parse(xml) as XmlNode[];
  const schema = document.find((node) => 'Schema' in node);
  if (!schema) throw new Error('CSDL: no <Schema> element');
  const namespace = schema[':@']?.Namespace;
  if (namespace !== 'microsoft.graph') throw new Error(`CSDL: expected Namespace="microsoft.graph", got ${namespace}`);

  const types = new Map<string, CsdlEnum | CsdlStructured>();
  const actions: CsdlAction[] = [];
  const ignored: string[] = [];
  for (const node of schema.Schema!) {
    const tag = tagOf(node);
    if (tag === 'Action') {
      actions.push(readAction(node));
      continue;
    }
    if (tag !== 'EnumType' && tag !== 'ComplexType' && tag !== 'EntityType') continue;
    const declared = tag === 'EnumType' ? readEnum(node) : readStructured(node, tag);
    const foreign = declared.kind === 'EnumType' ? undefined : foreignReference(declared);
    if (foreign) ignored.push(`${tag} ${declared.name} (refers to ${foreign})`);
    else if (types.has(declared.name)) ignored.push(`${tag} ${declared.name} (declared before)`);
    else types.set(declared.name, declared);
  }
  return { types, actions, ignored };
}

/** The first type of a `microsoft.graph.<sub-namespace>` that a declaration's base or properties refer to. */
function foreignReference(type: CsdlStructured): string | undefined {
  const referenced = [type.baseType, ...type.properties.map((p) => splitCollection(p.type).element)];
  return referenced.find((name) => name !== undefined && /^microsoft\.graph\.[A-Za-z0-9_]+\.[A-Za-z0-9_]+$/.test(name));
}

function tagOf(node: XmlNode): string | undefined {
  return Object.keys(node).find((key) => key !== ':@' && key !== '#text');
}

function attributesOf(node: XmlNode): Record<string, string> {
  return node[':@'] ?? {};
}

function childrenOf(node: XmlNode, tag: string): XmlNode[] {
  return (node[tagOf(node)!] ?? []).filter((child) => tagOf(child) === tag);
}

function readEnum(node: XmlNode): CsdlEnum {
  const { Name, IsFlags } = attributesOf(node);
  return {
    kind: 'EnumType',
    name: Name!,
    members: childrenOf(node, 'Member').map((m) => attributesOf(m).Name!),
    isFlags: IsFlags === 'true',
  };
}

function readStructured(node: XmlNode, kind: 'ComplexType' | 'EntityType'): CsdlStructured {
  const { Name, BaseType, Abstract, OpenType } = attributesOf(node);
  return {
    kind,
    name: Name!,
    ...(BaseType ? { baseType: BaseType } : {}),
    abstract: Abstract === 'true',
    openType: OpenType === 'true',
    // Navigation properties are links to other resources, never part of a request body.
    properties: childrenOf(node, 'Property').map(readProperty),
  };
}

function readProperty(node: XmlNode): CsdlProperty {
  const { Name, Type, Nullable } = attributesOf(node);
  // CSDL: Nullable defaults to true.
  return { name: Name!, type: Type!, nullable: Nullable !== 'false' };
}

function readAction(node: XmlNode): CsdlAction {
  const { Name, IsBound } = attributesOf(node);
  if (IsBound !== 'true') throw new Error(`CSDL: action ${Name} is not bound; only bound actions are expected in the extract`);
  // The first parameter of a bound action is the resource it is bound to, addressed by the URL.
  const [binding, ...parameters] = childrenOf(node, 'Parameter').map(readProperty);
  return { name: Name!, bindingType: binding!.type, parameters };
}

// ---------------------------------------------------------------------------------------------
// Type references

/** `Collection(graph.x)` → `{ collection: true, element: 'graph.x' }`. */
function splitCollection(type: string): { collection: boolean; element: string } {
  const match = /^Collection\((.+)\)$/.exec(type);
  return match ? { collection: true, element: match[1]! } : { collection: false, element: type };
}

/** `graph.call` / `microsoft.graph.call` → `call`; a type of another namespace → undefined. */
function graphLocalName(qualified: string): string | undefined {
  const match = /^(?:graph|microsoft\.graph)\.([A-Za-z0-9_]+)$/.exec(qualified);
  return match?.[1];
}

/** The `@odata.type` value naming a graph type on the wire. */
export function odataTypeOf(localName: string): string {
  return `#microsoft.graph.${localName}`;
}

/** JSON Schema of each Edm primitive type that calling uses; an unmapped one stops the generator. */
const EDM_SCHEMAS: Record<string, JsonSchema> = {
  'Edm.Binary': { type: 'string' },
  'Edm.Boolean': { type: 'boolean' },
  'Edm.DateTimeOffset': { type: 'string', format: 'date-time' },
  'Edm.Double': { type: 'number' },
  'Edm.Guid': { type: 'string', format: 'uuid' },
  'Edm.Int32': { type: 'integer', minimum: -2147483648, maximum: 2147483647 },
  'Edm.Int64': { type: 'integer' },
  'Edm.String': { type: 'string' },
};

function primitiveSchema(edmType: string, nullable: boolean): JsonSchema {
  const schema = EDM_SCHEMAS[edmType];
  if (!schema) throw new Error(`CSDL: no JSON Schema mapping for ${edmType}; add one to EDM_SCHEMAS`);
  return nullable ? { ...schema, type: [schema.type, 'null'] } : { ...schema };
}

/** How a schema refers to a definition: inside the definitions file, or from a request file. */
type DefinitionRef = (localName: string) => string;
const localRef: DefinitionRef = (name) => `#/definitions/${name}`;
const crossFileRef: DefinitionRef = (name) => `${DEFINITIONS_FILE}#/definitions/${name}`;

/** The schema of a property's or parameter's value. */
function valueSchema(model: CsdlModel, property: CsdlProperty, ref: DefinitionRef): JsonSchema {
  const { collection, element } = splitCollection(property.type);
  if (!collection) return elementSchema(model, element, property.nullable, ref);
  // Nullable applies to the collection value; a null element is never meaningful in a request.
  return { type: property.nullable ? ['array', 'null'] : 'array', items: elementSchema(model, element, false, ref) };
}

function elementSchema(model: CsdlModel, qualified: string, nullable: boolean, ref: DefinitionRef): JsonSchema {
  if (qualified.startsWith('Edm.')) return primitiveSchema(qualified, nullable);
  const name = graphLocalName(qualified);
  if (!name || !model.types.has(name)) return { $comment: `${qualified} is not in the CSDL extract, so its value is not checked.` };
  // In draft-07 `$ref` ignores its siblings, so null is admitted by an if/else around it (this also
  // keeps ajv's errors to the referenced schema's own, unlike anyOf).
  return nullable ? { if: { type: 'null' }, else: { $ref: ref(name) } } : { $ref: ref(name) };
}

// ---------------------------------------------------------------------------------------------
// Definitions

/** The enum's members a request may carry. */
function requestMembers(type: CsdlEnum): string[] {
  // `unknownFutureValue` is Graph's evolvable-enum sentinel ("do not use"), never a value to send.
  return type.members.filter((m) => m !== 'unknownFutureValue');
}

function enumDefinition(type: CsdlEnum): JsonSchema {
  const members = requestMembers(type);
  if (!type.isFlags) return { description: `EnumType graph.${type.name}`, type: 'string', enum: members };
  // A flags enum is sent as comma-separated member names (OData JSON format).
  const one = `(?:${members.join('|')})`;
  return { description: `EnumType graph.${type.name} (flags: comma-separated member names)`, type: 'string', pattern: `^${one}(?:,${one})*$` };
}

/** The type and its ancestors, base first; an ancestor missing from the extract ends the chain. */
function inheritanceChain(model: CsdlModel, type: CsdlStructured): { chain: CsdlStructured[]; missingBase?: string } {
  const chain = [type];
  for (let current = type; current.baseType; ) {
    const base = model.types.get(graphLocalName(current.baseType) ?? '');
    if (!base || base.kind === 'EnumType') return { chain: chain.reverse(), missingBase: current.baseType };
    chain.push(base);
    current = base;
  }
  return { chain: chain.reverse() };
}

/** Every type that derives from `name`, directly or not, sorted by name. */
function descendantsOf(model: CsdlModel, name: string): string[] {
  const found: string[] = [];
  for (const type of model.types.values()) {
    if (type.kind === 'EnumType' || type.name === name) continue;
    if (inheritanceChain(model, type).chain.some((ancestor) => ancestor.name === name)) found.push(type.name);
  }
  return found.sort();
}

/** The properties of the type itself, inherited ones merged in, sorted by name. */
function mergedProperties(chain: CsdlStructured[]): CsdlProperty[] {
  const byName = new Map<string, CsdlProperty>();
  for (const type of chain) for (const property of type.properties) byName.set(property.name, property);
  return [...byName.values()].sort((a, b) => compareNames(a.name, b.name));
}

/** Object schema with the given parameters or properties; Nullable="false" ones are required. */
function objectSchema(model: CsdlModel, properties: CsdlProperty[], ref: DefinitionRef): JsonSchema {
  const schemaProperties: Record<string, JsonSchema> = { [ODATA_TYPE]: { type: 'string' } };
  for (const property of properties) schemaProperties[property.name] = valueSchema(model, property, ref);
  const required = properties.filter((p) => !p.nullable).map((p) => p.name);
  return {
    type: 'object',
    properties: schemaProperties,
    ...(required.length ? { required } : {}),
    // Bots may send beta-only or open-type properties the v1.0 extract does not declare.
    additionalProperties: true,
  };
}

function structuredDescription(type: CsdlStructured, missingBase: string | undefined, derived: string[]): string {
  const traits = [type.abstract && 'abstract', type.openType && 'open type', type.baseType && `base type ${type.baseType}`].filter(Boolean);
  const parts = [`${type.kind} graph.${type.name}${traits.length ? ` (${traits.join(', ')})` : ''}.`];
  if (missingBase) parts.push(`The properties of ${missingBase} are not in the CSDL extract and are not checked.`);
  if (derived.length) {
    parts.push(`A value may be a derived type named by @odata.type (${derived.map(odataTypeOf).join(', ')}); without a known @odata.type it is checked as graph.${type.name}.`);
  }
  return parts.join(' ');
}

/**
 * A structured type's definition. A value of a type with derived types is checked as the derived
 * type its `@odata.type` names (if/then on each, nested so exactly one applies), else as the type itself.
 */
function structuredDefinition(model: CsdlModel, type: CsdlStructured): JsonSchema {
  const { chain, missingBase } = inheritanceChain(model, type);
  const derived = descendantsOf(model, type.name);
  const own = objectSchema(model, mergedProperties(chain), localRef);
  const dispatch = derived.reduceRight<JsonSchema>(
    (otherwise, name) => ({
      if: { type: 'object', required: [ODATA_TYPE], properties: { [ODATA_TYPE]: { const: odataTypeOf(name) } } },
      then: { $ref: localRef(name) },
      else: otherwise,
    }),
    own,
  );
  return { description: structuredDescription(type, missingBase, derived), ...dispatch };
}

/** The definitions file: every enum and structured type of the extract, by name. */
function definitionsFile(model: CsdlModel): JsonSchema {
  const definitions: Record<string, JsonSchema> = {};
  for (const name of [...model.types.keys()].sort(compareNames)) {
    const type = model.types.get(name)!;
    definitions[name] = type.kind === 'EnumType' ? enumDefinition(type) : structuredDefinition(model, type);
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `${ID_BASE}${DEFINITIONS_FILE}`,
    $comment: GENERATED_NOTE,
    title: 'Microsoft Graph v1.0 cloud-communications types',
    definitions,
  };
}

// ---------------------------------------------------------------------------------------------
// Request schemas

/** The URL template a binding type is addressed by. */
function bindingPath(bindingType: string, action: string): string {
  switch (bindingType) {
    case 'graph.call':
    case 'microsoft.graph.call':
      return `/communications/calls/{id}/${action}`;
    case 'graph.participant':
    case 'microsoft.graph.participant':
      return `/communications/calls/{id}/participants/{participantId}/${action}`;
    case 'Collection(graph.participant)':
    case 'Collection(microsoft.graph.participant)':
      return `/communications/calls/{id}/participants/${action}`;
    default:
      throw new Error(`CSDL: action ${action} is bound to ${bindingType}, which has no calling URL here`);
  }
}

/** `startHoldMusic` → `start-hold-music`. */
export function schemaFileOf(kind: string): string {
  return `${kind.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}.schema.json`;
}

function requestFile(kind: string, description: string, body: JsonSchema): GeneratedFile {
  const name = schemaFileOf(kind);
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `${ID_BASE}${name}`,
    $comment: GENERATED_NOTE,
    title: kind,
    description,
    ...body,
  };
  return { name, text: stableJson(schema) };
}

function createCallFile(model: CsdlModel): GeneratedFile {
  if (!model.types.has('call')) throw new Error('CSDL: no EntityType call');
  // allOf, not a bare $ref: draft-07 would ignore the keywords beside a $ref.
  return requestFile('createCall', 'Request body of POST /communications/calls: a graph.call entity.', { allOf: [{ $ref: crossFileRef('call') }] });
}

/** Bound actions by name; overloads (mute on call and on participant) must take the same parameters. */
function actionsByName(model: CsdlModel): Map<string, CsdlAction[]> {
  const byName = new Map<string, CsdlAction[]>();
  for (const action of model.actions) byName.set(action.name, [...(byName.get(action.name) ?? []), action]);
  for (const [name, overloads] of byName) {
    const signatures = new Set(overloads.map((a) => JSON.stringify(a.parameters)));
    if (signatures.size > 1) throw new Error(`CSDL: overloads of ${name} take different parameters; one schema per action cannot describe them`);
  }
  return byName;
}

function actionFile(model: CsdlModel, name: string, overloads: CsdlAction[]): GeneratedFile {
  const paths = overloads.map((a) => `POST ${bindingPath(a.bindingType, name)}`).sort();
  const description = `Request body of ${paths.join(' and of ')}: the parameters of the bound action graph.${name}.`;
  const parameters = [...overloads[0]!.parameters].sort((a, b) => compareNames(a.name, b.name));
  return requestFile(name, description, objectSchema(model, parameters, crossFileRef));
}

/** Every generated file, from the CSDL text; pure, so a test can compare it with the committed files. */
export function generateGraphSchemas(xml: string): GeneratedFile[] {
  const model = readCsdl(xml);
  const files = [{ name: DEFINITIONS_FILE, text: stableJson(definitionsFile(model)) }, createCallFile(model)];
  for (const [name, overloads] of actionsByName(model)) files.push(actionFile(model, name, overloads));
  return files.sort((a, b) => compareNames(a.name, b.name));
}

// ---------------------------------------------------------------------------------------------
// Output

/** Locale-independent ordering, so every machine writes the same bytes. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function stableJson(value: JsonSchema): string {
  // Objects are built in a fixed key order above, so insertion order is the stable order.
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The CSDL extract's default place, beside the repo. */
export function defaultCsdlPath(): string {
  return resolve(packageRoot(), '..', 'shared', 'graph-metadata', 'comms-v1.0.csdl.xml');
}

/** Writes the files, and removes generated files no longer produced (an action dropped from the CSDL). */
function writeGenerated(folder: string, files: GeneratedFile[]): void {
  mkdirSync(folder, { recursive: true });
  const wanted = new Set(files.map((f) => f.name));
  for (const stale of readdirSync(folder).filter((f) => f.endsWith('.schema.json') && !wanted.has(f))) rmSync(join(folder, stale));
  for (const file of files) writeFileSync(join(folder, file.name), file.text);
}

function main(argv: string[]): void {
  const csdlPath = resolve(argv[0] ?? defaultCsdlPath());
  const xml = readFileSync(csdlPath, 'utf8');
  const model = readCsdl(xml);
  const files = generateGraphSchemas(xml);
  const folder = join(packageRoot(), GRAPH_SCHEMA_FOLDER);
  writeGenerated(folder, files);
  console.log(`read ${csdlPath}`);
  if (model.ignored.length) console.log(`ignored declarations of other namespaces or of names declared before: ${model.ignored.join('; ')}`);
  console.log(`wrote ${files.length} files to ${folder}: ${files.map((f) => f.name).join(', ')}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main(process.argv.slice(2));
