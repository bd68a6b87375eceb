/**
 * Mutant: hangs up without a token.
 *
 * The real defect: the hang-up path was added later with a bare request that forgets the
 * `Authorization` header every other Graph request carries. Graph answers 401 and the call stays
 * up. Unlike the other mutants this one replaces no `BotBehaviour` field (the token is not a
 * decision): it drops the header of every DELETE on its way out, in node:http's `request`, which
 * the reference bot's Graph requests go through (http-request.ts).
 */
import http, { type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { runBot } from '../reference/run-bot.js';

const requestWithToken = http.request;
http.request = ((url: string, options: RequestOptions, callback: (response: IncomingMessage) => void): ClientRequest => {
  if (options.method !== 'DELETE') return requestWithToken(url, options, callback);
  const { authorization: _token, ...headers } = options.headers as Record<string, string>;
  return requestWithToken(url, { ...options, headers }, callback);
}) as typeof http.request;

await runBot(undefined, 'omits-token-on-hang-up');
