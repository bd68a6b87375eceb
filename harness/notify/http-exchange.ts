import type { Dispatcher } from 'undici';
import { MAX_REPLY_BYTES, textOf } from './capped-body.js';

/** One HTTP request to the bot, as confcall makes it: where, how, and what it sends. */
export interface ExchangeRequest {
  /** `http://127.0.0.1:3978` */
  origin: string;
  /** Path and query: `/api/calls`. */
  path: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers: Record<string, string>;
  body?: string;
  headersTimeout?: number;
  bodyTimeout?: number;
}

/** The bot's answer: status, the first `keep` bytes of its body as text, and whether the body went past the limit. */
export interface ExchangeAnswer {
  status: number;
  text: string;
  bytes: number;
  /** The body went on past the limit: reading stopped there and the connection was dropped. */
  cut: boolean;
  /** The `Location` header of a redirect (3xx) answer, as sent. */
  location?: string;
}

/**
 * Sends one request on `dispatcher` and reads the answer's body up to `limit` bytes, keeping its
 * first `keep` bytes as text; rejects as undici's `request` does (the error's `code`: ECONNREFUSED,
 * UND_ERR_HEADERS_TIMEOUT, ...). undici's dispatch API directly, without `request`'s body stream:
 * the stream and its events were a fifth of the harness's CPU per delivery, for a body of a few bytes.
 */
export function exchange(dispatcher: Dispatcher, request: ExchangeRequest, keep: number, limit = MAX_REPLY_BYTES): Promise<ExchangeAnswer> {
  return new Promise((resolve, reject) => {
    const kept: Buffer[] = [];
    let bytes = 0;
    let status = 0;
    let location: string | undefined;
    let settled = false;
    let abort: ((reason?: Error) => void) | undefined;
    const finish = (cut: boolean): void => {
      if (settled) return;
      settled = true;
      resolve({ status, text: textOf(kept, keep), bytes, cut, ...(location !== undefined && { location }) });
    };
    const handler: Dispatcher.DispatchHandler = {
      onConnect(abortRequest) {
        abort = abortRequest as (reason?: Error) => void;
      },
      onHeaders(statusCode, rawHeaders) {
        status = statusCode;
        if (statusCode >= 300 && statusCode < 400) location = headerOf(rawHeaders as Buffer[], 'location');
        return true;
      },
      onData(chunk) {
        if (bytes < keep) kept.push(chunk);
        bytes += chunk.length;
        if (bytes <= limit) return true;
        // Past the limit: answer with what was read and drop the connection (its error goes nowhere).
        finish(true);
        abort?.(new Error('reply body over the limit'));
        return false;
      },
      onComplete() {
        finish(false);
      },
      onError(error) {
        if (settled) return;
        settled = true;
        reject(error);
      },
    };
    dispatcher.dispatch({ origin: request.origin, path: request.path, method: request.method, headers: request.headers, body: request.body, headersTimeout: request.headersTimeout, bodyTimeout: request.bodyTimeout }, handler);
  });
}

/** A header's value among undici's raw name/value pairs (only redirects are searched: other answers pay nothing). */
function headerOf(raw: Buffer[], name: string): string | undefined {
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]!.toString('latin1').toLowerCase() === name) return raw[i + 1]!.toString('latin1');
  return undefined;
}

/** A URL as the origin and path a dispatch takes. */
export function placeOfUrl(url: string): { origin: string; path: string } {
  const parsed = new URL(url);
  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
}

/** placeOfUrl, each URL parsed once (a run posts every notification to one URL). */
export function placeCache(max = 1024): (url: string) => { origin: string; path: string } {
  const places = new Map<string, { origin: string; path: string }>();
  return (url) => {
    let place = places.get(url);
    if (!place) {
      place = placeOfUrl(url);
      if (places.size < max) places.set(url, place);
    }
    return place;
  };
}
