/**
 * Documented variants of the same notification: shapes the documents themselves show for one
 * meaning. A conforming bot behaves the same under each (DESIGN.md principle: every payload is a
 * recording, or derived from one by a documented variant). Each is a pure function of a body.
 */
export interface PayloadVariant {
  id: string;
  /** Where the documents show this shape. */
  because: string;
  apply(body: unknown): unknown;
  /** Deliver each run of notifications between two barriers as one POST, their items in one `value[]`. */
  batched?: boolean;
}

type Item = Record<string, unknown>;

/** Applies `change` to each item of a `commsNotifications` body. */
function eachItem(body: unknown, change: (item: Item) => Item): unknown {
  if (!isObject(body) || !Array.isArray(body.value)) return body;
  return { ...body, value: body.value.map((item) => (isObject(item) ? change(item) : item)) };
}

/** Applies `change` to each resultInfo found in resourceData. */
function eachResultInfo(body: unknown, change: (info: Item) => Item): unknown {
  return eachItem(body, (item) => {
    const data = item.resourceData;
    if (!isObject(data) || !isObject(data.resultInfo)) return item;
    return { ...item, resourceData: { ...data, resultInfo: change(data.resultInfo) } };
  });
}

export const PAYLOAD_VARIANTS: PayloadVariant[] = [
  {
    id: 'resource-url-slash',
    because: 'resourceUrl appears with a leading slash (003, 001) and without one (000 hold music notification)',
    apply: (body) => eachItem(body, (item) => (typeof item.resourceUrl === 'string' ? { ...item, resourceUrl: item.resourceUrl.startsWith('/') ? item.resourceUrl.slice(1) : `/${item.resourceUrl}` } : item)),
  },
  {
    id: 'deprecated-resource',
    because: 'the deprecated "resource": "/app/calls/..." stands beside resourceUrl (001 delta roster; call-answer.md Example 3)',
    apply: (body) => eachItem(body, (item) => (typeof item.resourceUrl === 'string' && item.resource === undefined ? { ...item, resource: `/app/${item.resourceUrl.replace(/^\/?communications\//, '')}` } : item)),
  },
  {
    id: 'codes-as-strings',
    because: 'call-delete.md terminated example: "code": "200", "subcode": "5001" as strings; numbers elsewhere',
    apply: (body) => eachResultInfo(body, (info) => Object.fromEntries(Object.entries(info).map(([k, v]) => [k, typeof v === 'number' && /^sub[cC]ode$|^code$/.test(k) ? String(v) : v]))),
  },
  {
    id: 'subcode-casing',
    because: '003 transfer: "subcode" in the completion example, "subCode" in the failure examples',
    apply: (body) =>
      eachResultInfo(body, (info) => {
        const { subcode, subCode, ...rest } = info;
        if (subcode !== undefined) return { ...rest, subCode: subcode };
        if (subCode !== undefined) return { ...rest, subcode: subCode };
        return info;
      }),
  },
  {
    id: 'unknown-members',
    because: 'commsNotification and call are OpenType: the documents show members outside the schema (terminationReason, callbackUri, replacesContext)',
    apply: (body) =>
      eachItem(body, (item) => ({
        ...item,
        confcallUnknownMember: { note: 'a member no schema names' },
        ...(isObject(item.resourceData) ? { resourceData: { ...item.resourceData, confcallUnknownMember: 42 } } : {}),
      })),
  },
  {
    id: 'unknown-enum-values',
    because: 'Graph enums are evolvable: the metadata lists unknownFutureValue, so a value the bot does not know can appear',
    apply: (body) => eachItem(body, (item) => (isObject(item.resourceData) ? { ...item, resourceData: { ...item.resourceData, mediaState: { audio: 'unknownFutureValue' } } } : item)),
  },
  {
    id: 'resource-data-collection',
    because:
      'commsnotification.md: resourceData "is either an entity or a collection of entities depending on the number of changes packaged in the notification"; the documents show a collection only for participants and content sharing sessions (001 roster and content-sharing notifications), so only those are wrapped: no document shows a call or an operation as a collection',
    apply: (body) => eachItem(body, (item) => (isObject(item.resourceData) && showsCollection(item) ? { ...item, resourceData: [item.resourceData] } : item)),
  },
  {
    id: 'batched',
    because:
      'commsNotifications.value is a collection: several notifications come in one POST (graph-calling.md PART 8 S20: "multiple notifications in one value[] (e.g. operation completion + call update) ... PASS: processes all items in order")',
    batched: true,
    apply: (body) => body,
  },
  {
    id: 'unknown-call-beside',
    because: 'a callback URL receives notifications for calls this instance does not know (graph-calling.md PART 5); they are answered 2xx and ignored',
    apply: (body) => {
      if (!isObject(body) || !Array.isArray(body.value) || !isObject(body.value[0])) return body;
      const stranger = JSON.parse(JSON.stringify(body.value[0]).replace(/calls\/[0-9A-Za-z-]{8,}/g, 'calls/0c0ffee0-0000-4000-8000-00000000dead').replace(/"id":"[0-9A-Za-z-]{8,}"/, '"id":"0c0ffee0-0000-4000-8000-00000000dead"'));
      return { ...body, value: [stranger, ...body.value] };
    },
  },
];

/** Resources the documents show with a collection as resourceData: participants and content sharing sessions. */
function showsCollection(item: Item): boolean {
  return /\/(participants|contentSharingSessions)(\/|$)/i.test(String(item.resourceUrl ?? item.resource ?? ''));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Adds the deprecated `resource` beside `resourceUrl`, as production Graph still sends it. For bots
 * run with their production code (in-process, `start.intercept`), which may read either member.
 */
export function withDeprecatedResource(body: unknown): unknown {
  return PAYLOAD_VARIANTS.find((v) => v.id === 'deprecated-resource')!.apply(body);
}
