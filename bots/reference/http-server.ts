/**
 * The bot's HTTP server: notifications at the callback path (and `/api/calls`), `GET /health`,
 * and the control API under `/control`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { BotContext } from './context.js';
import { handleControl } from './control-routes.js';
import { BodyTooLarge, errorBody, send } from './http-io.js';
import { handleNotificationPost } from './notification-endpoint.js';

export function createBotServer(context: BotContext): Server {
  const callbackPaths = new Set(['/api/calls', new URL(context.config.callbackUri).pathname]);

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { pathname } = new URL(request.url ?? '/', 'http://bot.invalid');
    if (callbackPaths.has(pathname)) {
      if (request.method === 'POST') return handleNotificationPost(request, response, context);
      return send(response, 405, errorBody('methodNotAllowed', 'notifications are POSTed'));
    }
    if (pathname === '/health') return send(response, 200, { status: 'ok' });
    if (pathname === '/control' || pathname.startsWith('/control/')) {
      return handleControl(request, response, pathname.slice('/control'.length), context);
    }
    send(response, 404, errorBody('notFound', `${request.method} ${pathname}`));
  }

  return createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      if (response.headersSent) return response.destroy();
      if (error instanceof BodyTooLarge) return send(response, 413, errorBody('payloadTooLarge', error.message));
      context.log(`${request.method} ${request.url}: ${error instanceof Error ? error.stack : String(error)}`);
      send(response, 500, errorBody('internalError', 'the bot failed to handle this request'));
    });
  });
}
