/**
 * Turns a notification POST body into a list of Notifications, tolerating every variant the
 * documents show: `resourceUrl` with or without its leading slash (000's operation notification
 * has none), the deprecated `resource` (`/app/calls/...`) beside or instead of `resourceUrl`,
 * `resourceData` as an object or an array, several items in one `value[]` batch, and unknown
 * extra members (commsNotification is an open type).
 */
import type { ChangeType } from './model.js';
import { isRecord, readString } from './json.js';

/** What a notification is about, below `/communications/calls/{callId}`. */
export type ResourceKind =
  | { kind: 'call' } // the call itself
  | { kind: 'participants' } // the roster
  | { kind: 'operation'; operationId: string } // e.g. a startHoldMusicOperation finishing
  | { kind: 'other'; path: string }; // e.g. contentsharingsessions

export interface Notification {
  changeType: ChangeType;
  callId: string;
  resource: ResourceKind;
  /**
   * Always a list. commsNotification: "resourceData ... is either an entity or a collection of
   * entities depending on the number of changes packaged in the notification."
   */
  resourceData: unknown[];
}

export type ParsedBody =
  | { ok: true; notifications: Notification[]; skipped: string[] }
  | { ok: false; reason: string };

const CHANGE_TYPES: readonly ChangeType[] = ['created', 'updated', 'deleted'];

export function parseNotifications(body: unknown): ParsedBody {
  if (!isRecord(body)) return { ok: false, reason: 'the body is not a JSON object' };
  // A commsNotifications batch; a bare commsNotification is accepted as a batch of one.
  const items = Array.isArray(body.value) ? body.value : 'changeType' in body ? [body] : undefined;
  if (items === undefined) return { ok: false, reason: 'the body has no "value" array of notifications' };

  const notifications: Notification[] = [];
  const skipped: string[] = [];
  items.forEach((item, index) => {
    const parsed = parseNotification(item);
    if (typeof parsed === 'string') skipped.push(`value[${index}]: ${parsed}`);
    else notifications.push(parsed);
  });
  return { ok: true, notifications, skipped };
}

/** One item of `value[]`, or why it was skipped. */
function parseNotification(item: unknown): Notification | string {
  if (!isRecord(item)) return 'not an object';
  const changeType = CHANGE_TYPES.find((c) => c === readString(item.changeType)?.toLowerCase());
  if (changeType === undefined) return `unknown changeType ${JSON.stringify(item.changeType)}`;
  const target = [item.resourceUrl, item.resource]
    .map((url) => (typeof url === 'string' ? parseResourceUrl(url) : undefined))
    .find((parsed) => parsed !== undefined);
  if (target === undefined) return 'no resourceUrl or resource naming a call';
  const data = item.resourceData;
  const resourceData = Array.isArray(data) ? data : data === undefined || data === null ? [] : [data];
  return { changeType, ...target, resourceData };
}

/**
 * `/communications/calls/{id}[/...]`, `communications/calls/{id}` or `/app/calls/{id}`
 * (an absolute URL is accepted too).
 */
export function parseResourceUrl(url: string): Pick<Notification, 'callId' | 'resource'> | undefined {
  const path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').split(/[?#]/)[0] ?? '';
  const segments = path.split('/').filter((segment) => segment !== '');
  const calls = segments.findIndex(
    (segment, i) => segment.toLowerCase() === 'calls' && /^(communications|app)$/i.test(segments[i - 1] ?? ''),
  );
  const callId = segments[calls + 1];
  if (calls < 0 || callId === undefined) return undefined;
  const rest = segments.slice(calls + 2);
  return { callId: decodeSegment(callId), resource: resourceKind(rest) };
}

function resourceKind(rest: string[]): ResourceKind {
  const [collection, id, ...more] = rest.map((segment) => segment.toLowerCase());
  if (collection === undefined) return { kind: 'call' };
  if (collection === 'participants' && id === undefined) return { kind: 'participants' };
  if (collection === 'operations' && id !== undefined && more.length === 0) {
    return { kind: 'operation', operationId: decodeSegment(rest[1] ?? '') };
  }
  return { kind: 'other', path: rest.join('/') };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
