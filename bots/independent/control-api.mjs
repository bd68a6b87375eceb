/**
 * The control API and probe (DESIGN.md "Control API and probe"), under /control. Refusals are 400
 * (the request is not one the bot will carry out); Graph failing or unreachable is 502.
 */
import { isGroupCall } from './call-state.mjs';
import { isBotInLobby, probeParticipants } from './roster.mjs';

const MAX_CLIENT_CONTEXT = 256; // 000_35fd328c0aa33ff4.txt clientContext: "Can have a maximum of 256 characters."

/** Why `clientContext` from a control body cannot be forwarded, or undefined when it can (absent is fine). */
export function clientContextProblem(value) {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return 'clientContext must be a string';
  if (value.length > MAX_CLIENT_CONTEXT) return `clientContext has ${value.length} characters, over ${MAX_CLIENT_CONTEXT}`;
  return undefined;
}

/** Why the bot will not act on `call` now, or undefined when it may. */
export function actionProblem(call, appId, method) {
  if (!call) return 'unknown call';
  if (call.state === 'terminated') return 'the call is terminated';
  // Lobby: while our participant waits, the call is not ours to act on; hanging up is still allowed
  // (it takes us out of the lobby, and LOBBY-WAIT allows DELETE).
  if (method !== 'DELETE' && isBotInLobby(call.myParticipantId, call.roster, appId)) return 'the bot is waiting in the lobby';
  return undefined;
}

/** The minimal transfer body: transferTarget, and transferee only for a group call (003_d730da5d3fda3166.txt: "required only when transferring from a group call"). */
export function transferBody(control, group) {
  return group ? { transferTarget: control.transferTarget, transferee: control.transferee } : { transferTarget: control.transferTarget };
}

/** The probe view of a call. */
export function probeView(call) {
  const view = { state: call.state, participants: probeParticipants(call.roster) };
  if (call.resultInfo) view.resultInfo = call.resultInfo;
  return view;
}

/** Makes `route(method, segments, body) → Promise<{status, body?}>` for paths under /control. */
export function makeControlApi({ calls, graph, config }) {
  const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const refuse = (message) => ({ status: 400, body: { error: message } });
  const graphFailed = (res) => ({ status: 502, body: { error: `Graph answered ${res.status}`, graph: res.body } });

  async function toGraph(method, path, body) {
    try {
      return await graph.call(method, path, body);
    } catch (error) {
      return { status: 599, body: { error: String(error.message) } }; // unreachable → 502 below
    }
  }

  async function createCall(body) {
    if (!isObject(body)) return refuse('the body must be a Graph call object');
    const problem = clientContextProblem(body.clientContext);
    if (problem) return refuse(problem);
    // Our own callbackUri, whatever the control body carried: notifications must reach this bot.
    const res = await toGraph('POST', '/communications/calls', { ...body, callbackUri: config.callbackUri });
    if (res.status !== 201 || typeof res.body?.id !== 'string') return graphFailed(res);
    calls.add(res.body.id, { state: res.body.state ?? 'establishing', myParticipantId: res.body.myParticipantId ?? undefined, group: isGroupCall(body) });
    return { status: 200, body: { callId: res.body.id } };
  }

  async function transfer(call, body) {
    if (!isObject(body) || !isObject(body.transferTarget)) return refuse('transferTarget is required');
    if (call.group && !isObject(body.transferee)) return refuse('a transfer from a group call needs a transferee');
    const res = await toGraph('POST', `/communications/calls/${call.id}/transfer`, transferBody(body, call.group));
    return res.status < 300 ? { status: 202 } : graphFailed(res);
  }

  async function startHoldMusic(call, participantId, body) {
    const problem = clientContextProblem(body.clientContext);
    if (problem) return refuse(problem);
    // Never two participants on hold at once. This bot refuses to hold another while one is held
    // (the caller stops the first); the reference bot releases the first itself. Both keep the rule.
    if (call.held && call.held !== participantId) return { status: 409, body: { error: `${call.held} is on hold: stop its hold music first` } };
    const request = { clientContext: body.clientContext ?? calls.newClientContext() };
    if (body.customPrompt !== undefined) request.customPrompt = body.customPrompt;
    const res = await toGraph('POST', `/communications/calls/${call.id}/participants/${participantId}/startHoldMusic`, request);
    if (res.status >= 300) return graphFailed(res);
    call.held = participantId;
    return { status: 202 };
  }

  async function stopHoldMusic(call, participantId, body) {
    const problem = clientContextProblem(body.clientContext);
    if (problem) return refuse(problem);
    const res = await toGraph('POST', `/communications/calls/${call.id}/participants/${participantId}/stopHoldMusic`, { clientContext: body.clientContext ?? calls.newClientContext() });
    if (res.status >= 300) return graphFailed(res);
    if (call.held === participantId) call.held = undefined;
    return { status: 202 };
  }

  async function hangUp(call) {
    const res = await toGraph('DELETE', `/communications/calls/${call.id}`);
    return res.status < 300 ? { status: 204 } : graphFailed(res);
  }

  /** Serialises an action behind the call's notifications, so it sees the state they left. */
  function act(call, method, work) {
    if (!call) return refuse('unknown call');
    return new Promise((done) => {
      calls.enqueue(call, async () => {
        // Checked in the queue: the notifications before this action may have ended the call.
        const problem = actionProblem(call, config.appId, method);
        done(problem ? refuse(problem) : await work().catch((error) => ({ status: 502, body: { error: String(error.message) } })));
      });
    });
  }

  return async function route(method, segments, body) {
    const [root, callId, action, participantId, verb, ...extra] = segments;
    if (root !== 'calls' || extra.length > 0) return { status: 404 };
    const call = callId ? calls.calls.get(callId) : undefined;
    if (!callId) return method === 'POST' ? createCall(body) : { status: 405 };
    if (!action) {
      if (method === 'GET') return call ? { status: 200, body: probeView(call) } : { status: 404, body: { error: 'unknown call' } };
      if (method === 'DELETE') return act(call, method, () => hangUp(call));
      return { status: 405 };
    }
    if (action === 'transfer' && !participantId) return method === 'POST' ? act(call, method, () => transfer(call, body)) : { status: 405 };
    if (action === 'participants' && participantId && (verb === 'startHoldMusic' || verb === 'stopHoldMusic')) {
      if (method !== 'POST') return { status: 405 };
      const b = isObject(body) ? body : {};
      return act(call, method, () => (verb === 'startHoldMusic' ? startHoldMusic(call, participantId, b) : stopHoldMusic(call, participantId, b)));
    }
    return { status: 404 };
  };
}
