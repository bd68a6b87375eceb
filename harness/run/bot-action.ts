/**
 * A control step done through the bot's own trigger (the profile's `actions`): the request to its
 * own endpoint, or the command, templated from the control body, the run's ids, the profile and the
 * meeting's join URL. Any 2xx (exit 0) is done, any 4xx (another exit) a refusal.
 */
import { spawn } from 'node:child_process';
import { request } from 'undici';
import { botDispatcher } from '../notify/bot-dispatcher.js';
import { describeCut, MAX_REPLY_BYTES, readCappedBody } from '../notify/capped-body.js';
import { show } from '../oracle/json-subset.js';
import type { ActionTarget } from '../model/suite.js';
import type { ActionTrigger, CommandTrigger, HttpTrigger, TargetProfile } from '../model/target.js';
import { teamsJoinUrl } from '../model/teams-join-url.js';
import { expandTemplate, readPointer, type TemplateValues } from '../model/trigger-template.js';

const TIMEOUT_MS = 20_000;

/** What the bot's trigger answered, in its own terms. */
export interface ActionAnswer {
  outcome: 'done' | 'refused' | 'failed';
  /** `POST http://…/api/meetings/join` or `command \`…\``: what was triggered, for messages. */
  via: string;
  /** What it said: `answered HTTP 401 {…}`, `exited with code 2: …`, `failed (ECONNREFUSED …)`. */
  said: string;
  method: string;
  url: string;
  body?: unknown;
  status: number;
  responseBody?: unknown;
  error?: string;
  /** The Graph call id the answer gave (`result.callId`). */
  callId?: string;
  /** The connection was refused: the bot is not there at all. */
  unreachable?: boolean;
}

/** The values a trigger's templates read for one control step. */
export function triggerValues(target: TargetProfile, action: ActionTarget, body: unknown): TemplateValues {
  const profile = { 'auth.appId': target.auth.appId, 'auth.tenantId': target.auth.tenantId, 'auth.clientSecret': target.auth.clientSecret, callbackUri: target.callbackUri };
  return { body, callId: action.callId, participantId: action.participantId, joinUrl: teamsJoinUrl(body), profile };
}

/** Triggers the action through the bot's own endpoint or command. */
export function triggerAction(trigger: ActionTrigger, values: TemplateValues, action: string): Promise<ActionAnswer> {
  return 'http' in trigger ? callEndpoint(trigger, values) : runCommand(trigger, values, action);
}

async function callEndpoint(trigger: HttpTrigger, values: TemplateValues): Promise<ActionAnswer> {
  const method = trigger.http.method.toUpperCase();
  const url = String(expandTemplate(trigger.http.url, values, encodeURIComponent).value);
  const headers = expandTemplate(trigger.http.headers ?? {}, values).value as Record<string, string>;
  const body = trigger.http.body === undefined ? undefined : expandTemplate(trigger.http.body, values).value;
  const via = `${method} ${url}`;
  const base = { via, method, url, body };
  try {
    const res = await request(url, { dispatcher: botDispatcher(), method: method as 'POST', headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...headers }, body: body === undefined ? undefined : JSON.stringify(body), headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS });
    const { text, cut } = await readCappedBody(res.body, MAX_REPLY_BYTES);
    const status = res.statusCode;
    const responseBody = cut ? undefined : parsed(text);
    const outcome = status >= 200 && status < 300 ? 'done' : status >= 400 && status < 500 ? 'refused' : 'failed';
    const said = `answered HTTP ${status}${cut ? ` with ${describeCut()}` : responseBody !== undefined ? ` ${show(responseBody)}` : ''}`;
    return { ...base, outcome, said, status, responseBody, callId: callIdOf(trigger.result?.callId, responseBody) };
  } catch (e) {
    const error = `${(e as { code?: string }).code ?? 'error'}: ${(e as Error).message}`;
    return { ...base, outcome: 'failed', said: `failed (${error})`, status: 0, error, unreachable: /ECONNREFUSED/.test(error) };
  }
}

function runCommand(trigger: CommandTrigger, values: TemplateValues, action: string): Promise<ActionAnswer> {
  const run = trigger.command.run;
  const env = {
    ...process.env,
    CONFCALL_ACTION: action,
    CONFCALL_CALL_ID: values.callId ?? '',
    CONFCALL_PARTICIPANT_ID: values.participantId ?? '',
    CONFCALL_JOIN_URL: values.joinUrl ?? '',
    CONFCALL_CONTROL_BODY: values.body === undefined ? '' : JSON.stringify(values.body),
    ...(expandTemplate(trigger.command.env ?? {}, values).value as Record<string, string>),
  };
  const base = { via: `command \`${run}\``, method: 'command', url: run, body: values.body };
  return new Promise((resolve) => {
    const child = spawn(run, { shell: true, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: TIMEOUT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => void (stdout.length < MAX_REPLY_BYTES && (stdout += c.toString('utf8'))));
    child.stderr!.on('data', (c: Buffer) => void (stderr.length < 4096 && (stderr += c.toString('utf8'))));
    child.once('error', (e) => resolve({ ...base, outcome: 'failed', said: `could not be run (${e.message})`, status: 0, error: e.message }));
    child.once('close', (code, signal) => {
      const responseBody = parsed(stdout.trim());
      const exit = code ?? -1;
      const said = signal ? `was stopped by ${signal}` : `exited with code ${exit}${stderr.trim() ? `: ${show(stderr.trim().slice(0, 500))}` : ''}`;
      resolve({ ...base, outcome: exit === 0 ? 'done' : 'refused', said, status: exit, responseBody, callId: callIdOf(trigger.result?.callId, responseBody) });
    });
  });
}

function callIdOf(pointer: string | undefined, answer: unknown): string | undefined {
  const found = pointer === undefined ? undefined : readPointer(answer, pointer);
  return typeof found === 'string' && found ? found : undefined;
}

function parsed(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text.slice(0, 2048);
  }
}
