/** The requests the bot makes on its own about a call (see reactToNotification.ts). */
import type { BotContext } from './context.js';
import { callPath } from './graph-client.js';
import type { CallAction, CallRecord } from './model.js';

export async function runCallAction(
  call: CallRecord,
  action: CallAction,
  context: Pick<BotContext, 'behaviour' | 'config' | 'graph' | 'log'>,
): Promise<void> {
  const { graph, log } = context;
  const response = await graph.request(...requestOf(call, action, context));
  log(`call ${call.id}: ${action.kind} → Graph ${response.status}`);
}

/** The Graph request (method, path, body) that carries out an action. */
function requestOf(
  call: CallRecord,
  action: CallAction,
  { behaviour, config }: Pick<BotContext, 'behaviour' | 'config'>,
): ['POST' | 'DELETE', string, object?] {
  switch (action.kind) {
    case 'answer':
      return ['POST', `${callPath(call.id)}/answer`, behaviour.answerBody(config.callbackUri)];
    case 'playGreeting':
      return ['POST', `${callPath(call.id)}/playPrompt`, behaviour.greetingBody(config.callbackUri, call.id)];
    case 'reportRecording':
      return ['POST', `${callPath(call.id)}/updateRecordingStatus`, behaviour.recordingStatusBody(call.id)];
    case 'subscribeToTones':
      return ['POST', `${callPath(call.id)}/subscribeToTone`, behaviour.subscribeToTonesBody(call.id)];
    case 'transferToOperator':
      return ['POST', `${callPath(call.id)}/transfer`, behaviour.operatorTransferBody()];
    case 'hangUp':
      return ['DELETE', callPath(call.id)];
  }
}
