import type { Recording } from '../model/recording.js';

/**
 * The documented response the fake Graph gives to a request no scenario step scripted.
 * Every one is a recording: the harness invents no response.
 */
const DEFAULT_REPLY_RECORDING: Record<string, string> = {
  createCall: 'create-call/response-peer-to-peer-service-hosted-media',
  answer: 'graph-reference/response-answer-accepted',
  reject: 'graph-reference/response-reject-accepted',
  transfer: 'transfer/response-accepted',
  startHoldMusic: 'hold-music/response-start-hold-music',
  stopHoldMusic: 'hold-music/response-stop-hold-music',
  deleteCall: 'graph-reference/response-delete-call',
  // Participants and call-level requests (issue 13, item 4), sorted: one block, for easy merges.
  deleteParticipant: 'graph-reference/response-delete-participant',
  invite: 'graph-reference/response-invite-participant-running',
  keepAlive: 'graph-reference/response-keep-alive',
  mute: 'graph-reference/response-mute',
  redirect: 'graph-reference/response-redirect-accepted',
  unmute: 'graph-reference/response-unmute',
  // Media (IVR) and compliance recording: each a call's bound action, answered 200 with its operation.
  cancelMediaProcessing: 'graph-reference/response-cancel-media-processing',
  playPrompt: 'graph-reference/response-play-prompt',
  recordResponse: 'graph-reference/response-record-response',
  subscribeToTone: 'graph-reference/response-subscribe-to-tone',
  updateRecordingStatus: 'graph-reference/response-update-recording-status',
};

/** The recording id of the default reply to a request, if there is one. */
export function defaultReplyRecording(method: string, requestKind: string | undefined, path: string): string | undefined {
  if (method === 'DELETE' && /^\/communications\/calls\/[^/]+$/i.test(path)) return DEFAULT_REPLY_RECORDING.deleteCall;
  if (method === 'DELETE' && /^\/communications\/calls\/[^/]+\/participants\/[^/]+$/i.test(path)) return DEFAULT_REPLY_RECORDING.deleteParticipant;
  return requestKind ? DEFAULT_REPLY_RECORDING[requestKind] : undefined;
}

/** The recordings default replies rely on, for `confcall validate`. */
export function defaultReplyRecordings(): string[] {
  return Object.values(DEFAULT_REPLY_RECORDING);
}

/**
 * The ids-bearing parts (bodies, headers) of every default reply, for a run's id map: a default
 * reply then names the run's call and operations, the same ones the scenario's notifications name.
 */
export function defaultReplyPayloads(recordings: Map<string, Recording>): unknown[] {
  return defaultReplyRecordings().flatMap((id) => [recordings.get(id)?.body, recordings.get(id)?.http.headers]);
}
