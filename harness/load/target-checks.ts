/**
 * Checks of a target profile beyond its schema: trigger templates (unknown placeholders, malformed
 * pointers), action names, capabilities nothing can trigger; and `start.env` made ready for the
 * bot (numbers and booleans as strings, `${auth.appId}`-style references to the profile's fields).
 */
import { REACTIVE_CAPABILITIES, type BotCapability } from '../model/capability.js';
import { KNOWN_ACTIONS } from '../model/suite.js';
import type { TargetProfile } from '../model/target.js';
import { expandTemplate, NAMED_PLACEHOLDERS, placeholderProblem, placeholdersOf, PROFILE_PLACEHOLDERS } from '../model/trigger-template.js';
import { isMicrosoftHost, isPermittedName, LOOPBACK_NAMES } from '../model/tls-names.js';
import type { LoadProblem } from './problem.js';
import { formatPath, positionAt, type YamlSource } from './yaml-source.js';

type Path = Array<string | number>;

/** Every problem of the profile's triggers and capabilities, at its file:line:col. */
export function targetProblems(target: TargetProfile, source: YamlSource): LoadProblem[] {
  const at = (path: Path, message: string, hint?: string, atKey = false): LoadProblem => ({ ...positionAt(source, path, atKey), path: formatPath(path), message, ...(hint && { hint }) });
  const problems: LoadProblem[] = [];
  for (const [name, trigger] of Object.entries(target.actions ?? {})) {
    if (!(name in KNOWN_ACTIONS)) problems.push(at(['actions', name], `unknown action "${name}"`, `actions are ${Object.keys(KNOWN_ACTIONS).join(', ')}`, true));
    const templates = 'http' in trigger ? { http: trigger.http } : { command: trigger.command };
    problems.push(...templateProblems(templates, ['actions', name], NAMED_PLACEHOLDERS, at));
  }
  if (typeof target.probe === 'object') {
    const allowed = ['call.id', ...PROFILE_PLACEHOLDERS];
    problems.push(...templateProblems({ url: target.probe.url, headers: target.probe.headers }, ['probe'], allowed, at));
  }
  problems.push(...templateProblems(target.start?.env ?? {}, ['start', 'env'], PROFILE_PLACEHOLDERS, at));
  problems.push(...tlsProblems(target, at));
  for (const [i, capability] of (target.capabilities ?? []).entries()) {
    if (!triggerable(target, capability)) {
      problems.push(at(['capabilities', i], `the profile declares ${capability} but has no way to trigger it: no control API and no mapped action`, `map one of ${actionsFor(capability).join(', ')} under actions:, set control:, or remove ${capability}`));
    }
  }
  return problems;
}

/** `start.env` as the bot gets it: every value a string, profile fields filled in. */
export function startEnvironment(target: TargetProfile): Record<string, string> | undefined {
  const env = target.start?.env as Record<string, unknown> | undefined;
  if (!env) return undefined;
  const profile = { 'auth.appId': target.auth.appId, 'auth.tenantId': target.auth.tenantId, 'auth.clientSecret': target.auth.clientSecret ?? '', callbackUri: target.callbackUri };
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(expandTemplate(String(v), { profile }).value)]));
}

/** `graph.tls` needs a bot confcall starts (the CA is new every run) and a loopback name the run's CA may certify. */
function tlsProblems(target: TargetProfile, at: (path: Path, message: string, hint?: string) => LoadProblem): LoadProblem[] {
  if (target.graph.tls !== true) return [];
  const problems: LoadProblem[] = [];
  if (!target.start) problems.push(at(['graph', 'tls'], 'graph.tls needs start: the run makes a new CA each time and hands its PEM to the bot it starts', 'add start: (command, ready), or leave graph.tls out'));
  const host = target.graph.listen.slice(0, target.graph.listen.lastIndexOf(':'));
  if (!isPermittedName(host) || isMicrosoftHost(host)) {
    problems.push(at(['graph', 'listen'], `graph.tls serves https on loopback only; the run's CA certifies ${LOOPBACK_NAMES.join(', ')} as the fake Graph's name, not "${host}"`, 'listen on 127.0.0.1:PORT'));
  }
  return problems;
}

/** The actions whose trigger would let a bot show a capability. */
function actionsFor(capability: BotCapability): string[] {
  return Object.entries(KNOWN_ACTIONS).filter(([, c]) => c === capability).map(([name]) => name);
}

/** Whether the profile can make the bot show a capability: what it does on its own needs no trigger; the rest need control or a mapped action. */
function triggerable(target: TargetProfile, capability: BotCapability): boolean {
  if (REACTIVE_CAPABILITIES.includes(capability) || target.control) return true;
  const actions = actionsFor(capability);
  return actions.length === 0 || actions.some((a) => target.actions?.[a] !== undefined);
}

function templateProblems(template: unknown, base: Path, allowed: readonly string[], at: (path: Path, message: string, hint?: string) => LoadProblem): LoadProblem[] {
  return placeholdersOf(template, base).flatMap(({ name, path }) => {
    const problem = placeholderProblem(name, allowed);
    return problem ? [at(path, problem.message, problem.hint)] : [];
  });
}
