import type { CapturedExchange } from '../model/capture.js';
import type { RedactionRule } from '../model/redaction.js';
import { redactText, redactValue, type Placeholders } from './redact.js';

/** Response headers a replay needs; the rest (dates, request ids, cookies) say nothing about the call. */
const KEPT_RESPONSE_HEADERS = new Set(['location', 'content-type']);

/** Every captured payload, path and kept header with the rules applied, one placeholder table for all. */
export function redactCapture(captured: readonly CapturedExchange[], rules: readonly RedactionRule[], placeholders: Placeholders): CapturedExchange[] {
  const value = <T>(v: T): T => redactValue(v, rules, placeholders);
  return captured.map((exchange): CapturedExchange => {
    if (exchange.type === 'graph') {
      const headers = Object.fromEntries(
        Object.entries(exchange.responseHeaders)
          .filter(([name]) => KEPT_RESPONSE_HEADERS.has(name.toLowerCase()))
          .map(([name, v]) => [name, redactText(v, rules, placeholders)]),
      );
      return { ...exchange, rawPath: redactText(exchange.rawPath, rules, placeholders), body: value(exchange.body), responseHeaders: headers, responseBody: value(exchange.responseBody) };
    }
    if (exchange.type === 'notification') return { ...exchange, body: value(exchange.body) };
    return { ...exchange, path: redactText(exchange.path, rules, placeholders), body: value(exchange.body), responseBody: value(exchange.responseBody) };
  });
}
