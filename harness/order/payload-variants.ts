/**
 * Payload variants: other shapes of the same notification. A variant is **documented** only for the
 * resource types where a document shows that shape (each `documentedFor` cites the example); the
 * same shape on another resource type, and a shape no document shows at all, is a **robustness**
 * variant: it still runs, but a bot that fails it gets a warning (a failure only with `--strict`).
 * DESIGN.md principle: every payload is a recording, or derived from one by a documented variant.
 *
 * Sources cited: the four documents (docs/000_…, 001_…, 002_…, 003_… .txt), the research report
 * graph-calling.md (which quotes Graph reference pages: call-answer.md, call-delete.md, …) and the
 * CSDL metadata comms-v1.0.csdl.xml.
 */

/** What a notification item is about: from its resourceUrl (or `resource`), else the `@odata.type` of its resourceData. */
export type ResourceType = 'call' | 'participant' | 'operation' | 'contentSharingSession' | 'unknown';

export const RESOURCE_TYPES: readonly ResourceType[] = ['call', 'participant', 'operation', 'contentSharingSession'];

/** A resource type a variant's shape is documented for, and where a document shows it. */
export interface Documentation {
  resource: ResourceType;
  cite: string;
}

export interface PayloadVariant {
  id: string;
  /** Where the documents show this shape, and for which resource types (or why none does). */
  because: string;
  /** `document`: documented for the resource types of `documentedFor`; `robustness`: documented for none. */
  basis: 'document' | 'robustness';
  documentedFor: Documentation[];
  /** The shape on every item it can reshape, whatever its resource type (see `variantModes` for what a run applies). */
  apply(body: unknown): unknown;
  /** Variants of one item: that item reshaped. Absent for variants of the envelope (they reshape the whole body). */
  shapeItem?: (item: Item) => Item;
  /** Deliver each run of notifications between two barriers as one POST, their items in one `value[]`. */
  batched?: boolean;
}

/** One run of a variant: in documented mode on the items of its documented resource types, in robustness mode on the others. */
export interface VariantMode extends PayloadVariant {
  mode: 'documented' | 'robustness';
  /** The variant's own id (`id` is `<variant>` in documented mode, `<variant> (robustness)` in robustness mode). */
  variantId: string;
}

type Item = Record<string, unknown>;

/**
 * The resource type of one `commsNotification`: `calls/{id}` is the call, `calls/{id}/participants`
 * the roster, `calls/{id}/operations/{id}` an operation, `calls/{id}/contentSharingSessions[/{id}]`
 * a content sharing session; without a URL naming a call, the `@odata.type` of resourceData (of its
 * first entity when it is a collection) decides. Pure.
 */
