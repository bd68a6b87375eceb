/**
 * Mutant: takes a notification whose `@odata.etag` it has seen already for a call for a redelivery, and drops it.
 *
 * The real defect: at-least-once delivery handled with an idempotency key the bot believes is a
 * version, `@odata.etag`. Graph does not change it with the call's state: call-answer.md's incoming,
 * establishing and established notifications all carry `"@odata.etag": "W/\"5445\""`
 * (graph-calling.md Q16: "identical @odata.etag across successive state notifications (not a
 * version counter)"). This bot answers the call, then drops establishing and established as
 * redeliveries: the call never becomes established for it.
 */
import { referenceBehaviour } from '../reference/behaviour.js';
import type { BotBehaviour } from '../reference/behaviour.js';
import { isRecord } from '../reference/json.js';
import { runMutant } from '../reference/run-mutant.js';

/** `callId etag` of every call notification applied so far (each run's call id is fresh). */
const seen = new Set<string>();

const etagOf = (data: unknown): string | undefined => (isRecord(data) && typeof data['@odata.etag'] === 'string' ? data['@odata.etag'] : undefined);

const dropSeenEtags: BotBehaviour['parseNotifications'] = (body) => {
  const parsed = referenceBehaviour.parseNotifications(body);
  if (!parsed.ok) return parsed;
  const fresh = parsed.notifications.filter((n) => {
    const etag = n.resource.kind === 'call' ? etagOf(n.resourceData[0]) : undefined;
    if (etag === undefined) return true;
    const key = `${n.callId} ${etag}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { ...parsed, notifications: fresh };
};

await runMutant('dedupes-by-etag', { parseNotifications: dropSeenEtags });
