/**
 * Which collection a notification updates (a roster: `participants`), and whether it restates it
 * whole without anything that orders it.
 *
 * A full roster (`resourceUrl` …/participants, `resourceData` the whole list) carries no
 * sequenceNumber: two of them arriving swapped leave any bot with the older list, and a full roster
 * arriving after a delta that was sent later undoes the delta. A schedule that does either tests
 * nothing a bot could do. A delta roster (sequenceNumber, 002: "rosterSequenceNumber") or a call
 * state (which only moves forward) can be ordered by the bot.
 */
export function updatedCollectionOf(body: unknown): string | undefined {
  const items = (body as { value?: unknown } | undefined)?.value;
  if (!Array.isArray(items) || items.length === 0) return undefined;
  const rosters = items.every((item) => {
    const { resourceUrl, resourceData } = (item ?? {}) as { resourceUrl?: unknown; resourceData?: unknown };
    return typeof resourceUrl === 'string' && /\/participants\/?$/i.test(resourceUrl) && Array.isArray(resourceData);
  });
  return rosters ? 'participants' : undefined;
}

/** The collection a notification restates whole, with no sequenceNumber (a full roster), if it does. */
export function unorderedSnapshotOf(body: unknown, patch?: unknown): string | undefined {
  if (mentionsSequence(patch) || mentionsSequence(body)) return undefined;
  return updatedCollectionOf(body);
}

function mentionsSequence(value: unknown): boolean {
  return value !== undefined && /"(roster)?sequenceNumber"/i.test(JSON.stringify(value));
}
