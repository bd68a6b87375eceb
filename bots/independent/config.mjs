/**
 * The bot's standard environment (DESIGN.md "The bot's standard environment"). Every missing
 * variable is named at once, so a misconfigured start is fixed in one go.
 */
const REQUIRED = ['GRAPH_BASE_URL', 'AUTHORITY_HOST', 'NOTIFICATION_OPENID_CONFIG', 'BOT_APP_ID', 'BOT_TENANT_ID', 'BOT_CLIENT_SECRET', 'PORT'];

/** Reads the configuration from `env`; returns `{config}` or `{missing: [names]}`. */
export function readConfig(env) {
  // BOT_CLIENT_SECRET may be '' (a target without a secret), so "missing" means undefined only for it.
  const missing = REQUIRED.filter((name) => (name === 'BOT_CLIENT_SECRET' ? env[name] === undefined : !env[name]));
  if (missing.length > 0) return { missing };
  const port = Number(env.PORT);
  return {
    config: {
      graphBaseUrl: env.GRAPH_BASE_URL.replace(/\/+$/, ''),
      authorityHost: env.AUTHORITY_HOST.replace(/\/+$/, ''),
      openIdConfigUrl: env.NOTIFICATION_OPENID_CONFIG,
      appId: env.BOT_APP_ID,
      tenantId: env.BOT_TENANT_ID,
      clientSecret: env.BOT_CLIENT_SECRET,
      port,
      // Our own notification path; every createCall and answer body names it (see README).
      callbackUri: `http://127.0.0.1:${port}/graph/notifications`,
    },
  };
}
