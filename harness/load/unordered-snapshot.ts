/**
 * Which resource a notification restates whole without anything that orders it, if any.
 *
 * A full roster (`resourceUrl` …/participants, `resourceData` the whole list) carries no
 * sequenceNumber: two of them arriving swapped leave any bot with the older list, and a
 * schedule that swaps them tests nothing a bot could do. A delta roster (sequenceNumber,
 * 002: "rosterSequenceNumber") or a call state (which only moves forward) can be ordered by the bot.
 */
export function unorderedSnapshotOf(body: unknown, patch?: unknown): string | undefined {
  if (mentionsSequence(patch)) return undefined;
  const items = (body as { value?: unknown } | undefined)?.value;
  if (!Array.isArray(items) || items.length === 0) return undefined;
  const rosters = items.every((item) => {
    const { resourceUrl, resourceData } = (item ?? {}) as { resourceUrl?: unknown; resourceData?: unknown };
    return typeof resourceUrl === 'string' && /\/participants\/?$/i.test(resourceUrl) && Array.isArray(resourceData) && !mentionsSequence(item);
  });
  return rosters ? 'participants' : undefined;
}

function mentionsSequence(value: unknown): boolean {
  return value !== undefined && /"(roster)?sequenceNumber"/i.test(JSON.stringify(value));
}
