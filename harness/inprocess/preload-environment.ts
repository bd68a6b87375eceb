/** The environment that makes a started Node bot load confcall's interception preload. */
import { join } from 'node:path';
import { packageRoot } from '../load/package-root.js';
import { INTERCEPT_GRAPH_URL_ENV } from './intercept-variable.cjs';

/** The production values of the standard variables: an intercepted bot keeps its production configuration. */
export const PRODUCTION_ENVIRONMENT = {
  GRAPH_BASE_URL: 'https://graph.microsoft.com',
  AUTHORITY_HOST: 'https://login.microsoftonline.com',
  NOTIFICATION_OPENID_CONFIG: 'https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration',
} as const;

/** Where the compiled preload lives (the harness may run from source; the preload always runs compiled). */
export function preloadPath(): string {
  return join(packageRoot(), 'dist', 'harness', 'inprocess', 'intercept-preload.cjs');
}

/** NODE_OPTIONS with the preload added to what was there, and the fake Graph's URL for it. */
export function interceptEnvironment(graphUrl: string, nodeOptions: string | undefined): Record<string, string> {
  // NODE_OPTIONS takes double-quoted values: a checkout path may contain spaces.
  const requirePreload = `--require ${JSON.stringify(preloadPath())}`;
  return {
    NODE_OPTIONS: nodeOptions?.trim() ? `${nodeOptions.trim()} ${requirePreload}` : requirePreload,
    [INTERCEPT_GRAPH_URL_ENV]: graphUrl,
  };
}
