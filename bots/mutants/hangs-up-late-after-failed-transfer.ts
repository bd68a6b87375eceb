/**
 * Mutant: hangs up a moment after a transfer fails.
 *
 * The same defect as hangs-up-after-failed-transfer (a failed transfer leaves the call established,
 * 003: "If the call transfer fails, the call state will be established."), but the hang-up waits
 * 150 ms first, behind a media-teardown timer the bot does not wait for. Nothing in the scenario waits for a
 * request that should not come, so only a run that stays open long enough sees it: this mutant
 * checks that schedule exploration, which judges runs after a short quiet (and once waited a fixed
 * 60 ms), still catches it.
 */
import { EventEmitter } from 'node:events';
import http, { type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { PassThrough } from 'node:stream';
import { deviation, runMutant } from '../reference/run-mutant.js';

const HANG_UP_DELAY_MS = 150;
const lateHangUp = deviation('node:http request');

// The reference bot's Graph requests go through node:http's `request` (http-request.ts).
const requestNow = http.request;
http.request = ((url: string, options: RequestOptions, callback: (response: IncomingMessage) => void): ClientRequest => {
  if (options.method !== 'DELETE') return requestNow(url, options, callback);
  lateHangUp(`sent a DELETE ${HANG_UP_DELAY_MS} ms after the bot took it for done`);
  // The hang-up goes out behind a timer; the bot carries on at once, as if Graph had taken it (204).
  setTimeout(() => requestNow(url, options, (late) => late.resume()).on('error', () => undefined).end(), HANG_UP_DELAY_MS);
  const taken = Object.assign(new PassThrough(), { statusCode: 204 });
  const request = Object.assign(new EventEmitter(), {
    end: () => {
      callback(taken as unknown as IncomingMessage);
      taken.end();
    },
    destroy: () => undefined,
  });
  return request as unknown as ClientRequest;
}) as typeof http.request;

await runMutant('hangs-up-late-after-failed-transfer', { onTransferFailed: () => [{ kind: 'hangUp' }] });
