import type { Dispatcher } from 'undici';
import { newBotDispatcher } from './bot-dispatcher.js';
import { exchange, placeCache } from './http-exchange.js';

/** The outcome of one notification POST. */
export interface DeliveryResult {
  /** HTTP status; 0 when there was none (connection refused, reset, timeout). */
  status: number;
  latencyMs: number;
  /** First 2 KiB of the bot's answer, for reports. */
  responseText?: string;
  error?: string;
  /** The answer's body went past MAX_REPLY_BYTES: it was not read whole. */
  tooLarge?: boolean;
  /** True when the bot could not be reached at all (no TCP connection). */
  unreachable?: boolean;
  /** Where a redirect answer (3xx) sends the notification: its `Location`, as the bot wrote it. */
  location?: string;
}

export interface Notifier {
  /** POSTs a notification body with a bearer token; never throws. `json`, when given, is `JSON.stringify(body)` made beforehand. */
  deliver(url: string, body: unknown, bearer: string | undefined, json?: string): Promise<DeliveryResult>;
  close(): Promise<void>;
}

/** How much of an answer is kept for reports. */
const MAX_ANSWER_BYTES = 2048;

/**
 * Delivers notifications and measures the bot's answers, on `dispatcher` (the run's one pool to the bot,
 * harness/notify/bot-dispatcher.ts: left open by close()) or, without one, on a keep-alive pool of its own.
 */
export function createNotifier(dispatcher?: Dispatcher): Notifier {
  const agent = dispatcher ?? newBotDispatcher();
  // A run posts every notification to one callback URL: parse each URL once, not per POST (a sixth of a delivery's CPU).
  const placeOf = placeCache();
  return {
    async deliver(url, body, bearer, json) {
      const started = performance.now();
      try {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
        const answer = await exchange(agent, { ...placeOf(url), method: 'POST', body: json ?? JSON.stringify(body), headers }, MAX_ANSWER_BYTES);
        return { status: answer.status, latencyMs: performance.now() - started, responseText: answer.text, ...(answer.cut ? { tooLarge: true } : {}), ...(answer.location !== undefined && { location: answer.location }) };
      } catch (error) {
        const code = (error as { code?: string }).code ?? '';
        const unreachable = ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'EADDRNOTAVAIL'].includes(code);
        return { status: 0, latencyMs: performance.now() - started, error: `${code || 'error'}: ${(error as Error).message}`, unreachable };
      }
    },
    close: () => (dispatcher ? Promise.resolve() : agent.close()),
  };
}
