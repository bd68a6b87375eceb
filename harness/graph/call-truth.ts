/**
 * What Graph holds about the run's call: the resource it created (the 201 body or the incoming
 * call's resourceData), updated by every call notification the harness delivered. The fake Graph
 * answers `GET /communications/calls/{id}` with it.
 */
export type CallResource = Record<string, unknown>;

/** The call resource after Graph answered a create request with `body`. */
export function truthFromCreated(body: unknown): CallResource | undefined {
  return isObject(body) ? { ...body } : undefined;
}

/** The call resource after a delivered notification batch: call-level items merge into it. */
export function applyNotificationToTruth(truth: CallResource | undefined, notification: unknown, callId: string): CallResource | undefined {
  const items = isObject(notification) && Array.isArray(notification.value) ? notification.value : [];
  let next = truth;
  for (const item of items) {
    if (!isObject(item)) continue;
    const url = String(item.resourceUrl ?? item.resource ?? '').replace(/^\//, '');
    if (!new RegExp(`^(communications|app)/calls/${callId}$`, 'i').test(url) || !isObject(item.resourceData)) continue;
    const { '@odata.type': _type, '@odata.id': _id, '@odata.etag': _etag, ...changes } = item.resourceData;
    next = { '@odata.type': '#microsoft.graph.call', ...next, ...changes, id: callId };
    if (item.changeType === 'deleted' && next.state === undefined) next.state = 'terminated';
  }
  return next;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
