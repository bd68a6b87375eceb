/**
 * One outgoing HTTP request with node:http or node:https, its answer read as text. Node's global
 * agents keep connections open between requests (and give them up before the server's Keep-Alive
 * timeout), and node:https trusts NODE_EXTRA_CA_CERTS. No client library to load at start.
 */
import http from 'node:http';
import https from 'node:https';

export interface HttpRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** How long the server may stay silent (for its answer, then between the parts of its body). */
  timeoutMs: number;
}

export interface HttpAnswer {
  status: number;
  text: string;
}

/** Sends one request and reads its whole answer; rejects when the server stays silent for `timeoutMs` or the connection fails. */
export function sendHttpRequest(url: string, { method, headers, body, timeoutMs }: HttpRequest): Promise<HttpAnswer> {
  const client = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(url, { method, headers, timeout: timeoutMs }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}
