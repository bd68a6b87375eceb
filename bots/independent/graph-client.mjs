/**
 * Graph REST client: a client-credentials token (cached until shortly before it expires) on every
 * request, against `${GRAPH_BASE_URL}/v1.0/communications/...`.
 */
import { request } from 'undici';

/** Makes `{call(method, path, body?) → {status, body}}` for the configuration. */
export function makeGraphClient({ graphBaseUrl, authorityHost, tenantId, appId, clientSecret }) {
  let cached = { token: '', expiresAt: 0 };

  async function token() {
    // Renew a minute early so a token never expires in flight.
    if (cached.token && Date.now() < cached.expiresAt - 60_000) return cached.token;
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: appId, client_secret: clientSecret, scope: 'https://graph.microsoft.com/.default' });
    const res = await request(`${authorityHost}/${tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    const body = await res.body.json().catch(() => ({}));
    if (res.statusCode !== 200 || !body.access_token) throw new Error(`token endpoint: HTTP ${res.statusCode}`);
    cached = { token: body.access_token, expiresAt: Date.now() + Number(body.expires_in ?? 0) * 1000 };
    return cached.token;
  }

  return {
    /** Sends one Graph request; `path` starts at `/communications/`. Throws only when Graph is unreachable. */
    async call(method, path, body) {
      const headers = { authorization: `Bearer ${await token()}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await request(`${graphBaseUrl}/v1.0${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.body.text();
      let parsed;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: res.statusCode, body: parsed };
    },
  };
}
