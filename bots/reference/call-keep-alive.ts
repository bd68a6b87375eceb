/** Sends keepAlive for the bot's calls: every 15 minutes for each live call, and when asked. */
import type { CallEntry } from './calls.js';
import type { BotContext } from './context.js';
import { callPath, type GraphResponse } from './graph-client.js';
import { KEEP_ALIVE_EVERY_MS, needsKeepAlive } from './keep-alive.js';

type Context = Pick<BotContext, 'behaviour' | 'calls' | 'graph' | 'log'>;

/** `POST .../keepAlive` (no body: "Do not supply a request body for this method") for one call, inside its queue. */
export async function sendKeepAlive(entry: CallEntry, context: Context): Promise<GraphResponse> {
  const response = await context.graph.request('POST', `${callPath(entry.call.id)}/keepAlive`);
  entry.call = context.behaviour.callAfterKeepAlive(entry.call, response.status);
  context.log(`call ${entry.call.id}: keepAlive → Graph ${response.status}`);
  return response;
}

/** Starts the timer that keeps every live call alive; returns the function that stops it. */
export function keepCallsAlive(context: Context): () => void {
  const timer = setInterval(() => {
    for (const callId of context.calls.ids()) {
      void context.calls
        .withCall(callId, async (entry) => (needsKeepAlive(entry.call) ? sendKeepAlive(entry, context) : undefined))
        .catch((error: unknown) => context.log(`call ${callId}: keepAlive failed: ${String(error)}`));
    }
  }, KEEP_ALIVE_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
