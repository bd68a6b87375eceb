/**
 * `POST {callbackUri}`: where Graph delivers notifications.
 *
 * The order of checks follows the samples' controllers: a request that fails authentication gets
 * 401 and changes nothing; a body that cannot be read gets 400; anything else gets 202 at once and
 * is processed afterwards. The SDK changelog: the stateful SDK "validates it, queues it up for
 * dispatching to events, and returns 202 Accepted immediately as not to hold up the response."
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BotContext } from './context.js';
import { errorBody, parseJsonBody, readBody, send } from './http-io.js';

export async function handleNotificationPost(
  request: IncomingMessage,
  response: ServerResponse,
  context: BotContext,
): Promise<void> {
  const text = await readBody(request);
  const { behaviour, tokenExpectations } = context;
  const check = await behaviour.verifyNotificationToken(request.headers.authorization, tokenExpectations);
  if (!check.ok) {
    context.log(`refused a notification: ${check.reason}`);
    return send(response, 401, errorBody('unauthorized', check.reason));
  }
  const json = parseJsonBody(text);
  if (!json.ok) return send(response, 400, errorBody('badRequest', 'the body is not JSON'));
  const parsed = behaviour.parseNotifications(json.value);
  if (!parsed.ok) return send(response, 400, errorBody('badRequest', parsed.reason));

  send(response, 202);
  for (const reason of parsed.skipped) context.log(`skipped a notification item: ${reason}`);
  context.calls.deliver(parsed.notifications);
}
