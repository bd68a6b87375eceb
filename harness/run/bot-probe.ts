/**
 * The bot's view of a call: `GET {control}/calls/{callId}` (DESIGN.md's probe), or the bot's own
 * status endpoint read onto the probe view through the profile's pointers (`probe: {url, …}`).
 */
import { botDispatcher } from '../notify/bot-dispatcher.js';
import { describeCut, MAX_REPLY_BYTES } from '../notify/capped-body.js';
import { exchange, placeOfUrl } from '../notify/http-exchange.js';
import { show } from '../oracle/json-subset.js';
import type { ProbeMapping, TargetProfile } from '../model/target.js';
import { expandTemplate, readPointer } from '../model/trigger-template.js';

/** One reading of the probe: HTTP status and the view (mapped), or why there is none. */
export type ProbeAnswer = { status: number; view?: unknown; error?: string };

/** Where the bot's view of a call is read: its URL, and that URL as undici's origin and path (parsed once, not per read). */
export interface ProbePlace {
  url: string;
  headers: Record<string, string>;
  mapping?: ProbeMapping;
  place?: { origin: string; path: string };
}

/** Where the bot's view of a call is read, when the profile has a probe. */
export function probeOf(target: TargetProfile, callId: string): ProbePlace | undefined {
  if (typeof target.probe === 'object') {
    const values = { callId, profile: { 'auth.appId': target.auth.appId, 'auth.tenantId': target.auth.tenantId, 'auth.clientSecret': target.auth.clientSecret, callbackUri: target.callbackUri } };
    return withPlace({ url: String(expandTemplate(target.probe.url, values, encodeURIComponent).value), headers: expandTemplate(target.probe.headers ?? {}, values).value as Record<string, string>, mapping: target.probe });
  }
  if (target.probe && target.control) return withPlace({ url: `${target.control.replace(/\/$/, '')}/calls/${callId}`, headers: {} });
  return undefined;
}

/** The probe with its URL parsed; a URL that does not parse is left to fail (as a read) where it is read. */
function withPlace(probe: ProbePlace): ProbePlace {
  try {
    return { ...probe, place: placeOfUrl(probe.url) };
  } catch {
    return probe;
  }
}

/** Reads the probe once; a mapped probe's answer is turned into the probe view. */
export async function readProbe(probe: ProbePlace): Promise<ProbeAnswer> {
  try {
    const res = await exchange(botDispatcher(), { ...(probe.place ?? placeOfUrl(probe.url)), method: 'GET', headers: probe.headers, headersTimeout: 5000, bodyTimeout: 5000 }, MAX_REPLY_BYTES);
    const { text, cut } = res;
    if (cut) return { status: res.status, error: `probe answered HTTP ${res.status} with ${describeCut()}` };
    let view: unknown;
    try {
      view = text ? JSON.parse(text) : undefined;
    } catch {
      return { status: res.status, error: `probe answered with text that is not JSON: ${show(text)}` };
    }
    return { status: res.status, view: probe.mapping && res.status === 200 ? mappedView(probe.mapping, view) : view };
  } catch (error) {
    return { status: 0, error: `probe failed: ${(error as Error).message}` };
  }
}

/** The bot's own status as the probe view `{state, resultInfo, participants: [{id, isInLobby, isMuted}]}`. */
export function mappedView(mapping: ProbeMapping, answer: unknown): unknown {
  const view: Record<string, unknown> = {};
  if (mapping.state) view.state = readPointer(answer, mapping.state);
  if (mapping.resultInfo) view.resultInfo = readPointer(answer, mapping.resultInfo);
  if (mapping.participants) {
    const items = readPointer(answer, mapping.participants);
    view.participants = Array.isArray(items) ? items.map((item) => participantOf(mapping, item)) : items;
  }
  return view;
}

function participantOf(mapping: ProbeMapping, item: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { id: readPointer(item, mapping.participantId) };
  if (mapping.isInLobby) out.isInLobby = readPointer(item, mapping.isInLobby);
  if (mapping.isMuted) out.isMuted = readPointer(item, mapping.isMuted);
  return out;
}
