/**
 * The bot's configuration, read from the standard environment a harness (or any deployment)
 * gives a calling bot. Nothing else configures it.
 */

export interface BotConfig {
  /** e.g. `http://127.0.0.1:4455`; the bot calls `${graphBaseUrl}/${graphApiVersion}/communications/calls`. */
  graphBaseUrl: string;
  /** `v1.0` (default) or `beta`. */
  graphApiVersion: string;
  /** The token endpoint is `${authorityHost}/${tenantId}/oauth2/v2.0/token`. */
  authorityHost: string;
  /** OpenID configuration whose `jwks_uri` names the keys that sign notifications. */
  notificationOpenIdConfig: string;
  /** The bot's application id: client id for Graph, audience of notification tokens. */
  appId: string;
  tenantId: string;
  clientSecret: string;
  port: number;
  /** Where Graph sends this bot's notifications; the path is served by the bot. */
  callbackUri: string;
}

const REQUIRED = {
  GRAPH_BASE_URL: 'the base URL of Microsoft Graph, or of the harness playing it',
  AUTHORITY_HOST: 'the host of the OAuth token endpoint',
  NOTIFICATION_OPENID_CONFIG: 'the URL of the OpenID configuration naming the notification signing keys',
  BOT_APP_ID: "the bot's application (client) id",
  BOT_TENANT_ID: "the bot's tenant id",
  BOT_CLIENT_SECRET: "the bot's client secret",
} as const;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the configuration; throws a ConfigError naming every missing or invalid variable. */
export function readConfig(env: NodeJS.ProcessEnv): BotConfig {
  const problems: string[] = [];
  const required = (name: keyof typeof REQUIRED): string => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is not set: ${REQUIRED[name]}`);
    return value ?? '';
  };
  const url = (name: string, value: string): string => {
    if (value !== '' && !URL.canParse(value)) problems.push(`${name} is not a URL: ${JSON.stringify(value)}`);
    return value.replace(/\/+$/, '');
  };

  const graphBaseUrl = url('GRAPH_BASE_URL', required('GRAPH_BASE_URL'));
  const authorityHost = url('AUTHORITY_HOST', required('AUTHORITY_HOST'));
  const notificationOpenIdConfig = url('NOTIFICATION_OPENID_CONFIG', required('NOTIFICATION_OPENID_CONFIG'));
  const appId = required('BOT_APP_ID');
  const tenantId = required('BOT_TENANT_ID');
  const clientSecret = required('BOT_CLIENT_SECRET');

  const portText = env.PORT?.trim() || '3978';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) problems.push(`PORT is not a port number: ${JSON.stringify(portText)}`);

  const graphApiVersion = env.GRAPH_API_VERSION?.trim() || 'v1.0';
  const callbackUri = env.BOT_CALLBACK_URI?.trim()
    ? url('BOT_CALLBACK_URI', env.BOT_CALLBACK_URI.trim())
    : `http://127.0.0.1:${portText}/api/calls`;

  if (problems.length > 0) throw new ConfigError(`cannot start the bot:\n  ${problems.join('\n  ')}`);
  return {
    graphBaseUrl,
    graphApiVersion,
    authorityHost,
    notificationOpenIdConfig,
    appId,
    tenantId,
    clientSecret,
    port,
    callbackUri,
  };
}
