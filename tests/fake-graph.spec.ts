import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { test, expect } from '@playwright/test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { issueAccessToken } from '../harness/graph/access-tokens.js';
import { startFakeGraph, type FakeGraph, type GraphRequest } from '../harness/graph/fake-graph.js';
import { generateRunKeys } from '../harness/graph/signing-keys.js';
import { notificationTokenSigner } from '../harness/notify/notification-token.js';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const TENANT = 'aa67bd4c-8475-432d-bd41-39f255720e0a';
const keys = generateRunKeys();
let graph: FakeGraph;
let seen: GraphRequest[] = [];

test.beforeAll(async () => {
  graph = await startFakeGraph({ listen: '127.0.0.1:0', keys, appId: APP_ID, tenantId: TENANT, clientSecret: 's3cret' });
  graph.attach({
    owns: () => true,
    respond: (req) => {
      seen.push(req);
      return { status: 202 };
    },
  });
});
test.afterAll(() => graph.close());
test.beforeEach(() => void (seen = []));

async function token(): Promise<string> {
  const res = await fetch(`${graph.url}/${TENANT}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: APP_ID, client_secret: 's3cret', scope: 'https://graph.microsoft.com/.default' }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

test('the token endpoint issues a client-credentials token and refuses a wrong secret', async () => {
  expect((await token()).split('.')).toHaveLength(3);
  const refused = await fetch(`${graph.url}/${TENANT}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: APP_ID, client_secret: 'wrong' }) });
  expect(refused.status).toBe(401);
  expect(((await refused.json()) as { error: string }).error).toBe('invalid_client');
});

