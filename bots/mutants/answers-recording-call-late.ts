/**
 * Mutant: answers every incoming call 6 s after it is announced, a policy-based recording call too.
 *
 * The real defect: the bot prepares its media session (a recorder's storage, an app-hosted media
 * endpoint) before it answers, which takes seconds, and budgets that against the answer deadline it
 * knows, 15 s. A compliance recorder has 5: call-answer.md "The current timeout value is 15 seconds
 * for regular scenarios, and 5 seconds for policy-based recording scenarios." Graph drops the
 * recorder, and a recording policy that requires it blocks the call (microsoft-graph-comms-samples#191,
 * maintainer: "didn't answer within 15 seconds"). For a regular call, 6 s is within the deadline.
 */
import { EventEmitter } from 'node:events';
import http, { type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { deviation, runMutant } from '../reference/run-mutant.js';

const PREPARE_MEDIA_MS = 6_000;
const lateAnswer = deviation('node:http request');

// The reference bot's Graph requests go through node:http's `request` (http-request.ts).
const requestNow = http.request;
http.request = ((url: string, options: RequestOptions, callback: (response: IncomingMessage) => void): ClientRequest => {
  if (options.method !== 'POST' || !/\/calls\/[^/]+\/answer$/.test(new URL(url).pathname)) return requestNow(url, options, callback);
  lateAnswer(`sends its answer ${PREPARE_MEDIA_MS} ms after it decided to answer`);
  // The answer goes out once the media is "ready"; the caller's listeners (error, timeout) follow it.
  const deferred = new EventEmitter();
  const request = Object.assign(deferred, {
    end: (body?: string) => {
      setTimeout(() => {
        const real = requestNow(url, options, callback);
        real.on('error', (error) => deferred.emit('error', error));
        real.on('timeout', () => deferred.emit('timeout'));
        Object.assign(deferred, { destroy: (error?: Error) => real.destroy(error) });
        real.end(body);
      }, PREPARE_MEDIA_MS);
    },
    destroy: (error?: Error) => void (error && deferred.emit('error', error)),
  });
  return request as unknown as ClientRequest;
}) as typeof http.request;

await runMutant('answers-recording-call-late', {});
