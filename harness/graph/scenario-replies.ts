/**
 * What the fake Graph answers during one scenario run: the replies the scenario scripted (claimed
 * in step order by the first request each matches), 404 for calls it does not know and for calls
 * that have ended, the call's truth for GET of the call and its participants, and otherwise the
 * documented default. Every body is a recording, taken from one, or the truth those built.
 */
import type { Recording } from '../model/recording.js';
import type { ExpectStep } from '../model/suite.js';
import { callIdOfPath } from './graph-paths.js';
import { graphError } from './graph-error.js';
import { defaultReplyRecording } from './default-replies.js';
import type { CallTruth } from './call-truth.js';
import type { GraphReply, GraphRequest } from './fake-graph.js';
import { idsForReply, recordedIdsOf, substituteIds, type RecordedIds, type RunIds } from './run-ids.js';
import { callHasEnded, endedCallReply, truthReply } from './truth-replies.js';

/** A reply a scenario step scripted; `matches` is the step's request matcher (judged in oracle/). */
export interface ScriptedReply {
  stepIndex: number;
  matches: (req: GraphRequest) => boolean;
  reply: GraphReply;
  used: boolean;
}

/** The state Graph's answers depend on in one run. */
export interface ReplyState {
  ids: RunIds;
  recordings: Map<string, Recording>;
  scripted: ScriptedReply[];
  /** Lower-cased ids of the calls this run knows (its own and those the bot created). */
  knownCalls: Set<string>;
  /** Lower-cased ids of the calls whose DELETE Graph answered with success: they have ended. */
  deletedCalls: Set<string>;
  /**
   * Lower-cased ids of the calls a scripted reply answered 404 about: Graph ended them without a
   * notification the bot saw (call-keepalive.md: "Attempting to send a request to a call that has
   * already ended will result in a 404 Not-Found error"), so their truth is terminated.
   */
  silentlyEnded: Set<string>;
  /** Graph's truth about the run's call now. */
  truth: () => CallTruth;
}

/** Graph's answer to one request, and the step whose scripted reply it was. */
export function replyTo(req: GraphRequest, state: ReplyState): { reply: GraphReply; stepIndex?: number } {
  const rule = state.scripted.find((r) => !r.used && r.matches(req));
  if (rule) rule.used = true;
  const reply = rule ? rule.reply : unscriptedReply(req, state);
  noteDeletedCall(req, reply, state.deletedCalls);
  if (rule) noteSilentEnd(req, reply, state);
  return rule ? { reply, stepIndex: rule.stepIndex } : { reply };
}

/** Graph's own answer to a request no step scripted: what it knows of the call decides, then the documents. */
function unscriptedReply(req: GraphRequest, state: ReplyState): GraphReply {
  const callId = callIdOfPath(req.path);
  if (callId === undefined) return defaultReply(req, state.recordings, state.ids);
  if (!state.knownCalls.has(callId.toLowerCase())) return { status: 404, body: graphError('ItemNotFound', `Call ${callId} does not exist.`, req.requestId) };
  if (callHasEnded(callId, state.ids.callId, state.truth, state.deletedCalls)) return endedCallReply(req, callId);
  return truthReply(req, state.ids.callId, state.truth()) ?? defaultReply(req, state.recordings, state.ids);
}

/** A successful DELETE of a call ends it: Graph answers later requests about it 404. */
function noteDeletedCall(req: GraphRequest, reply: GraphReply, deletedCalls: Set<string>): void {
  if (req.method !== 'DELETE' || reply.status < 200 || reply.status >= 300) return;
  if (/^\/communications\/calls\/[^/]+$/i.test(req.path)) deletedCalls.add(callIdOfPath(req.path)!.toLowerCase());
}

/** A scripted 404 to a request about a call itself (not one of its participants): the call has ended. */
function noteSilentEnd(req: GraphRequest, reply: GraphReply, state: ReplyState): void {
  if (reply.status !== 404 || !/^\/communications\/calls\/[^/]+(\/[^/]+)?$/i.test(req.path)) return;
  const callId = callIdOfPath(req.path)!.toLowerCase();
  state.deletedCalls.add(callId);
  state.silentlyEnded.add(callId);
}

/** A scripted `respond:` as a reply: a recording's response, or a status with an optional body, ids mapped. */
export function scriptedReply(spec: NonNullable<ExpectStep['respond']>, recordings: Map<string, Recording>, ids: RunIds): GraphReply {
  if (typeof spec === 'string') return replyFromRecording(recordings.get(spec)!, ids);
  return { status: spec.status, headers: lowerKeys(spec.headers ?? {}), body: spec.body === undefined ? undefined : substituteIds(resolveBody(spec.body, recordings), ids) };
}

/** A body spec's value: a recording's body for `{$recording: id}`, else the value itself. */
export function resolveBody(body: unknown, recordings: Map<string, Recording>): unknown {
  const id = (body as { $recording?: unknown } | undefined)?.$recording;
  return typeof id === 'string' ? recordings.get(id)?.body : body;
}

/** A recorded response, ids mapped; framing headers that the server sets itself are left out. */
function replyFromRecording(recording: Recording, ids: RunIds): GraphReply {
  return { status: recording.http.status ?? 200, headers: substituteIds(replyHeaders(recording), ids), body: substituteIds(recording.body, ids) };
}

/**
 * A recording's reply headers, lower-cased, without framing headers: one object per recording, so
 * that substituteIds compiles its id template once (a new object per reply was compiled per reply).
 */
function replyHeaders(recording: Recording): Record<string, string> {
  let headers = replyHeadersCache.get(recording);
  if (!headers) {
    headers = Object.fromEntries(Object.entries(lowerKeys(recording.http.headers ?? {})).filter(([k]) => k !== 'content-length' && k !== 'content-type'));
    replyHeadersCache.set(recording, headers);
  }
  return headers;
}

const replyHeadersCache = new WeakMap<Recording, Record<string, string>>();

/** The documented response to a request no step scripted; 501 (saying how to script one) where no document shows one. */
function defaultReply(req: GraphRequest, recordings: Map<string, Recording>, ids: RunIds): GraphReply {
  const id = defaultReplyRecording(req.method, req.requestKind, req.path);
  const recording = id ? recordings.get(id) : undefined;
  if (!recording) return { status: 501, body: graphError('NotImplemented', `confcall has no documented response for ${req.method} ${req.path}; script one with "respond:" in the scenario.`, req.requestId) };
  return { ...replyFromRecording(recording, idsForReply(ids, recordedIdsOfReply(recording), replyCallId(req, ids))), from: `recording ${recording.id}` };
}

/** The call a reply is about: the one the request names (the run's call in the run's spelling), else the run's. */
function replyCallId(req: GraphRequest, ids: RunIds): string {
  const callId = callIdOfPath(req.path);
  return callId === undefined || callId.toLowerCase() === ids.callId.toLowerCase() ? ids.callId : callId;
}

// The recorded ids of each reply recording, found once: compiled id templates are kept per id set.
const replyIdsCache = new WeakMap<Recording, RecordedIds>();

function recordedIdsOfReply(recording: Recording): RecordedIds {
  let recorded = replyIdsCache.get(recording);
  if (!recorded) replyIdsCache.set(recording, (recorded = recordedIdsOf([recording.body, recording.http.headers])));
  return recorded;
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
