import type { GraphExchange, NotificationDelivery, TranscriptEvent } from '../../model/transcript.js';
import { deliveries, graphExchanges, isToldByGraph, notificationItems, type ProtocolRule } from './rule.js';

/** While the bot itself waits in the lobby, it takes no action on the call. */
export const noActionInLobby: ProtocolRule = {
  id: 'LOBBY-WAIT',
  level: 'MUST',
  because:
    '001_07ddc1617f89e2b3.txt: "应用程序可能放置在大厅中,等待用户允许。 这由 isInLobby 属性定义" (The application may be placed in the lobby, waiting for a user to admit it. This is defined by the isInLobby property.) An application in the lobby is not yet in the meeting.',
  exercised: (transcript, { appId }) => {
    const me = ownParticipantId(transcript, appId);
    return me !== undefined && lobbyPeriods(deliveries(transcript), me).length > 0;
  },
  check: (transcript, { callId, appId }) => {
    const me = ownParticipantId(transcript, appId);
    if (!me) return [];
    const periods = lobbyPeriods(deliveries(transcript), me);
    if (!periods.length) return [];
    return graphExchanges(transcript)
      .filter((e) => isActionOn(e, callId) && periods.some((p) => e.at > p.from && e.at < p.until))
      .map((e) => ({ actual: `sent ${e.method} ${e.rawPath} while its own participant ${me} was in the lobby`, expected: 'no action on the call until admitted (isInLobby false); leaving (DELETE) and keepAlive are allowed' }));
  },
};

/**
 * Leaving the lobby (DELETE) is allowed; acting in the call (any POST or PATCH about it) is not. keepAlive is no action
 * in the meeting but what keeps the call: call-keepalive.md wants one "within 45 minutes of the previous request, or the
 * start of the call", and a lobby wait is part of the call.
 */
function isActionOn(e: GraphExchange, callId: string): boolean {
  return (e.method === 'POST' || e.method === 'PATCH') && e.requestKind !== 'keepAlive' && e.path.startsWith(`/communications/calls/${callId}/`);
}

/** The bot's participant: `myParticipantId` of the 201 or the incoming call, else its application identity in a roster. */
function ownParticipantId(transcript: TranscriptEvent[], appId: string): string | undefined {
  for (const e of graphExchanges(transcript)) {
    const id = (e.response.body as { myParticipantId?: unknown } | undefined)?.myParticipantId;
    if (e.requestKind === 'createCall' && typeof id === 'string') return id;
  }
  for (const d of deliveries(transcript)) {
    if (!isToldByGraph(d)) continue;
    for (const entry of resourceEntries(d)) {
      if (typeof entry.myParticipantId === 'string') return entry.myParticipantId;
      const app = (entry.info as { identity?: { application?: { id?: string } } } | undefined)?.identity?.application?.id;
      if (typeof app === 'string' && app.toLowerCase() === appId.toLowerCase() && typeof entry.id === 'string') return entry.id;
    }
  }
  return undefined;
}

/** Time spans (delivery start to the delivery that admitted it) in which a roster showed `me` in the lobby. */
function lobbyPeriods(all: readonly NotificationDelivery[], me: string): Array<{ from: number; until: number }> {
  const periods: Array<{ from: number; until: number }> = [];
  let since: number | undefined;
  for (const d of all.filter(isToldByGraph)) {
    const mine = resourceEntries(d).filter((e) => e.id === me && typeof e.isInLobby === 'boolean');
    if (!mine.length) continue;
    const inLobby = mine.at(-1)!.isInLobby === true;
    if (inLobby && since === undefined) since = d.at;
    if (!inLobby && since !== undefined) {
      periods.push({ from: since, until: d.at });
      since = undefined;
    }
  }
  if (since !== undefined) periods.push({ from: since, until: Infinity });
  return periods;
}

/** Every entity a notification carries: resourceData (object or array) and delta roster changes. */
function resourceEntries(d: NotificationDelivery): Array<Record<string, unknown>> {
  // Plain loops into one array: this runs for every notification of every schedule, and nested flatMaps allocated per item.
  const entries: Array<Record<string, unknown>> = [];
  const add = (value: unknown): void => {
    if (!value || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    entries.push(record);
    if (Array.isArray(record.deltaParticipants)) for (const change of record.deltaParticipants) entries.push(change as Record<string, unknown>);
  };
  for (const item of notificationItems(d)) {
    const data = (item as { resourceData?: unknown } | undefined)?.resourceData;
    if (Array.isArray(data)) for (const entry of data) add(entry);
    else add(data);
  }
  return entries;
}
