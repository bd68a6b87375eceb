/** Applies one notification to its call (inside the call's queue) and makes the requests it calls for. */
import { runCallAction } from './call-actions.js';
import type { CallEntry } from './calls.js';
import { isTransferCompleted } from './call-state.js';
import type { BotContext } from './context.js';
import type { CallStatus } from './model.js';
import type { Notification } from './parse-notifications.js';
import { reactToNotification } from './react-to-notification.js';

export async function processNotification(
  entry: CallEntry,
  notification: Notification,
  context: Pick<BotContext, 'config' | 'behaviour' | 'graph' | 'log'>,
): Promise<void> {
  const before = entry.call.status;
  const { call, actions } = reactToNotification(entry.call, notification, context.behaviour, context.config.appId);
  entry.call = call;
  if (describe(call.status) !== describe(before)) context.log(`call ${call.id}: ${describe(call.status)}`);
  if (call.status.transferFailed && !before.transferFailed) context.log(`call ${call.id}: the transfer failed`);
  for (const action of actions) await runCallAction(call, action, context);
}

function describe(status: CallStatus): string {
  const { state, resultInfo } = status;
  const result = resultInfo ? ` ${resultInfo.code}/${resultInfo.subcode}` : '';
  return `${state}${result}${isTransferCompleted(status) ? ' (transfer completed)' : ''}`;
}
