/**
 * Requests to Microsoft Graph, each with `Authorization: Bearer <app token>`. A bot makes them by
 * the hundred, so they go out with node:http (http-request.ts) rather than fetch, which builds a
 * Request, a Response and web streams around every call at about four times the CPU. (The one-off
 * requests, for the token and the notification keys, keep fetch.)
 */
import type { AccessTokenSource } from './access-token.js';
import type { BotConfig } from './config.js';
import { sendHttpRequest } from './http-request.js';

type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface GraphResponse {
  status: number;
  /** The parsed JSON body, the text if it was not JSON, undefined if empty. */
  body: unknown;
}

/** Graph could not be asked: no token, no connection, or no answer in time. */
export class GraphUnreachable extends Error {
  override name = 'GraphUnreachable';
}

export interface GraphClient {
  /**
   * `path` is below the version segment, e.g. `/communications/calls`. Any answer is returned,
   * errors included; throws GraphUnreachable when there is none.
   */
  request(method: HttpMethod, path: string, body?: unknown): Promise<GraphResponse>;
}

export function createGraphClient(
  config: Pick<BotConfig, 'graphBaseUrl' | 'graphApiVersion'>,
  tokens: AccessTokenSource,
): GraphClient {
  const base = `${config.graphBaseUrl}/${config.graphApiVersion}`;

  async function send(method: HttpMethod, path: string, body: unknown): Promise<GraphResponse> {
    const answer = await sendHttpRequest(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await tokens.get()}`,
        accept: 'application/json',
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      timeoutMs: 10_000,
    });
    return { status: answer.status, body: parseJson(answer.text) };
  }

  return {
    async request(method, path, body) {
      try {
        const response = await send(method, path, body);
        if (response.status !== 401) return response;
        // The token may have been revoked or expired early: one retry with a fresh one.
        tokens.invalidate();
        return await send(method, path, body);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new GraphUnreachable(`${method} ${path}: ${reason}`, { cause: error });
      }
    },
  };
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `/communications/calls/{id}` with the id escaped. */
export function callPath(callId: string): string {
  return `/communications/calls/${encodeURIComponent(callId)}`;
}
