/**
 * What a target profile's values mean, beyond their schema: ports a socket can use, the Entra ids
 * Graph puts in every notification token, and settle times the run can honour. Each check refuses
 * only a value that can never work and warns about one the run would not honour as written.
 */
import type { TargetProfile } from '../model/target.js';
import { describeEphemeral, ephemeralPortRange, type PortRange } from './ephemeral-ports.js';
import type { LoadProblem } from './problem.js';
import { formatPath, positionAt, type YamlSource } from './yaml-source.js';

type Path = Array<string | number>;

/** A GUID in its registry form, as Entra shows app (client) ids and tenant ids. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The longest quiet window a plain documented test waits (run/scenario-run.ts MAX_SETTLE_MS; load/ may not import run/, a test keeps the two equal). */
export const SETTLE_CAP_MS = 3000;

/** Problems (refused) and warnings of the profile's values, each at its file:line:col; `ephemeral`: this machine's range (undefined: say nothing of it). */
export function targetValueProblems(target: TargetProfile, source: YamlSource, ephemeral: PortRange | undefined = ephemeralPortRange()): { problems: LoadProblem[]; warnings: LoadProblem[] } {
  const at = (path: Path, message: string, hint: string): LoadProblem => ({ ...positionAt(source, path), path: formatPath(path), message, hint });
  const problems = [...portProblems(target, at), ...idProblems(target, at)];
  const warnings: LoadProblem[] = [];
  if (target.settleMs !== undefined && target.settleMs > SETTLE_CAP_MS) {
    warnings.push({ ...at(['settleMs'], `settleMs ${target.settleMs} is longer than the run waits: it caps the quiet window at ${SETTLE_CAP_MS} ms`, `set settleMs to ${SETTLE_CAP_MS} or less: the run waits at most that long for the bot to go quiet`), severity: 'warning' });
  }
  if (ephemeral) warnings.push(...ephemeralListenWarnings(target, ephemeral).map(({ path, port, who }) => ({ ...at(path, `port ${port}, where ${who} listens, is in this machine's ephemeral range ${describeEphemeral(ephemeral)}: the kernel hands those ports to outgoing connections, so the listen can fail with EADDRINUSE while nothing listens there`, `move it below ${ephemeral.low} (or above ${ephemeral.high}), e.g. ${path[0] === 'graph' ? 4455 : 3978}`), severity: 'warning' as const })));
  return { problems, warnings };
}

/**
 * The ports a run listens on that lie in `ephemeral`, each once, at its first place: graph.listen (the fake Graph),
 * and, when the profile starts the bot, the ports of its callbackUri, control and ready URLs (the bot listens there).
 */
function ephemeralListenWarnings(target: TargetProfile, ephemeral: PortRange): Array<{ path: Path; port: number; who: string }> {
  const listeners = addressesOf(target).filter(({ path }) => path[0] === 'graph' || (target.start && ['callbackUri', 'control', 'start'].includes(String(path[0]))));
  const seen = new Set<number>();
  return listeners.flatMap(({ path, url }) => {
    const port = Number(AUTHORITY.exec(url)?.[3]);
    if (!Number.isInteger(port) || port < ephemeral.low || port > ephemeral.high || seen.has(port)) return [];
    seen.add(port);
    return [{ path, port, who: path[0] === 'graph' ? 'the fake Graph' : 'the bot confcall starts' }];
  });
}

/** Every URL and host:port the profile gives a socket, with where it is. */
function addressesOf(target: TargetProfile): Array<{ path: Path; url: string }> {
  const out: Array<{ path: Path; url: string }> = [{ path: ['callbackUri'], url: target.callbackUri }, { path: ['graph', 'listen'], url: `tcp://${target.graph.listen}` }];
  if (target.control) out.push({ path: ['control'], url: target.control });
  if (target.start) out.push({ path: ['start', 'ready'], url: target.start.ready });
  if (typeof target.probe === 'object') out.push({ path: ['probe', 'url'], url: target.probe.url });
  for (const [name, trigger] of Object.entries(target.actions ?? {})) if ('http' in trigger) out.push({ path: ['actions', name, 'http', 'url'], url: trigger.http.url });
  return out;
}

const AUTHORITY = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::([^/?#]*))?/i;

function portProblems(target: TargetProfile, at: (path: Path, message: string, hint: string) => LoadProblem): LoadProblem[] {
  return addressesOf(target).flatMap(({ path, url }) => {
    const match = AUTHORITY.exec(url);
    if (!match || match[0].includes('${')) return []; // the schema checks the form; a placeholder in the host is filled per run
    const [, scheme, host, port] = match;
    const where = path[0] === 'graph' ? 'graph.listen' : 'the URL';
    if (!host) return [at(path, `${where} names no host`, 'write host:port, e.g. 127.0.0.1:3978')];
    if (port === undefined || port === '') {
      return scheme!.toLowerCase() === 'tcp' ? [at(path, `${where} names no port`, 'write tcp://host:port, e.g. tcp://127.0.0.1:3978')] : [];
    }
    const number = /^\d+$/.test(port) ? Number(port) : NaN;
    if (number >= 1 && number <= 65535) return [];
    return [at(path, `port ${port} is not a TCP port: ports are 1-65535`, path[0] === 'graph' ? 'pick a free port, e.g. 127.0.0.1:4455 (port 0 would leave the bot no address to call)' : 'write the port the bot listens on, 1-65535')];
  });
}

function idProblems(target: TargetProfile, at: (path: Path, message: string, hint: string) => LoadProblem): LoadProblem[] {
  const problems: LoadProblem[] = [];
  // Graph's notification tokens carry the app id as `aud` and the tenant id as `tid`, both GUIDs
  // (graph-calling.md, "Token claims example"); a bot compares them with its own.
  if (!GUID.test(target.auth.appId)) {
    problems.push(at(['auth', 'appId'], `"${target.auth.appId}" is not a GUID: an app (client) id is one, and Graph's notification tokens carry it as aud`, "copy the Application (client) ID from the app registration, e.g. 11111111-2222-3333-4444-555555555555"));
  }
  if (!GUID.test(target.auth.tenantId)) {
    problems.push(at(['auth', 'tenantId'], `"${target.auth.tenantId}" is not a GUID: Graph's notification tokens carry the tenant id as tid, a GUID`, 'copy the Directory (tenant) ID from the app registration (not the domain name, e.g. contoso.onmicrosoft.com)'));
  }
  return problems;
}
