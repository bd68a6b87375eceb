import type { BotCapability } from './capability.js';

/** A target profile (`targets/*.yaml`): how to reach and drive a bot under test. */
export interface TargetProfile {
  name: string;
  /** Where notifications go unless the bot gave another callbackUri for a call. */
  callbackUri: string;
  graph: {
    /** host:port where the fake Graph listens; the bot gets `GRAPH_BASE_URL` pointing here. */
    listen: string;
    /** Serve https with a leaf of the run's CA (graph/run-ca.ts); the bot gets the CA's PEM. */
    tls?: boolean;
  };
  auth: {
    appId: string;
    tenantId: string;
    /** Client secret the harness hands a started bot as `BOT_CLIENT_SECRET`; redacted in reports. */
    clientSecret?: string;
  };
  /** Base URL of the bot's control API, when it has one. */
  control?: string;
  /**
   * `true`: the bot answers `GET {control}/calls/{callId}` with the probe view (DESIGN.md). A
   * mapping: the bot's own status endpoint, read onto the probe view.
   */
  probe?: boolean | ProbeMapping;
  /** The bot's own triggers for control actions (`joinMeeting`, `hangUp`, …); the rest go to `control`. */
  actions?: Record<string, ActionTrigger>;
  /** What the bot does; absent: what the control API drives (model/capability.ts CONTROL_API_CAPABILITIES). */
  capabilities?: BotCapability[];
  start?: TargetStart;
  /** Where notifications may go beside loopback and the callbackUri's origin. */
  notify?: {
    /** Host names (or literal IPs) a bot's own callbackUri may name; others are replaced by `callbackUri` (a CALLBACK-URI warning). */
    allowHosts?: string[];
  };
  /** confcall's intercepting proxy (`start.intercept: proxy`). */
  proxy?: {
    /** Hosts tunnelled as they are (their traffic leaves the machine); others than Microsoft's are refused. */
    allowHosts?: string[];
  };
  /** Milliseconds without bot activity after which a scenario is considered settled. */
  settleMs?: number;
  /**
   * How many scenario runs the bot can be in at once (each is a call, or the calls one scenario
   * needs); absent: as many as the run starts. 1: tests, variants and schedules take turns.
   */
  callsAtOnce?: number;
  /** Path of the profile file, for messages. */
  file?: string;
}

/** How the bot is asked to do one action: a request to its own API, or a command. */
export type ActionTrigger = HttpTrigger | CommandTrigger;

/** A request to the bot's own endpoint; `url`, `headers` and `body` are templates (model/trigger-template.ts). */
export interface HttpTrigger {
  http: { method: string; url: string; headers?: Record<string, string>; body?: unknown };
  /** Where the bot's answer gives the Graph call id (a JSON pointer). */
  result?: { callId?: string };
}

/**
 * A command run through the shell; exit 0 is done, any other exit a refusal. It gets the values as
 * environment variables (CONFCALL_ACTION, CONFCALL_CALL_ID, CONFCALL_PARTICIPANT_ID,
 * CONFCALL_JOIN_URL, CONFCALL_CONTROL_BODY) plus its own templated `env`.
 */
export interface CommandTrigger {
  command: { run: string; env?: Record<string, string> };
  /** Where the command's stdout (JSON) gives the Graph call id. */
  result?: { callId?: string };
}

/** The bot's own status endpoint read as the probe view (DESIGN.md "Control API and probe"). */
export interface ProbeMapping {
  /** Template with `${call.id}`. */
  url: string;
  headers?: Record<string, string>;
  /** JSON pointers into the bot's answer. */
  state?: string;
  /** `{code, subcode, message?}` of a failed or ended call. */
  resultInfo?: string;
  participants?: string;
  /** Pointers within one item of `participants`. */
  participantId: string;
  isInLobby?: string;
  isMuted?: string;
}

export interface TargetStart {
  command: string;
  /** Numbers and booleans are passed as strings; `${auth.appId}`, `${callbackUri}`… name profile fields. */
  env?: Record<string, string>;
  /** URL polled until it answers 2xx, or `tcp://host:port`, waited for until it accepts. */
  ready: string;
  timeoutSeconds?: number;
  /** Working directory of the command; a relative one is relative to the profile's folder. */
  cwd?: string;
  /**
   * The bot runs with its production URLs. `true` (or `preload`): a Node bot is started with confcall's
   * `--require` preload, which reroutes Microsoft's hosts to the fake Graph inside its process.
   * `proxy`: a bot in any language is started behind confcall's intercepting proxy (HTTPS_PROXY and
   * the runtimes' trust settings for the run's CA).
   */
  intercept?: boolean | 'preload' | 'proxy';
}

/** How a started bot's production hosts reach the fake Graph, if they do. */
export function interceptMode(target: TargetProfile): 'preload' | 'proxy' | undefined {
  const intercept = target.start?.intercept;
  if (intercept === 'proxy') return 'proxy';
  return intercept === true || intercept === 'preload' ? 'preload' : undefined;
}

/** Whether the run needs its own CA: the fake Graph serves https, or the proxy terminates TLS. */
export function needsRunCa(target: TargetProfile): boolean {
  return target.graph.tls === true || interceptMode(target) === 'proxy';
}
