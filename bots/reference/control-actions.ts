/**
 * The control API's actions (DESIGN.md "Control API"). Statuses: 2xx when the bot did it, 409 for
 * an unknown or terminated call (or while the bot waits in the lobby), 422 when the bot refuses
 * an invalid action, 502 when Graph answered an error.
 */
import { sendKeepAlive } from './call-keep-alive.js';
import type { CallEntry } from './calls.js';
import { outgoingCall } from './call-record.js';
import { startTransferAttempt } from './call-state.js';
import type { BotContext } from './context.js';
import { callPath, type GraphResponse } from './graph-client.js';
import { errorBody } from './http-io.js';
import { isRecord, readString } from './json.js';
import { probeView } from './probe.js';

export interface ControlResponse {
  status: number;
  body?: unknown;
}

/** `POST /calls`: create a call with a Graph call body; answers `{callId}` once Graph has. */
export async function createCall(context: BotContext, request: unknown): Promise<ControlResponse> {
  if (!isRecord(request)) return refused('the body must be a Graph call object');
  const body = context.behaviour.callRequestBody(request, context.config.callbackUri);
  const finished = context.calls.creatingCall();
  try {
    const response = await context.graph.request('POST', '/communications/calls', body);
    if (response.status >= 400) return graphFailed('POST /communications/calls', response);
    const created = isRecord(response.body) ? response.body : {};
    const callId = readString(created.id);
    if (callId === undefined) return { status: 502, body: errorBody('graphError', 'the 201 has no call id') };
    context.calls.add(outgoingCall(body, { ...created, id: callId }, context.behaviour.readResultInfo));
    context.log(`call ${callId}: created`);
    return { status: 200, body: { callId } };
  } finally {
    finished();
  }
}

/** `POST /calls/{callId}/transfer` with `{transferTarget, transferee?}`. */
export async function transferCall(context: BotContext, callId: string, request: unknown): Promise<ControlResponse> {
  if (!isRecord(request)) return refused('the body must be {transferTarget, transferee?}');
  return onLiveCall(context, callId, async (entry) => {
    const decision = context.behaviour.transferRequest(entry.call, request);
    if (!decision.ok) return refused(decision.reason);
    const path = `${callPath(entry.call.id)}/transfer`;
    const response = await context.graph.request('POST', path, decision.body);
    if (response.status >= 400) return graphFailed(`POST ${path}`, response);
    entry.call = { ...entry.call, status: startTransferAttempt(entry.call.status) };
    return { status: 202 };
  });
}

/** `POST /calls/{callId}/participants/{participantId}/startHoldMusic` with `{customPrompt?, clientContext?}`. */
export async function startHoldMusic(
  context: BotContext,
  callId: string,
  participantId: string,
  request: unknown,
): Promise<ControlResponse> {
  const body = holdMusicBody(request, context);
  if (typeof body === 'string') return refused(body);
  return onLiveCall(context, callId, async (entry) => {
    for (const step of context.behaviour.holdMusicPlan(entry.call.participantOnHold, participantId)) {
      const path = `${callPath(entry.call.id)}/participants/${encodeURIComponent(step.participantId)}/${step.kind}`;
      const response = await context.graph.request('POST', path, step.kind === 'startHoldMusic' ? body : {});
      if (response.status >= 400) return graphFailed(`POST ${path}`, response);
      const participantOnHold = step.kind === 'startHoldMusic' ? step.participantId : undefined;
      entry.call = { ...entry.call, participantOnHold };
    }
    return { status: 202 };
  });
}

/** `POST /calls/{callId}/participants/{participantId}/stopHoldMusic` with `{clientContext?}`. */
export async function stopHoldMusic(
  context: BotContext,
  callId: string,
  participantId: string,
  request: unknown,
): Promise<ControlResponse> {
  const body = holdMusicBody(request, context);
  if (typeof body === 'string') return refused(body);
  return onLiveCall(context, callId, async (entry) => {
    const path = `${callPath(entry.call.id)}/participants/${encodeURIComponent(participantId)}/stopHoldMusic`;
    const response = await context.graph.request('POST', path, body);
    if (response.status >= 400) return graphFailed(`POST ${path}`, response);
    if (entry.call.participantOnHold === participantId) entry.call = { ...entry.call, participantOnHold: undefined };
    return { status: 202 };
  });
}

/** `DELETE /calls/{callId}`: hang up. */
export async function hangUp(context: BotContext, callId: string): Promise<ControlResponse> {
  return onLiveCall(context, callId, async (entry) => {
    const path = callPath(entry.call.id);
    const response = await context.graph.request('DELETE', path);
    if (response.status >= 400) return graphFailed(`DELETE ${path}`, response);
    return { status: 204 };
  });
}

/** `POST /calls/{callId}/keepAlive`: send a keepAlive now (the timer sends one every 15 minutes). */
export async function keepAlive(context: BotContext, callId: string): Promise<ControlResponse> {
  return onLiveCall(context, callId, async (entry) => {
    const response = await sendKeepAlive(entry, context);
    if (response.status >= 400) return graphFailed(`POST ${callPath(entry.call.id)}/keepAlive`, response);
    return { status: 200 };
  });
}

/** `GET /calls/{callId}`: the probe view, after every notification already received for the call. */
export async function probeCall(context: BotContext, callId: string): Promise<ControlResponse> {
  const view = await context.calls.withCall(callId, async (entry) => probeView(entry.call));
  if (view === undefined) return { status: 404, body: errorBody('notFound', `no call ${callId} is known`) };
  return { status: 200, body: view };
}

/** Runs `act` in the call's queue if the call is known, not terminated, and the bot is not in its lobby. */
async function onLiveCall(
  context: BotContext,
  callId: string,
  act: (entry: CallEntry) => Promise<ControlResponse>,
): Promise<ControlResponse> {
  const result = await context.calls.withCall(callId, async (entry) => {
    if (context.behaviour.isCallOver(entry.call.status)) return conflict(`call ${callId} is terminated`);
    if (context.behaviour.isWaitingInLobby(entry.call, context.config.appId)) {
      return conflict(`the bot is waiting in the lobby of call ${callId} and takes no action until admitted`);
    }
    return act(entry);
  });
  return result ?? conflict(`no call ${callId} is known`);
}

function conflict(message: string): ControlResponse {
  return { status: 409, body: errorBody('conflict', message) };
}

/** A hold-music request body, or why it is refused (000: clientContext "can have a maximum of 256 characters"). */
function holdMusicBody(request: unknown, context: BotContext): Record<string, unknown> | string {
  const body = isRecord(request) ? request : {};
  return context.behaviour.clientContextProblem(body.clientContext) ?? body;
}

function refused(message: string): ControlResponse {
  return { status: 422, body: errorBody('refused', message) };
}

function graphFailed(request: string, response: GraphResponse): ControlResponse {
  const message = `Graph answered ${response.status} to ${request}`;
  const details = { graphStatus: response.status, graphBody: response.body };
  return { status: 502, body: errorBody('graphError', message, details) };
}
