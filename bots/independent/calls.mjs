/**
 * The bot's calls and what notifications do to them. Each call has its own queue, so the
 * notifications of one call are processed in the order they arrived and one slow call never
 * holds up another.
 */
import { randomUUID } from 'node:crypto';
import { applyCallNotification, isIncomingCall } from './call-state.mjs';
import { applyRoster } from './roster.mjs';

/** Splits a notification's resource into call id and the rest ('' for the call itself); tolerates the /app form, no leading or a trailing slash. */
export function parseResource(resource) {
  const match = /(?:^|\/)(?:communications|app)\/calls\/([^/?]+)\/?(.*?)\/?$/i.exec(String(resource ?? ''));
  return match ? { callId: match[1], rest: match[2] } : undefined;
}

/** Makes the call registry around a Graph client. */
export function makeCalls({ graph, config, log }) {
  const calls = new Map();

  /** Registers a call the bot created or was offered. */
  function add(id, fields) {
    const call = { id, state: 'establishing', resultInfo: undefined, myParticipantId: undefined, roster: new Map(), group: false, answered: false, held: undefined, queue: Promise.resolve(), ...fields };
    calls.set(id, call);
    return call;
  }

  /** Runs `work(call)` after every earlier piece of work on the same call. */
  function enqueue(call, work) {
    call.queue = call.queue.then(() => work(call)).catch((error) => log(`call ${call.id}: ${error.message}`));
    return call.queue;
  }

  async function answer(call) {
    // graph-calling.md PART 8 S1: "exactly one /answer"; a redelivered incoming-call notification answers nothing again.
    if (call.answered) return;
    call.answered = true;
    const res = await graph.call('POST', `/communications/calls/${call.id}/answer`, {
      callbackUri: config.callbackUri,
      // graph-calling.md (answer): "acceptedModalities (required: audio|video|videoBasedScreenSharing)".
      acceptedModalities: ['audio', 'video'],
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
    });
    if (res.status >= 300) log(`answer ${call.id}: HTTP ${res.status}`);
  }

  /** Takes one commsNotification; unknown calls are ignored (Graph may notify about calls this bot does not hold). */
  function handle(notification) {
    const target = parseResource(notification?.resourceUrl ?? notification?.resource);
    if (!target) return;
    const data = notification.resourceData;
    let call = calls.get(target.callId);
    if (target.rest === '') {
      // Call notifications carry one call object; act only on that documented shape.
      if (!data || typeof data !== 'object' || Array.isArray(data)) return;
      if (!call && isIncomingCall(notification.changeType, data)) call = add(target.callId, { state: 'incoming' });
      if (!call) return;
      enqueue(call, async (c) => {
        const before = c.state;
        Object.assign(c, applyCallNotification(c, notification.changeType, data));
        if (before !== 'terminated' && isIncomingCall(notification.changeType, data)) await answer(c);
      });
    } else if (target.rest.toLowerCase() === 'participants') {
      if (!call) return;
      enqueue(call, (c) => {
        if (c.state !== 'terminated') c.roster = applyRoster(c.roster, data);
      });
    }
    // Operations (hold music) and content sharing sessions inform only: nothing to do, and their
    // `deleted` ends the operation or the session, not the call.
  }

  return { calls, add, enqueue, handle, newClientContext: () => randomUUID() };
}
