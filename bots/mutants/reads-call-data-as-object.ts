/**
 * Mutant: reads a call notification's `resourceData` as one call object, never as a collection.
 *
 * The real defect: `const call = item.resourceData as Call`. Every document shows a call update with
 * one call object (rosters and content sharing sessions come as collections), so this bot breaks no
 * document: an array read as an object has no `state`, and a wrapped incoming call goes unanswered.
 * Only the robustness payload variant `resource-data-collection (robustness)` shows it: a warning,
 * a failure with --strict (`tests/payload-variants.spec.ts`).
 */
import { referenceBehaviour } from '../reference/behaviour.js';
import { isRecord } from '../reference/json.js';
import { parseResourceUrl } from '../reference/parse-notifications.js';
import { runMutant } from '../reference/run-mutant.js';

function callDataAsObjectOnly(body: unknown) {
  if (!isRecord(body) || !Array.isArray(body.value)) return referenceBehaviour.parseNotifications(body);
  const isCall = (item: Record<string, unknown>) => [item.resourceUrl, item.resource].some((url) => typeof url === 'string' && parseResourceUrl(url)?.resource.kind === 'call');
  // The defect: a collection is read as if it were the call object, so none of its members are found.
  const value = body.value.map((item) => (isRecord(item) && Array.isArray(item.resourceData) && isCall(item) ? { ...item, resourceData: {} } : item));
  return referenceBehaviour.parseNotifications({ ...body, value });
}

await runMutant('reads-call-data-as-object', { parseNotifications: callDataAsObjectOnly });
