/**
 * In-process interception, client by client: each HTTP client a Node bot may use reaches the fake
 * Graph when it calls Microsoft's production hosts (token, Graph request, notification keys), and
 * the interception leaves no trace once stopped.
 */
import https from 'node:https';
import { test, expect } from '@playwright/test';
import { ConfidentialClientApplication } from '@azure/msal-node';
import graphClientPackage from '@microsoft/microsoft-graph-client';
import axios from 'axios';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import nock from 'nock';
import { request } from 'undici';
import { startFakeGraph, type FakeGraph, type GraphRequest } from '../harness/graph/fake-graph.js';
import { generateRunKeys } from '../harness/graph/signing-keys.js';
import { interceptProductionHosts, type Interception } from '../harness/inprocess/intercept-production-hosts.cjs';
import { notificationTokenSigner } from '../harness/notify/notification-token.js';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const TENANT = 'aa67bd4c-8475-432d-bd41-39f255720e0a';
const SECRET = 'clients-secret';
const CALL = '57dab8b1-894c-409a-b240-bd8beae78896';
const TOKEN_URL = `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`;
const ANSWER_URL = `https://graph.microsoft.com/v1.0/communications/calls/${CALL}/answer`;
const ANSWER = { callbackUri: 'https://bot.contoso.com/api/calls', acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } };
const tokenForm = (): string => new URLSearchParams({ grant_type: 'client_credentials', client_id: APP_ID, client_secret: SECRET, scope: 'https://graph.microsoft.com/.default' }).toString();

test.describe.configure({ mode: 'serial' });

const keys = generateRunKeys();
let graph: FakeGraph;
let interception: Interception | undefined;
let seen: GraphRequest[] = [];
const DISPATCHER = Symbol.for('undici.globalDispatcher.1');
let dispatcherBefore: unknown;

test.beforeAll(async () => {
  graph = await startFakeGraph({ listen: '127.0.0.1:0', keys, appId: APP_ID, tenantId: TENANT, clientSecret: SECRET });
  // Graph answers the answer request as documented: 202, no body.
  graph.attach({ owns: () => true, respond: (req) => (seen.push(req), { status: 202 }) });
  dispatcherBefore = (globalThis as Record<symbol, unknown>)[DISPATCHER];
  interception = interceptProductionHosts(graph.url);
});

test.afterAll(async () => {
  await interception?.stop();
  await graph?.close();
});

test.beforeEach(() => {
  seen = [];
});

/** The one answer request the fake Graph saw, authenticated with a token its token endpoint issued. */
function expectAnsweredOnce(version = 'v1.0'): void {
  expect(seen).toHaveLength(1);
  const [req] = seen;
  expect(req!.method).toBe('POST');
  expect(req!.path).toBe(`/communications/calls/${CALL}/answer`);
  expect(req!.version).toBe(version);
  expect(req!.body).toEqual(ANSWER);
  expect(req!.authProblem).toBeUndefined();
}

test('fetch: token and Graph request reach the fake Graph; the empty 202 has no content type', async () => {
  const tokenResponse = await fetch(TOKEN_URL, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: tokenForm() });
  expect(tokenResponse.status).toBe(200);
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  const answer = await fetch(ANSWER_URL, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(ANSWER) });
  expect(answer.status).toBe(202);
  expect(answer.headers.get('content-type')).toBeNull();
  expect(await answer.text()).toBe('');
  expectAnsweredOnce();
});

test("undici.request (undici's own API, which nock does not see) reaches the fake Graph", async () => {
  const tokenResponse = await request(TOKEN_URL, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: tokenForm() });
  expect(tokenResponse.statusCode).toBe(200);
  const { access_token: token } = (await tokenResponse.body.json()) as { access_token: string };
  const answer = await request(ANSWER_URL, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(ANSWER) });
  expect(answer.statusCode).toBe(202);
  expect(answer.headers['content-type']).toBeUndefined();
  await answer.body.dump();
  expectAnsweredOnce();
});

