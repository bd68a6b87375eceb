/**
 * Graph's answers that come from what it holds about the run's call, not from a recording: GET of
 * the call and of its participants, and the 404 for a request about a call that has ended. The
 * documents show no response example for GET of a call, list participants or get participant, so
 * these answers are the truth itself, and each says so in its `from`.
 */
import type { CallTruth } from './call-truth.js';
import { graphError } from './graph-error.js';
import type { GraphReply, GraphRequest } from './fake-graph.js';

/** Where an answer from the truth came from, as the transcript shows it. */
export const FROM_TRUTH = {
  call: 'call truth: the call resource as its accepted notifications left it (the documents show no GET example)',
  participants: 'call truth: the roster as its accepted notifications left it, as an OData collection (the documents show no list participants example)',
  participant: 'call truth: the participant as the roster last showed it (the documents show no get participant example)',
  ended: 'call ended: call-keepalive.md "Attempting to send a request to a call that has already ended will result in a 404 Not-Found error" (research/graph-calling.md:681)',
} as const;

/** Whether Graph holds the call as over: its truth says terminated, or Graph answered the bot's DELETE of it. */
export function callHasEnded(callId: string, runCallId: string, truth: () => CallTruth, deleted: ReadonlySet<string>): boolean {
  const id = callId.toLowerCase();
  if (deleted.has(id)) return true;
  return id === runCallId.toLowerCase() && truth().resource?.state === 'terminated';
}

/** The documented 404 for a request about a call that has ended. */
export function endedCallReply(req: GraphRequest, callId: string): GraphReply {
  return { status: 404, body: graphError('ItemNotFound', `Call ${callId} has ended; requests about it are answered 404 Not-Found.`, req.requestId), from: FROM_TRUTH.ended };
}

/**
 * The answer to a GET about the run's call from its truth (the call, its participants, one
 * participant); undefined when the request is none of those.
 */
export function truthReply(req: GraphRequest, runCallId: string, truth: CallTruth): GraphReply | undefined {
  if (req.method !== 'GET') return undefined;
  const match = /^\/communications\/calls\/([^/]+)(?:\/(participants)(?:\/([^/]+))?)?$/i.exec(req.path);
  if (!match || match[1]!.toLowerCase() !== runCallId.toLowerCase()) return undefined;
  const [, callId, participants, participantId] = match;
  if (!participants) return callReply(req, callId!, truth);
  if (participantId === undefined) return { status: 200, body: { value: presentParticipants(truth) }, from: FROM_TRUTH.participants };
  const participant = presentParticipants(truth).find((p) => String(p.id).toLowerCase() === participantId.toLowerCase());
  if (participant) return { status: 200, body: participant, from: FROM_TRUTH.participant };
  return { status: 404, body: graphError('ItemNotFound', `Participant ${participantId} is not in the roster of call ${callId}.`, req.requestId), from: FROM_TRUTH.participant };
}

function callReply(req: GraphRequest, callId: string, truth: CallTruth): GraphReply {
  if (truth.resource) return { status: 200, body: truth.resource, from: FROM_TRUTH.call };
  return { status: 404, body: graphError('ItemNotFound', `Call ${callId} does not exist yet.`, req.requestId), from: FROM_TRUTH.call };
}

/** The participants the roster holds now (removed ones left out), in the order the roster gave them. */
function presentParticipants(truth: CallTruth): Array<Record<string, unknown>> {
  return [...(truth.roster?.values() ?? [])].filter((e) => !e.removed).map((e) => e.participant);
}
