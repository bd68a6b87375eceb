/**
 * Outbound authentication: an app-only token from the client-credentials grant, cached until
 * shortly before it expires. (Samples: "client-credentials via MSAL ... scope
 * https://graph.microsoft.com/.default".)
 */
import type { BotConfig } from './config.js';
import { isRecord, readInteger, readString } from './json.js';

export interface AccessTokenSource {
  /** A valid token, from the cache when it has one. */
  get(): Promise<string>;
  /** Forget the cached token (Graph refused it). */
  invalidate(): void;
}

/** Renew this long before expiry, or at half the lifetime of a short-lived token. */
const RENEW_BEFORE_SECONDS = 60;

export function clientCredentialsToken(
  config: Pick<BotConfig, 'authorityHost' | 'tenantId' | 'appId' | 'clientSecret'>,
): AccessTokenSource {
  const endpoint = `${config.authorityHost}/${encodeURIComponent(config.tenantId)}/oauth2/v2.0/token`;
  let cached: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: config.appId,
        client_secret: config.clientSecret,
        scope: 'https://graph.microsoft.com/.default',
      }),
      signal: AbortSignal.timeout(10_000),
    });
    const body: unknown = await response.json().catch(() => undefined);
    const token = isRecord(body) ? readString(body.access_token) : undefined;
    if (!response.ok || token === undefined) {
      throw new Error(`token endpoint ${endpoint} answered ${response.status} without an access_token`);
    }
    const lifetime = (isRecord(body) && readInteger(body.expires_in)) || 3600;
    const renewIn = Math.max(0, lifetime - Math.min(RENEW_BEFORE_SECONDS, lifetime / 2));
    cached = { token, renewAt: Date.now() + renewIn * 1000 };
    return token;
  }

  return {
    async get() {
      if (cached && Date.now() < cached.renewAt) return cached.token;
      // Concurrent requests share one token request.
      pending ??= fetchToken().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
