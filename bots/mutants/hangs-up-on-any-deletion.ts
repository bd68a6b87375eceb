/**
 * Mutant: takes every `deleted` notification for the end of the call.
 *
 * The real defect: `if (notification.changeType === 'deleted') endCall()`, without looking at what
 * was deleted. 001 ends a content sharing session with a `deleted` notification about
 * …/contentsharingsessions/{id}; this bot then believes the call itself is over, while it goes on.
 */
import { referenceBehaviour } from '../reference/behaviour.js';
import type { ParsedBody } from '../reference/parse-notifications.js';
import { runMutant } from '../reference/run-mutant.js';

function parseEveryDeletionAsTheCall(body: unknown): ParsedBody {
  const parsed = referenceBehaviour.parseNotifications(body);
  if (!parsed.ok) return parsed;
  return { ...parsed, notifications: parsed.notifications.map((n) => (n.changeType === 'deleted' ? { ...n, resource: { kind: 'call' as const } } : n)) };
}

await runMutant('hangs-up-on-any-deletion', { parseNotifications: parseEveryDeletionAsTheCall });
