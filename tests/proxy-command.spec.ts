/**
 * `confcall proxy`: the fake Graph behind the intercepting proxy, for a bot started by hand. A
 * client that trusts only the run's CA reaches Microsoft's hosts through it (TLS terminated by the
 * proxy, the request served by the fake Graph under the production host's name); any other host,
 * by CONNECT or as a plain proxy request, is refused with a 403 naming it.
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect as tlsConnect } from 'node:tls';
import type { Socket } from 'node:net';
import { test, expect } from '@playwright/test';
import { portsFor, tempDir } from './support/cli.js';
import { startConfcall } from './support/background.js';

/** CONNECT through the proxy; the answer's status and body, and the tunnel when it was opened. */
function connectThrough(proxy: URL, target: string): Promise<{ status: number; body: string; socket: Socket }> {
  return new Promise((done, fail) => {
    const req = httpRequest({ host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: target, headers: { host: target } });
    req.on('connect', (res, socket, head) => {
      if (res.statusCode === 200) return done({ status: 200, body: '', socket });
      let body = head.toString();
      socket.on('data', (chunk) => (body += chunk));
      socket.on('end', () => done({ status: res.statusCode ?? 0, body, socket }));
    });
    req.on('error', fail);
    req.end();
  });
}

/** A GET over TLS inside an open tunnel, trusting only `ca`, checking the certificate names `host`. */
function getOverTls(socket: Socket, host: string, ca: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const tls = tlsConnect({ socket, servername: host, ca }, () => tls.write(`GET ${path} HTTP/1.1\r\nhost: ${host}\r\nconnection: close\r\n\r\n`));
    let text = '';
    tls.on('data', (chunk) => (text += chunk));
    tls.on('end', () => done({ status: Number(text.split(' ')[1]), body: text.slice(text.indexOf('\r\n\r\n') + 4) }));
    tls.on('error', fail);
  });
}

test('confcall proxy serves Microsoft hosts from the fake Graph over TLS with the run CA, and refuses every other host naming it', async ({}, testInfo) => {
  const out = tempDir('confcall-proxy-');
  const ports = portsFor(testInfo.parallelIndex, 5);
  const proxy = startConfcall(['proxy', '--target', 'tests/fixtures/python-bot/target.yaml', '--out', out], { env: ports });
  await proxy.waitFor('Ctrl-C stops.', 30_000).catch(async (error) => {
    await proxy.stop();
    throw error;
  });
  const env = (name: string): string => new RegExp(`^  ${name}=(.*)$`, 'm').exec(proxy.output())?.[1] ?? '';
  const proxyUrl = new URL(env('HTTPS_PROXY'));
  expect(proxyUrl.hostname).toBe('127.0.0.1');
  expect(env('NO_PROXY')).toBe('localhost,127.0.0.1,::1');
  expect(env('SSL_CERT_FILE')).toBe(`${out}/tls/ca.pem`);
  expect(env('GRAPH_BASE_URL')).toBe('https://graph.microsoft.com');
  const ca = readFileSync(env('SSL_CERT_FILE'), 'utf8');

  const tunnel = await connectThrough(proxyUrl, 'api.aps.skype.com:443');
  expect(tunnel.status).toBe(200);
  const config = await getOverTls(tunnel.socket, 'api.aps.skype.com', ca, '/v1/.well-known/OpenIdConfiguration');
  expect(config.status).toBe(200);
  expect(JSON.parse(config.body).jwks_uri).toBe('https://api.aps.skype.com/v1/.well-known/keys');

  const refused = await connectThrough(proxyUrl, 'telemetry.example.org:443');
  expect(refused.status).toBe(403);
  expect(refused.body).toContain("confcall's proxy refused telemetry.example.org:443");
  const plain = await new Promise<{ status: number; body: string }>((done, fail) => {
    httpRequest({ host: proxyUrl.hostname, port: proxyUrl.port, path: 'http://updates.example.net/check', headers: { host: 'updates.example.net' } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c)).on('end', () => done({ status: res.statusCode ?? 0, body }));
    }).on('error', fail).end();
  });
  expect(plain.status).toBe(403);
  expect(plain.body).toContain('refused updates.example.net:80');

  const { stderr } = await proxy.stop('SIGINT');
  expect(stderr).toContain('refused telemetry.example.org:443');
  expect(stderr).toContain('refused updates.example.net:80');
});

test('the proxy listens on loopback only', async () => {
  const { createRunCa } = await import('../harness/graph/run-ca.js');
  const { startInterceptingProxy } = await import('../harness/graph/intercepting-proxy.js');
  const ca = await createRunCa(1);
  for (const listen of ['0.0.0.0:0', '10.1.2.3:0', 'graph.microsoft.com:0']) {
    await expect(startInterceptingProxy({ listen, upstream: 'http://127.0.0.1:9', ca })).rejects.toThrow(/listens on loopback only/);
  }
  const proxy = await startInterceptingProxy({ listen: '127.0.0.1:0', upstream: 'http://127.0.0.1:9', ca });
  expect(proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  await proxy.close();
});

test("a host the profile lists in proxy.allowHosts is tunnelled as it is, by CONNECT and by plain request; an unlisted one is still refused", async () => {
  const { createRunCa } = await import('../harness/graph/run-ca.js');
  const { startInterceptingProxy } = await import('../harness/graph/intercepting-proxy.js');
  const { createServer: createTcpServer } = await import('node:net');
  const { createServer: createHttpServer } = await import('node:http');
  // The listed "host" is on this machine: a TCP echo server and an HTTP server on 127.0.0.1.
  const echo = createTcpServer((socket) => socket.pipe(socket));
  const web = createHttpServer((req, res) => res.end(`served ${req.url}`));
  await Promise.all([echo, web].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
  const echoPort = (echo.address() as { port: number }).port;
  const webPort = (web.address() as { port: number }).port;
  const proxy = await startInterceptingProxy({ listen: '127.0.0.1:0', upstream: 'http://127.0.0.1:9', ca: await createRunCa(1), allowHosts: ['127.0.0.1'] });
  try {
    const proxyUrl = new URL(proxy.url);
    const tunnel = await connectThrough(proxyUrl, `127.0.0.1:${echoPort}`);
    expect(tunnel.status).toBe(200);
    const echoed = await new Promise<string>((done) => {
      tunnel.socket.once('data', (chunk) => done(String(chunk)));
      tunnel.socket.write('hello through the tunnel');
    });
    expect(echoed).toBe('hello through the tunnel');
    tunnel.socket.destroy();
    const page = await new Promise<string>((done, fail) => {
      httpRequest({ host: proxyUrl.hostname, port: proxyUrl.port, path: `http://127.0.0.1:${webPort}/page?x=1` }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c)).on('end', () => done(body));
      }).on('error', fail).end();
    });
    expect(page).toBe('served /page?x=1');
    expect((await connectThrough(proxyUrl, 'elsewhere.example.org:443')).status).toBe(403);
    expect(proxy.refusals.map((r) => r.host)).toEqual(['elsewhere.example.org']);
  } finally {
    await proxy.close();
    echo.close();
    web.close();
  }
});