// The authority metadata lists client_secret_basic, and RFC 6749 §2.3.1 says "The authorization server
// MUST support the HTTP Basic authentication scheme for authenticating clients that were issued a client
// password" (client id and secret form-urlencoded, then base64): a bot whose OAuth library authenticates
// that way (simple-oauth2's default, requests-oauthlib's) gets its token, and a wrong secret is refused.
test('the token endpoint takes the client credentials in an HTTP Basic header, as its metadata advertises', async () => {
  const metadata = (await (await fetch(`${graph.url}/${TENANT}/v2.0/.well-known/openid-configuration`)).json()) as { token_endpoint_auth_methods_supported: string[] };
  expect(metadata.token_endpoint_auth_methods_supported).toContain('client_secret_basic');
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
  const ask = (authorization: string) =>
    fetch(`${graph.url}/${TENANT}/oauth2/v2.0/token`, { method: 'POST', headers: { authorization }, body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' }) });
  const granted = await ask(basic(APP_ID, 's3cret'));
  expect(granted.status).toBe(200);
  const bearer = `Bearer ${((await granted.json()) as { access_token: string }).access_token}`;
  const res = await fetch(`${graph.url}/v1.0/communications/calls/abc/keepAlive`, { method: 'POST', headers: { authorization: bearer } });
  expect(res.status).toBe(202);
  expect(seen.at(-1)!.authProblem).toBeUndefined();
  const refused = await ask(basic(APP_ID, 'wrong'));
  expect(refused.status).toBe(401);
  expect(((await refused.json()) as { error: string }).error).toBe('invalid_client');
  expect((await ask(basic('someone-else', 's3cret'))).status).toBe(401);
});

test('every URL of the authority metadata that a client may fetch answers: the jwks_uri is an empty key set (a Graph token is opaque to the bot)', async () => {
  const metadata = (await (await fetch(`${graph.url}/${TENANT}/v2.0/.well-known/openid-configuration`)).json()) as { jwks_uri: string; token_endpoint: string };
  const keySet = await fetch(metadata.jwks_uri);
  expect(keySet.status).toBe(200);
  expect(await keySet.json()).toEqual({ keys: [] });
  expect(metadata.token_endpoint).toBe(`${graph.url}/${TENANT}/oauth2/v2.0/token`);
});

test('a notification token verifies against the published OpenID configuration and JWKS', async () => {
  const config = (await (await fetch(graph.openIdConfigurationUrl)).json()) as { issuer: string; jwks_uri: string; id_token_signing_alg_values_supported: string[] };
  expect(config.id_token_signing_alg_values_supported).toEqual(['RS256']);
  const jwt = await notificationTokenSigner(keys)({ audience: APP_ID, tenantId: TENANT });
  const { payload, protectedHeader } = await jwtVerify(jwt, createRemoteJWKSet(new URL(config.jwks_uri)), { issuer: 'https://graph.microsoft.com', audience: APP_ID });
  expect(payload.tid).toBe(TENANT);
  expect(protectedHeader.kid).toBe(keys.notificationKey.kid);
  expect(typeof payload.nbf).toBe('number');
  expect(typeof payload.exp).toBe('number');
});

test('the JWKS publishes no private key material', async () => {
  const jwks = (await (await fetch(`${graph.url}/v1/.well-known/keys`)).json()) as { keys: Array<Record<string, unknown>> };
  expect(jwks.keys).toHaveLength(1);
  for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(jwks.keys[0]).not.toHaveProperty(member);
});

test('a request without a bearer token gets a Graph-shaped 401, and the scenario still sees it', async () => {
  const res = await fetch(`${graph.url}/v1.0/communications/calls/abc/answer`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
  expect(res.status).toBe(401);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('InvalidAuthenticationToken');
  expect(seen).toHaveLength(1);
  expect(seen[0]!.authProblem).toMatch(/no Authorization header/);
});

test('bad JSON gets a Graph-shaped 400', async () => {
  const res = await fetch(`${graph.url}/v1.0/communications/calls/abc/transfer`, { method: 'POST', body: '{"transferTarget": ', headers: { authorization: `Bearer ${await token()}` } });
  expect(res.status).toBe(400);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BadRequest');
});

test('a body that breaks the Graph metadata gets a 400 naming the member', async () => {
  const res = await fetch(`${graph.url}/beta/communications/calls/abc/answer`, {
    method: 'POST',
    body: JSON.stringify({ callbackUri: 'https://bot/cb', acceptedModalities: 'audio', mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } }),
    headers: { authorization: `Bearer ${await token()}` },
  });
  expect(res.status).toBe(400);
  expect(((await res.json()) as { error: { message: string } }).error.message).toContain('/acceptedModalities');
  expect(seen[0]!.requestKind).toBe('answer');
});

test('/v1.0, /beta and the deprecated /app paths reach the same resource', async () => {
  const bearer = { authorization: `Bearer ${await token()}` };
  for (const prefix of ['/v1.0/communications', '/beta/communications', '/app']) {
    const res = await fetch(`${graph.url}${prefix}/calls/abc/participants/p1/stopHoldMusic`, { method: 'POST', body: '{}', headers: bearer });
    expect(res.status).toBe(202);
    expect(res.headers.get('content-type')).toBeNull(); // empty 202s carry no JSON content type
  }
  expect(seen.map((r) => r.path)).toEqual(Array(3).fill('/communications/calls/abc/participants/p1/stopHoldMusic'));
  expect(seen.map((r) => r.version)).toEqual(['v1.0', 'beta', 'app']);
});

test('a path outside the Graph API gets a Graph-shaped 404', async () => {
  const res = await fetch(`${graph.url}/nothing/here`);
  expect(res.status).toBe(404);
  expect(((await res.json()) as { error: { code: string } }).error).toBeTruthy();
});

test('an answer without a body is framed by content-length: 0, not chunked; a 204 carries no length at all', async () => {
  const own = await startFakeGraph({ listen: '127.0.0.1:0', keys, appId: APP_ID, tenantId: TENANT });
  own.attach({ owns: () => true, respond: (req) => ({ status: req.method === 'DELETE' ? 204 : 202 }) });
  try {
    const bearer = `Bearer ${(await issueAccessToken(keys, APP_ID, TENANT)).token}`;
    const head = (method: string, path: string): Promise<{ status: number; headers: IncomingHttpHeaders }> =>
      new Promise((resolve, reject) => {
        const req = httpRequest(`${own.url}${path}`, { method, headers: { authorization: bearer, 'content-type': 'application/json' } }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers }));
        });
        req.on('error', reject);
        req.end(method === 'POST' ? '{}' : undefined);
      });
    const accepted = await head('POST', '/v1.0/communications/calls/abc/keepAlive');
    expect(accepted.status).toBe(202);
    expect(accepted.headers['content-length']).toBe('0');
    expect(accepted.headers['transfer-encoding']).toBeUndefined();
    const deleted = await head('DELETE', '/v1.0/communications/calls/abc');
    expect(deleted.status).toBe(204);
    expect(deleted.headers['content-length']).toBeUndefined();
    expect(deleted.headers['transfer-encoding']).toBeUndefined();
  } finally {
    await own.close();
  }
});

test('a request about a call goes to the run that owns it, whatever the case of its id, and each run is asked with the id lower-cased', async () => {
  const own = await startFakeGraph({ listen: '127.0.0.1:0', keys, appId: APP_ID, tenantId: TENANT });
  const asked: string[] = [];
  const answeredBy: string[] = [];
  const run = (name: string, callId: string) => ({ owns: (id: string) => (asked.push(id), id === callId), respond: () => (answeredBy.push(name), { status: 202 }) });
  own.attach(run('first', 'aaaaaaaa-0000-4000-8000-000000000001'));
  own.attach(run('second', 'bbbbbbbb-0000-4000-8000-00000000000b'));
  try {
    const bearer = `Bearer ${(await issueAccessToken(keys, APP_ID, TENANT)).token}`;
    const post = (callId: string) => fetch(`${own.url}/v1.0/communications/calls/${callId}/keepAlive`, { method: 'POST', headers: { authorization: bearer } });
    expect((await post('BBBBBBBB-0000-4000-8000-00000000000B')).status).toBe(202);
    expect((await post('aaaaaaaa-0000-4000-8000-000000000001')).status).toBe(202);
    expect((await post('cccccccc-0000-4000-8000-00000000000c')).status).toBe(404);
    expect(answeredBy).toEqual(['second', 'first']);
    expect(asked.every((id) => id === id.toLowerCase())).toBe(true);
  } finally {
    await own.close();
  }
});
