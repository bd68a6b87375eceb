/** A target profile (`targets/*.yaml`): how to reach and drive a bot under test. */
export interface TargetProfile {
  name: string;
  /** Where notifications go unless the bot gave another callbackUri for a call. */
  callbackUri: string;
  graph: {
    /** host:port where the fake Graph listens; the bot gets `GRAPH_BASE_URL` pointing here. */
    listen: string;
  };
  auth: {
    appId: string;
    tenantId: string;
    /** Client secret the harness hands a started bot as `BOT_CLIENT_SECRET`; redacted in reports. */
    clientSecret?: string;
  };
  /** Base URL of the bot's control API, when it has one. */
  control?: string;
  /** Whether the bot answers `GET {control}/calls/{callId}` with its view of the call. */
  probe?: boolean;
  start?: TargetStart;
  /** Where notifications may go beside loopback and the callbackUri's origin. */
  notify?: {
    /** Host names (or literal IPs) a bot's own callbackUri may name; others are replaced by `callbackUri` (a CALLBACK-URI warning). */
    allowHosts?: string[];
  };
  /** Milliseconds without bot activity after which a scenario is considered settled. */
  settleMs?: number;
  /** Path of the profile file, for messages. */
  file?: string;
}

export interface TargetStart {
  command: string;
  env?: Record<string, string>;
  /** URL polled until it answers 2xx. */
  ready: string;
  timeoutSeconds?: number;
  /** Working directory of the command, relative to the profile's folder's project root. */
  cwd?: string;
  /**
   * Start the bot with confcall's `--require` preload, which reroutes Microsoft's production hosts to
   * the fake Graph inside the bot's process: the bot runs with its production URLs.
   */
  intercept?: boolean;
}