test('node:https reaches the fake Graph', async () => {
  const send = (url: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const req = https.request(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  const tokenResponse = await send(TOKEN_URL, { 'content-type': 'application/x-www-form-urlencoded' }, tokenForm());
  expect(tokenResponse.status).toBe(200);
  const { access_token: token } = JSON.parse(tokenResponse.text) as { access_token: string };
  const answer = await send(ANSWER_URL, { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, JSON.stringify(ANSWER));
  expect(answer.status).toBe(202);
  expectAnsweredOnce();
});

test('axios reaches the fake Graph', async () => {
  const tokenResponse = await axios.post(TOKEN_URL, tokenForm(), { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  expect(tokenResponse.status).toBe(200);
  const answer = await axios.post(ANSWER_URL, ANSWER, { headers: { authorization: `Bearer ${tokenResponse.data.access_token}` } });
  expect(answer.status).toBe(202);
  expectAnsweredOnce();
});

test('@azure/msal-node gets its client-credentials token from the fake Graph, and Graph accepts it', async () => {
  const msal = new ConfidentialClientApplication({ auth: { clientId: APP_ID, clientSecret: SECRET, authority: `https://login.microsoftonline.com/${TENANT}` } });
  const result = await msal.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
  expect(result?.accessToken).toBeTruthy();
  const answer = await fetch(ANSWER_URL, { method: 'POST', headers: { authorization: `Bearer ${result!.accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify(ANSWER) });
  expect(answer.status).toBe(202);
  expectAnsweredOnce();
});

test('@microsoft/microsoft-graph-client posts to the fake Graph and takes the empty 202 without choking', async () => {
  const msal = new ConfidentialClientApplication({ auth: { clientId: APP_ID, clientSecret: SECRET, authority: `https://login.microsoftonline.com/${TENANT}` } });
  const client = graphClientPackage.Client.init({
    authProvider: (done) => {
      msal.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }).then((r) => done(null, r!.accessToken), (error) => done(error, null));
    },
  });
  await client.api(`/communications/calls/${CALL}/answer`).post(ANSWER);
  expectAnsweredOnce();
});

test('the deprecated /app/calls path is served like /communications/calls', async () => {
  const { access_token: token } = (await (await fetch(TOKEN_URL, { method: 'POST', body: new URLSearchParams(tokenForm()) })).json()) as { access_token: string };
  const answer = await fetch(`https://graph.microsoft.com/app/calls/${CALL}/answer`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(ANSWER) });
  expect(answer.status).toBe(202);
  expectAnsweredOnce('app');
});

for (const configuration of ['https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration', 'https://login.botframework.com/v1/.well-known/openidconfiguration']) {
  test(`the notification keys at ${new URL(configuration).host} verify the harness's notification tokens`, async () => {
    const document = (await (await fetch(configuration)).json()) as { jwks_uri: string; issuer: string };
    // The keys are named on the production host the bot asked, so fetching them is intercepted too.
    expect(new URL(document.jwks_uri).origin).toBe(new URL(configuration).origin);
    const token = await notificationTokenSigner(keys)({ audience: APP_ID, tenantId: TENANT });
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(document.jwks_uri)), { issuer: 'https://graph.microsoft.com', audience: APP_ID });
    expect(payload.tid).toBe(TENANT);
  });
}

test('other hosts are not rerouted: loopback requests go where they are addressed', async () => {
  const keysDocument = await (await fetch(`${graph.url}/v1/.well-known/keys`)).json();
  expect(keysDocument).toHaveProperty('keys');
  const res = await request(`${graph.url}/v1/.well-known/OpenIdConfiguration`);
  // Asked directly, the fake Graph names its own loopback URL, not a production host.
  expect(((await res.body.json()) as { jwks_uri: string }).jwks_uri).toBe(`${graph.url}/v1/.well-known/keys`);
});

test('stop removes the interception: nock restored, the previous undici dispatcher back', async () => {
  expect(nock.isActive()).toBe(true);
  expect((globalThis as Record<symbol, unknown>)[DISPATCHER]).not.toBe(dispatcherBefore);
  await interception!.stop();
  interception = undefined;
  expect(nock.isActive()).toBe(false);
  if (dispatcherBefore !== undefined) expect((globalThis as Record<symbol, unknown>)[DISPATCHER]).toBe(dispatcherBefore);
  expect(nock.activeMocks()).toEqual([]);
});
