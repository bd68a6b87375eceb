import { parseArgs } from 'node:util';
import { startFakeGraph, type GraphRequest } from '../graph/fake-graph.js';
import { graphError } from '../graph/graph-error.js';
import { runKeysFromEnv } from '../graph/signing-keys.js';
import { loadTarget } from '../load/load-target.js';
import { formatProblem } from '../load/problem.js';
import { loadRecordings } from '../load/load-recordings.js';
import { defaultReplyRecording } from '../graph/default-replies.js';
import { standardEnvironment } from '../run/target-process.js';
import { UsageError } from './usage.js';
import { resolve } from 'node:path';

/** `confcall serve --target FILE`: the fake Graph alone, answering with the documented responses, logging each request. */
export async function serveCommand(args: string[], cwd: string): Promise<number> {
  const { values } = parseArgs({ args, options: { target: { type: 'string' } } });
  if (!values.target) throw new UsageError('serve needs --target FILE');
  const { value: target, problems } = loadTarget(resolve(cwd, values.target));
  if (!target) {
    for (const p of problems) console.error(formatProblem(p));
    return 2;
  }
  const { recordings } = loadRecordings(resolve(cwd, 'recordings'));
  const graph = await startFakeGraph({ listen: target.graph.listen, keys: runKeysFromEnv(), appId: target.auth.appId, tenantId: target.auth.tenantId, clientSecret: target.auth.clientSecret });
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
  console.log(`confcall: fake Graph at ${graph.url}; start your bot with:`);
  for (const [k, v] of Object.entries(standardEnvironment(target, graph.url, graph.openIdConfigurationUrl))) console.log(`  ${k}=${v}`);
  console.log('Ctrl-C stops.');
  await new Promise<void>((done) => process.once('SIGINT', done).once('SIGTERM', done));
  await graph.close();
  return 0;
}
