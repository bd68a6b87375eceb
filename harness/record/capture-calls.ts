import { callIdOfPath, parseGraphPath } from '../graph/graph-paths.js';
import type { CapturedExchange } from '../model/capture.js';

/** The exchanges about one call (or about calls tied together, as by a consultative transfer), in order. */
export interface CapturedCall {
  /** The call the scenario is about (not a stranger's call named beside it). */
  callId: string;
  callIds: string[];
  exchanges: CapturedExchange[];
}

/**
 * Splits a capture by call: each call becomes one scenario. An exchange that names two calls
 * (replacesCallId, a notification about both) ties them together, unless one of them is tied to
 * many calls: such a "hub" (a call id that recurs beside call after call, as a stranger's
 * notification does) is noise beside each call, not the link of one scenario. An exchange that
 * names only a hub goes with the call last seen beside it. Exchanges that name no call are returned
 * apart, so the caller can say they were left out.
 */
export function splitByCall(captured: readonly CapturedExchange[]): { calls: CapturedCall[]; unattached: CapturedExchange[] } {
  const named = captured.map((exchange) => ({ exchange, ids: callIdsOf(exchange) }));
  const hubs = hubIds(named.map((n) => n.ids));

  const parent = new Map<string, string>();
  const find = (id: string): string => {
    if (!parent.has(id)) parent.set(id, id);
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root)!;
    return root;
  };
  for (const { ids } of named) {
    const linked = ids.filter((id) => !hubs.has(id));
    for (const id of linked.slice(1)) parent.set(find(id), find(linked[0]!));
  }

  const byRoot = new Map<string, CapturedCall>();
  const hubCompany = new Map<string, string>(); // hub id → root of the call last seen beside it
  const unattached: CapturedExchange[] = [];
  for (const { exchange, ids } of named) {
    const own = ids.find((id) => !hubs.has(id));
    const root = own !== undefined ? find(own) : ids.map((id) => hubCompany.get(id)).find((r) => r !== undefined) ?? (ids[0] === undefined ? undefined : find(ids[0]));
    if (root === undefined) {
      unattached.push(exchange);
      continue;
    }
    for (const id of ids) if (hubs.has(id) && own !== undefined) hubCompany.set(id, root);
    const call = byRoot.get(root) ?? { callId: root, callIds: [], exchanges: [] };
    byRoot.set(root, call);
    for (const id of ids) if (!call.callIds.includes(id)) call.callIds.push(id);
    call.exchanges.push(exchange);
  }
  return { calls: [...byRoot.values()], unattached };
}

/** Call ids named beside more than one other call: not links between two calls. */
function hubIds(idLists: string[][]): Set<string> {
  const partners = new Map<string, Set<string>>();
  for (const ids of idLists) {
    for (const id of ids) {
      const set = partners.get(id) ?? new Set<string>();
      partners.set(id, set);
      for (const other of ids) if (other !== id) set.add(other);
    }
  }
  return new Set([...partners].filter(([, set]) => set.size > 1).map(([id]) => id));
}

/** The call ids an exchange is about, lower-cased (Graph ids are case-insensitive). */
export function callIdsOf(exchange: CapturedExchange): string[] {
  const ids = new Set<string>();
  const add = (id: unknown): void => void (typeof id === 'string' && id && ids.add(id.toLowerCase()));
  if (exchange.type === 'graph') {
    const path = parseGraphPath(exchange.rawPath)?.path;
    add(path && callIdOfPath(path));
    if (exchange.method === 'POST' && path === '/communications/calls') add((exchange.responseBody as { id?: unknown } | undefined)?.id);
    add((exchange.body as { replacesCallId?: unknown } | undefined)?.replacesCallId);
  } else if (exchange.type === 'notification') {
    for (const item of ((exchange.body as { value?: unknown[] } | undefined)?.value ?? []) as Array<Record<string, unknown>>) {
      const resource = String(item?.resourceUrl ?? item?.resource ?? '');
      add(/calls\/([^/?]+)/.exec(resource)?.[1]);
    }
  } else {
    add(/^\/calls\/([^/?]+)/.exec(exchange.path)?.[1]);
    if (exchange.method === 'POST' && /^\/calls\/?$/.test(exchange.path)) add((exchange.responseBody as { callId?: unknown } | undefined)?.callId);
  }
  return [...ids];
}
