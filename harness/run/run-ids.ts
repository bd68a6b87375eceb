import { randomUUID } from 'node:crypto';

/**
 * Recorded ids → the run's fresh ids. Every call id a scenario's recordings use for "the call"
 * becomes the run's one call id (the documents' examples disagree on call ids: a document
 * artefact, one call); every other participant, operation or call id gets a fresh id of its own.
 * Identity ids (users, applications) are people and apps, not per-run resources: they stay.
 */
export interface RunIds {
  callId: string;
  /** recorded id → fresh id */
  map: Map<string, string>;
}

const CALL_IN_PATH = /calls\/([0-9A-Za-z-]{8,})/g;
const RESOURCE_IN_PATH = /(?:participants|operations)\/([0-9A-Za-z-]{8,})/g;
/** Keys whose values are per-run resource ids (not identities). */
const OTHER_ID_KEYS = new Set(['myParticipantId', 'replacesCallId', 'sourceParticipantId', 'observedParticipantId', 'participantId']);
/** `@odata.type`s whose `id` is a per-run resource id. */
const RESOURCE_TYPES = /#microsoft\.graph\.(participant|[a-zA-Z]*Operation)$/;

/** The recorded ids in a scenario's payloads and paths: those that stand for its call, and the others. */
export interface RecordedIds {
  callIds: Set<string>;
  otherIds: Set<string>;
}

/** Collects the recorded ids in a scenario's payloads and paths, and maps them to fresh ones. */
export function createRunIds(payloads: unknown[], fresh: () => string = randomUUID): RunIds {
  return freshRunIds(recordedIdsOf(payloads), fresh);
}

/** Collects the recorded ids in payloads and paths (the same for every run of a scenario: worth keeping). */
export function recordedIdsOf(payloads: unknown[]): RecordedIds {
  const callIds = new Set<string>();
  const otherIds = new Set<string>();
  const visit = (value: unknown, parent?: Record<string, unknown>, key?: string): void => {
    if (typeof value === 'string') {
      for (const m of value.matchAll(CALL_IN_PATH)) callIds.add(m[1]!);
      for (const m of value.matchAll(RESOURCE_IN_PATH)) otherIds.add(m[1]!);
      if (key && OTHER_ID_KEYS.has(key)) otherIds.add(value);
      if (key === 'id' && parent) {
        const type = String(parent['@odata.type'] ?? '');
        if (type === '#microsoft.graph.call') callIds.add(value);
        else if (RESOURCE_TYPES.test(type)) otherIds.add(value);
      }
      return;
    }
    if (Array.isArray(value)) return value.forEach((v) => visit(v));
    if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, value as Record<string, unknown>, k);
    }
  };
  payloads.forEach((p) => visit(p));
  return { callIds, otherIds };
}

/** Maps recorded ids to a run's fresh ones: every call id to the run's one call id, each other id to its own. */
export function freshRunIds({ callIds, otherIds }: RecordedIds, fresh: () => string = randomUUID): RunIds {
  const callId = fresh();
  const map = new Map<string, string>();
  for (const id of callIds) map.set(id, callId);
  for (const id of otherIds) if (!map.has(id)) map.set(id, fresh());
  return { callId, map };
}

/** Replaces recorded ids (whole strings, or inside paths and URLs) and `{call.id}` templates. */
export function substituteIds<T>(value: T, ids: RunIds): T {
  return substitute(value, ids) as T;
}

function substitute(value: unknown, ids: RunIds): unknown {
  if (typeof value === 'string') return substituteString(value, ids);
  if (Array.isArray(value)) return value.map((v) => substitute(v, ids));
  if (value && typeof value === 'object') {
    // A plain loop: this runs for every payload of every schedule run, and entry arrays cost.
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const mapped = substitute((value as Record<string, unknown>)[key], ids);
      if (key === '__proto__') Object.defineProperty(out, key, { value: mapped, enumerable: true, writable: true, configurable: true });
      else out[key] = mapped;
    }
    return out;
  }
  return value;
}

function substituteString(text: string, ids: RunIds): string {
  const whole = ids.map.get(text);
  if (whole) return whole;
  let out = text.replaceAll('{call.id}', ids.callId);
  if (!out.includes('/')) return out;
  return out.replace(/[0-9A-Za-z-]{8,}/g, (token) => ids.map.get(token) ?? token);
}

/** Fresh id → the recorded id it stands for (the run's call stands for the first recorded call id). */
export function reverseIds(ids: RunIds): Map<string, string> {
  const out = new Map<string, string>([[ids.callId, '{call.id}'], [ids.callId.toLowerCase(), '{call.id}']]);
  for (const [recorded, fresh] of ids.map) if (fresh !== ids.callId) out.set(fresh, recorded);
  return out;
}
