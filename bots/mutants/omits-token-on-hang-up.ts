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
import { deviation, runMutant } from '../reference/run-mutant.js';

const dropToken = deviation('node:http request');
const requestWithToken = http.request;
http.request = ((url: string, options: RequestOptions, callback: (response: IncomingMessage) => void): ClientRequest => {
  if (options.method !== 'DELETE') return requestWithToken(url, options, callback);
  const { authorization: token, ...headers } = options.headers as Record<string, string>;
  if (token !== undefined) dropToken('sent a DELETE without the Authorization header it had');
  return requestWithToken(url, { ...options, headers }, callback);
}) as typeof http.request;

await runMutant('omits-token-on-hang-up', {});
