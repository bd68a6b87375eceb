/**
 * Applies the notifications of one POST to their call (inside the call's queue), then makes the
 * requests they call for. One POST is one message: when a later item ends the call (a batch of
 * established and terminated), what an earlier one called for is not done.
 */
import { runCallAction } from './call-actions.js';
import type { CallEntry } from './calls.js';
import { isTransferCompleted } from './call-state.js';
import type { BotContext } from './context.js';
import type { CallAction, CallStatus } from './model.js';
import type { Notification } from './parse-notifications.js';
import { reactToNotification } from './react-to-notification.js';

export async function processNotifications(
  entry: CallEntry,
  notifications: Notification[],
  context: Pick<BotContext, 'config' | 'behaviour' | 'graph' | 'log'>,
): Promise<void> {
  const before = entry.call.status;
  let call = entry.call;
  const actions: CallAction[] = [];
  for (const notification of notifications) {
    const reaction = reactToNotification(call, notification, context.behaviour, context.config.appId);
    call = reaction.call;
    actions.push(...reaction.actions);
  }
  entry.call = call;
  if (describe(call.status) !== describe(before)) context.log(`call ${call.id}: ${describe(call.status)}`);
  if (call.status.transferFailed && !before.transferFailed) context.log(`call ${call.id}: the transfer failed`);
  if (context.behaviour.isCallOver(call.status)) return;
  for (const action of actions) await runCallAction(call, action, context);
}

function describe(status: CallStatus): string {
  const { state, resultInfo } = status;
  const result = resultInfo ? ` ${resultInfo.code}/${resultInfo.subcode}` : '';
  return `${state}${result}${isTransferCompleted(status) ? ' (transfer completed)' : ''}`;
}
