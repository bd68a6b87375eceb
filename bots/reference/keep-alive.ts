/**
 * keepAlive (call-keepalive.md): "Make a request to this API every 15 to 45 minutes to ensure that
 * an ongoing call remains active. A call that does not receive this request within 45 minutes is
 * considered inactive and will subsequently end." Pure functions only; the requests are made by
 * call-keep-alive.ts.
 */
import type { CallRecord } from './model.js';

/** How often the bot keeps its calls alive: the page recommends every 15 minutes. */
export const KEEP_ALIVE_EVERY_MS = 15 * 60_000;

/** Does this call need keepAlive? One Graph has set up (not incoming any more) and not over. */
export function needsKeepAlive(call: CallRecord): boolean {
  return call.status.state !== 'incoming' && call.status.state !== 'terminated';
}

/**
 * The call after Graph answered its keepAlive. call-keepalive.md: "Attempting to send a request to
 * a call that has already ended will result in a `404 Not-Found` error. The resources related to the
 * call should be cleaned up on the application side." Graph may end a call without a notification
 * the bot saw (a keepAlive timeout, a lost `deleted`): the 404 is how the bot learns it, and it
 * treats the call as terminated, so it makes no further request about it.
 */
export function callAfterKeepAlive(call: CallRecord, graphStatus: number): CallRecord {
  return graphStatus === 404 ? { ...call, status: { ...call.status, state: 'terminated' } } : call;
}
