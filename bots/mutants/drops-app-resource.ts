/**
 * Mutant: reads the deprecated `resource` before `resourceUrl`, and knows only the
 * `/communications/calls/{id}` form, so it drops every notification that carries `/app/calls/{id}`.
 *
 * The real defect: a bot written from the older calling-notifications article, whose example shows
 * only `"resource": "/app/calls/…"`, reads `item.resource ?? item.resourceUrl`, then moves its path
 * pattern to the `/communications/` endpoint (SAMPLES changelog Jan 2020: "Migrated samples from the
 * `~/app/` endpoint to the `~/communications/` endpoint"). Graph sends both members on one item
 * (call-answer.md Example 3; 001's delta roster; participant-invite.md; issues #433, #596, #667), so
 * once `resource` is there it wins, matches nothing, and the notification is skipped as "not about a
 * call": the call never gets established in the bot's view.
 */
import { isRecord } from '../reference/json.js';
import { referenceBehaviour } from '../reference/behaviour.js';
import type { BotBehaviour } from '../reference/behaviour.js';
import { runMutant } from '../reference/run-mutant.js';

/** The item's resource as this bot reads it: `resource` when present, else `resourceUrl`. */
function resourceOf(item: unknown): unknown {
  return isRecord(item) ? (item.resource ?? item.resourceUrl) : undefined;
}

/** Only `/communications/calls/…` (with or without its leading slash) names a call. */
const namesACall = (resource: unknown): boolean => typeof resource === 'string' && /^\/?communications\/calls\//i.test(resource);

const parseResourceFirst: BotBehaviour['parseNotifications'] = (body) => {
  if (!isRecord(body) || !Array.isArray(body.value)) return referenceBehaviour.parseNotifications(body);
  const dropped = body.value.filter((item) => !namesACall(resourceOf(item)));
  const parsed = referenceBehaviour.parseNotifications({ ...body, value: body.value.filter((item) => namesACall(resourceOf(item))) });
  if (!parsed.ok) return parsed;
  return { ...parsed, skipped: [...parsed.skipped, ...dropped.map((item) => `not about a call: ${JSON.stringify(resourceOf(item))}`)] };
};

await runMutant('drops-app-resource', { parseNotifications: parseResourceFirst });
