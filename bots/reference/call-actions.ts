/** The requests the bot makes on its own about a call (see reactToNotification.ts). */
import type { BotContext } from './context.js';
import { callPath } from './graph-client.js';
import type { CallAction, CallRecord } from './model.js';

export async function runCallAction(
  call: CallRecord,
  action: CallAction,
  context: Pick<BotContext, 'behaviour' | 'config' | 'graph' | 'log'>,
): Promise<void> {
  const { graph, config, log, behaviour } = context;
  const response =
    action.kind === 'answer'
      ? await graph.request('POST', `${callPath(call.id)}/answer`, behaviour.answerBody(config.callbackUri))
      : await graph.request('DELETE', callPath(call.id));
  log(`call ${call.id}: ${action.kind} → Graph ${response.status}`);
}