export function resourceTypeOf(item: unknown): ResourceType {
  if (!isObject(item)) return 'unknown';
  for (const url of [item.resourceUrl, item.resource]) {
    if (typeof url !== 'string') continue;
    const m = /(?:^|\/)(?:communications|app)\/calls\/[^/?#]+(?:\/([^/?#]*))?/i.exec(url);
    if (!m) continue;
    const below = (m[1] ?? '').toLowerCase();
    if (below === '') return 'call';
    if (below === 'participants') return 'participant';
    if (below === 'operations') return 'operation';
    if (below === 'contentsharingsessions') return 'contentSharingSession';
    return 'unknown';
  }
  const data = Array.isArray(item.resourceData) ? item.resourceData[0] : item.resourceData;
  const type = isObject(data) && typeof data['@odata.type'] === 'string' ? data['@odata.type'].replace(/^#?(microsoft\.graph\.)?/i, '') : '';
  if (/^call$/i.test(type)) return 'call';
  if (/^(participant|deltaParticipants)$/i.test(type)) return 'participant';
  if (/Operation$/i.test(type)) return 'operation';
  if (/^contentSharingSession$/i.test(type)) return 'contentSharingSession';
  return 'unknown';
}

/** Applies `change` to each item of a `commsNotifications` body that `selected` chooses. */
function eachItem(body: unknown, change: (item: Item) => Item, selected: (item: Item) => boolean = () => true): unknown {
  if (!isObject(body) || !Array.isArray(body.value)) return body;
  return { ...body, value: body.value.map((item) => (isObject(item) && selected(item) ? change(item) : item)) };
}

/** Applies `change` to the item's resultInfo in resourceData, if it has one. */
function withResultInfo(item: Item, change: (info: Item) => Item): Item {
  const data = item.resourceData;
  if (!isObject(data) || !isObject(data.resultInfo)) return item;
  return { ...item, resourceData: { ...data, resultInfo: change(data.resultInfo) } };
}

/** A variant that reshapes items one by one. */
function itemVariant(v: Omit<PayloadVariant, 'apply' | 'shapeItem'>, shapeItem: (item: Item) => Item): PayloadVariant {
  return { ...v, shapeItem, apply: (body) => eachItem(body, shapeItem) };
}

const D000 = '000_35fd328c0aa33ff4.txt (startHoldMusic)';
const D001 = '001_07ddc1617f89e2b3.txt (call: create)';
const D003 = '003_d730da5d3fda3166.txt (call: transfer)';
const RESEARCH = 'graph-calling.md PART 1, quoting';
const CSDL = 'comms-v1.0.csdl.xml';

export const PAYLOAD_VARIANTS: PayloadVariant[] = [
  itemVariant(
    {
      id: 'resource-url-slash',
      because:
        'resourceUrl without its leading slash appears only on an operation (000 startHoldMusicOperation completed: "communications/calls/…/operations/…"); operations with one in call-playprompt.md. Every call, roster and content sharing notification of the documents has the slash: without it they are robustness',
      basis: 'document',
      documentedFor: [{ resource: 'operation', cite: `${D000} notification after startHoldMusicOperation completes: "resourceUrl": "communications/calls/…/operations/…" (no slash); ${RESEARCH} call-playprompt.md "Notification - operation completed": "/communications/calls/…/operations/…"` }],
    },
    (item) => (typeof item.resourceUrl === 'string' ? { ...item, resourceUrl: item.resourceUrl.startsWith('/') ? item.resourceUrl.slice(1) : `/${item.resourceUrl}` } : item),
  ),
  itemVariant(
    {
      id: 'deprecated-resource',
      because:
        'the deprecated "resource": "/app/calls/…" beside resourceUrl on a call (call-answer.md Example 3), a roster (001 delta roster) and an operation (participant-invite.md operation completed); no document shows it on a content sharing session: there it is robustness',
      basis: 'document',
      documentedFor: [
        { resource: 'call', cite: `${RESEARCH} call-answer.md Example 3 (policy-based recording incoming): "resource":"/app/calls/e71f0300-…" beside "resourceUrl"` },
        { resource: 'participant', cite: `${D001} delta roster notification (已启用增量名单): "resource": "/app/calls/421f7700-…/participants"` },
        { resource: 'operation', cite: `${RESEARCH} participant-invite.md "Notification - operation completed": "resource":"/app/calls/ab6233a5-…/operations/eec3812a-…"` },
      ],
    },
    (item) => (typeof item.resourceUrl === 'string' && item.resource === undefined ? { ...item, resource: `/app/${item.resourceUrl.replace(/^\/?communications\//, '')}` } : item),
  ),
  itemVariant(
    {
      id: 'codes-as-strings',
      because:
        'resultInfo "code": "200", "subcode": "5001" as strings on a call (call-delete.md terminated example); operations show their resultInfo codes as numbers only (call-playprompt.md, call-record.md, call-cancelmediaprocessing.md): strings there are robustness',
      basis: 'document',
      documentedFor: [{ resource: 'call', cite: `${RESEARCH} call-delete.md "Notification - terminated": "code": "200", "subcode": "5001"` }],
    },
    (item) => withResultInfo(item, (info) => Object.fromEntries(Object.entries(info).map(([k, v]) => [k, typeof v === 'number' && /^sub[cC]ode$|^code$/.test(k) ? String(v) : v]))),
  ),
  itemVariant(
    {
      id: 'subcode-casing',
      because:
        'on a call, "subcode" in the transfer completion and "subCode" in the transfer failures (003, examples 1–5); operations show "subcode" only (call-playprompt.md, call-record.md, call-cancelmediaprocessing.md): "subCode" there is robustness',
      basis: 'document',
      documentedFor: [{ resource: 'call', cite: `${D003} "Уведомление — передача завершена": "subcode": 7015; "Уведомление — сбой передачи": "subCode": 7000 (7700 in the consultative examples)` }],
    },
    (item) =>
      withResultInfo(item, (info) => {
        const { subcode, subCode, ...rest } = info;
        if (subcode !== undefined) return { ...rest, subCode: subcode };
        if (subCode !== undefined) return { ...rest, subcode: subCode };
        return info;
      }),
  ),
  itemVariant(
    {
      id: 'unknown-members',
      because:
        'commsNotification is OpenType and its examples carry members it does not declare (resourceData, "additional data"; callbackUri in 001; resource in participant-invite.md); call and commsOperation are OpenType and examples show members outside their schema (terminationReason and replacesContext in 003, completionReason on a recordOperation). An object resourceData gets the member too; a collection (roster, content sharing) is left as is',
      basis: 'document',
      documentedFor: [
        { resource: 'call', cite: `${D001} establishing/established notifications: "callbackUri" on the commsNotification; ${D003} consultative transfer: "terminationReason": "AppTransferred", "replacesContext" in the call; ${CSDL}: call OpenType="true"` },
        { resource: 'participant', cite: `${D001} roster notification (默认禁用增量名单): "callbackUri" on the commsNotification; ${CSDL}: commsNotification OpenType="true" (resourceData, a collection, is not changed)` },
        { resource: 'operation', cite: `${RESEARCH} participant-invite.md operation completed ("resource" on the commsNotification) and call-cancelmediaprocessing.md ("completionReason" on a recordOperation, not in its schema); ${CSDL}: commsOperation and every operation type OpenType="true"` },
        { resource: 'contentSharingSession', cite: `${D001} content sharing notifications carry resourceData, which commsNotification does not declare (commsnotification.md: "available as additional data"); ${CSDL}: commsNotification OpenType="true" (resourceData, a collection, is not changed)` },
      ],
    },
    (item) => ({
      ...item,
      confcallUnknownMember: { note: 'a member no schema names' },
      ...(isObject(item.resourceData) ? { resourceData: { ...item.resourceData, confcallUnknownMember: 42 } } : {}),
    }),
  ),
  itemVariant(
    {
      id: 'unknown-enum-values',
      because:
        "a call's mediaState.audio is the evolvable enum mediaState, whose members include unknownFutureValue (metadata); no operation type has a mediaState, so on an operation this is an undeclared member, not an enum value: robustness",
      basis: 'document',
      documentedFor: [{ resource: 'call', cite: `${CSDL}: call.mediaState Type="graph.callMediaState", callMediaState.audio Type="graph.mediaState", EnumType mediaState member unknownFutureValue` }],
    },
    (item) => (isObject(item.resourceData) ? { ...item, resourceData: { ...item.resourceData, mediaState: { audio: 'unknownFutureValue' } } } : item),
  ),
  itemVariant(
    {
      id: 'operation-status-casing',
      because:
        'an operation\'s status in the casing the documents do not use there: the examples write "running" and "completed" (000 startHoldMusic, call-playprompt.md), the metadata\'s operationStatus members are NotStarted, Running, Completed, Failed, and participant-invite.md answers "Running" (graph-calling.md Q9). No call, roster or content sharing session has a status: the robustness mode reshapes nothing the documents show',
      basis: 'document',
      documentedFor: [{ resource: 'operation', cite: `${CSDL}: EnumType operationStatus, Member Name="Completed" (NotStarted, Running, Failed); ${D000} "status": "completed"; ${RESEARCH} participant-invite.md response "status": "Running"` }],
    },
    (item) => {
      const data = item.resourceData;
      if (!isObject(data) || typeof data.status !== 'string' || !/^(notStarted|running|completed|failed)$/i.test(data.status)) return item;
      const first = data.status[0]!;
      const status = (first === first.toLowerCase() ? first.toUpperCase() : first.toLowerCase()) + data.status.slice(1);
      return { ...item, resourceData: { ...data, status } };
    },
  ),
  itemVariant(
    {
      id: 'resource-data-collection',
      because:
        'resourceData as a collection on rosters and content sharing sessions (001 roster and content-sharing notifications); commsnotification.md\'s "either an entity or a collection of entities" is generic, and no document shows a call or an operation as a collection: wrapping theirs is robustness',
      basis: 'document',
      documentedFor: [
        { resource: 'participant', cite: `${D001} roster notifications: "resourceUrl": "…/participants", "resourceData": [ participant, … ]; ${RESEARCH} call-mute.md roster updated` },
        { resource: 'contentSharingSession', cite: `${D001} content sharing started/updated/ended: "resourceUrl": "…/contentsharingsessions", "resourceData": [ contentSharingSession ]` },
      ],
    },
    (item) => (isObject(item.resourceData) ? { ...item, resourceData: [item.resourceData] } : item),
  ),
  {
    id: 'batched',
    because:
      'commsNotifications.value is Collection(graph.commsNotification) in the metadata, for notifications of any resource: several come in one POST (graph-calling.md PART 8 S20, research\'s own scenario: "multiple notifications in one value[] … PASS: processes all items in order")',
    basis: 'document',
    documentedFor: RESOURCE_TYPES.map((resource) => ({ resource, cite: `${CSDL}: ComplexType commsNotifications, Property value Type="Collection(graph.commsNotification)"` })),
    batched: true,
    apply: (body) => body,
  },
  {
    id: 'unknown-call-beside',
    because:
      'no document or Graph reference example shows a notification for a call the bot does not hold; field reports do (graph-calling.md PART 5: issues #297, #61, where the official SDK answers 400): robustness, answered 2xx and ignored',
    basis: 'robustness',
    documentedFor: [],
    apply: (body) => {
      if (!isObject(body) || !Array.isArray(body.value) || !isObject(body.value[0])) return body;
      const stranger = JSON.parse(JSON.stringify(body.value[0]).replace(/calls\/[0-9A-Za-z-]{8,}/g, 'calls/0c0ffee0-0000-4000-8000-00000000dead').replace(/"id":"[0-9A-Za-z-]{8,}"/, '"id":"0c0ffee0-0000-4000-8000-00000000dead"'));
      return { ...body, value: [stranger, ...body.value] };
    },
  },
];

/** Whether the variant's shape is documented for the item's resource type. */
export function documentedOn(variant: PayloadVariant, item: unknown): boolean {
  const type = resourceTypeOf(item);
  return variant.documentedFor.some((d) => d.resource === type);
}

/**
 * The runs of a variant: documented mode (its shape on the items of the resource types it is
 * documented for) and robustness mode (on every other item). A variant of the envelope is wholly
 * one or the other. A mode that could reshape nothing is left out.
 */
export function variantModes(variant: PayloadVariant): VariantMode[] {
  const { shapeItem } = variant;
  const documentedTypes = variant.documentedFor.map((d) => d.resource).join(', ');
  const modes: VariantMode[] = [];
  if (!shapeItem) {
    const mode = variant.basis === 'document' ? 'documented' : 'robustness';
    modes.push({ ...variant, mode, variantId: variant.id, id: mode === 'documented' ? variant.id : `${variant.id} (robustness)` });
    return modes;
  }
  if (variant.documentedFor.length) {
    modes.push({ ...variant, mode: 'documented', variantId: variant.id, basis: 'document', apply: (body) => eachItem(body, shapeItem, (item) => documentedOn(variant, item)) });
  }
  if (RESOURCE_TYPES.some((t) => !variant.documentedFor.some((d) => d.resource === t))) {
    modes.push({
      ...variant,
      mode: 'robustness',
      variantId: variant.id,
      id: `${variant.id} (robustness)`,
      basis: 'robustness',
      because: `the same shape on resource types no document shows it for (documented only for ${documentedTypes}): ${variant.because}`,
      apply: (body) => eachItem(body, shapeItem, (item) => !documentedOn(variant, item)),
    });
  }
  return modes;
}

/** Every run of every variant, documented modes first. */
export function allVariantModes(): VariantMode[] {
  const modes = PAYLOAD_VARIANTS.flatMap(variantModes);
  return [...modes.filter((m) => m.mode === 'documented'), ...modes.filter((m) => m.mode === 'robustness')];
}

/**
 * The resource types whose items a mode reshapes in these bodies (sorted); `undefined` when the
 * mode reshapes the envelope (batched, unknown-call-beside), which applies to any body.
 */
export function reshapedResources(mode: PayloadVariant, bodies: unknown[]): ResourceType[] | undefined {
  if (!mode.shapeItem) return undefined;
  const types = new Set<ResourceType>();
  for (const body of bodies) {
    if (!isObject(body) || !Array.isArray(body.value)) continue;
    for (const item of body.value) {
      const single = { ...body, value: [item] };
      const shaped = mode.apply(single);
      if (!untouched(single, shaped) && JSON.stringify(shaped) !== JSON.stringify(single)) types.add(resourceTypeOf(item));
    }
  }
  return [...types].sort();
}

/**
 * `shaped` holds the very values of `single` (its item too): the mode left the body as it was. The
 * usual answer for a mode on an item it does not select; it spares serializing both bodies
 * (16 modes on every notification of every variants test).
 */
function untouched(single: Record<string, unknown>, shaped: unknown): boolean {
  if (shaped === single) return true;
  if (!isObject(shaped) || !Array.isArray(shaped.value) || shaped.value.length !== 1 || shaped.value[0] !== (single.value as unknown[])[0]) return false;
  const keys = Object.keys(single);
  return Object.keys(shaped).length === keys.length && keys.every((k) => k === 'value' || shaped[k] === single[k]);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Adds the deprecated `resource` beside `resourceUrl` on every item, as production Graph still sends it. For bots
 * run with their production code (in-process, `start.intercept`), which may read either member.
 */
export function withDeprecatedResource(body: unknown): unknown {
  return PAYLOAD_VARIANTS.find((v) => v.id === 'deprecated-resource')!.apply(body);
}
