import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { startFakeGraph, type GraphRequest } from '../graph/fake-graph.js';
import { graphError } from '../graph/graph-error.js';
import { startInterceptingProxy } from '../graph/intercepting-proxy.js';
import { issueLeaf, runCaFiles, runCaFromEnv, writeJavaTrustStore } from '../graph/run-ca.js';
import { runKeysFromEnv } from '../graph/signing-keys.js';
import { loadTarget } from '../load/load-target.js';
import { formatProblem } from '../load/problem.js';
import { loadRecordings } from '../load/load-recordings.js';
import { defaultReplyRecording } from '../graph/default-replies.js';
import { needsRunCa, type TargetProfile } from '../model/target.js';
import { RUN_CA_FOLDER } from '../run/run-files.js';
import { trustEnvironment } from '../run/run-trust.js';
import { standardEnvironment } from '../run/target-process.js';
import { UsageError } from './usage.js';

/**
 * `confcall serve --target FILE [--out DIR]`: the fake Graph alone, answering with the documented
 * responses, logging each request. `confcall proxy --target FILE [--out DIR] [--listen HOST:PORT]`:
 * the same behind the intercepting proxy, for a bot in any language started by hand.
 */
export async function serveCommand(args: string[], cwd: string, withProxy = false): Promise<number> {
  const { values } = parseArgs({ args, options: { target: { type: 'string' }, out: { type: 'string' }, ...(withProxy && { listen: { type: 'string' } }) } });
  if (!values.target) throw new UsageError(`${withProxy ? 'proxy' : 'serve'} needs --target FILE`);
  const { value: target, problems } = loadTarget(resolve(cwd, values.target));
  if (!target) {
    for (const p of problems) console.error(formatProblem(p));
    return 2;
  }
  const { recordings } = loadRecordings(resolve(cwd, 'recordings'));
  const outDir = resolve(cwd, values.out ?? 'reports');
  const trust = withProxy || needsRunCa(target) ? await runCaFromEnv(join(outDir, RUN_CA_FOLDER)) : undefined;
  const tls = target.graph.tls && trust ? await issueLeaf(trust.ca, [listenHost(target)]) : undefined;
  const graph = await startFakeGraph({ listen: target.graph.listen, keys: runKeysFromEnv(), appId: target.auth.appId, tenantId: target.auth.tenantId, clientSecret: target.auth.clientSecret, tls });
  const route = { owns: () => true, respond: (req: GraphRequest) => {
    const id = defaultReplyRecording(req.method, req.requestKind, req.path);
    const recording = id ? recordings.get(id) : undefined;
    const status = recording?.http.status ?? 501;
    console.log(`${req.method} ${req.rawPath} → ${status}${req.authProblem ? ` (auth: ${req.authProblem})` : ''}${req.schemaProblems.length ? ` (schema: ${req.schemaProblems.map((p) => `${p.path} ${p.message}`).join('; ')})` : ''}`);
    if (!recording) return { status: 501, body: graphError('NotImplemented', `no documented response for ${req.method} ${req.path}`, req.requestId) };
    return { status, body: recording.body };
  } };
  graph.attach(route);
  void graph.withCreateClaim(route, () => new Promise<void>((done) => process.once('SIGINT', done).once('SIGTERM', done)));
  const proxy = withProxy && trust
    ? await startInterceptingProxy({ listen: (values.listen as string | undefined) ?? '127.0.0.1:0', upstream: graph.url, ca: trust.ca, allowHosts: target.proxy?.allowHosts, onRefused: (r) => console.error(r.message), onProblem: (m) => console.error(`confcall proxy: ${m}`) })
    : undefined;
  const caFile = trust && runCaFiles(trust.dir).cert;
  const env = {
    ...standardEnvironment(proxy ? { ...target, start: { command: '', ready: '', ...target.start, intercept: 'proxy' } } : target, graph.url, graph.openIdConfigurationUrl),
    ...(caFile && trustEnvironment(caFile, writeJavaTrustStore(trust.ca, trust.dir), proxy)),
  };
  console.log(`confcall: fake Graph at ${graph.url}${proxy ? `, proxy at ${proxy.url} (Microsoft's hosts go to the fake Graph, any other host is refused)` : ''}; start your bot with:`);
  for (const [k, v] of Object.entries(env)) console.log(`  ${k}=${v}`);
  console.log('Ctrl-C stops.');
  await new Promise<void>((done) => process.once('SIGINT', done).once('SIGTERM', done));
  await proxy?.close();
  await graph.close();
  return 0;
}

/** `confcall proxy`: serve behind the intercepting proxy. */
export function proxyCommand(args: string[], cwd: string): Promise<number> {
  return serveCommand(args, cwd, true);
}

function listenHost(target: TargetProfile): string {
  return target.graph.listen.slice(0, target.graph.listen.lastIndexOf(':'));
}
