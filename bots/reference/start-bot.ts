/** Starts a bot: wires configuration, behaviour, Graph client, calls and HTTP server together. */
import type { AddressInfo } from 'node:net';
import { clientCredentialsToken } from './access-token.js';
import { referenceBehaviour, type BotBehaviour } from './behaviour.js';
import { keepCallsAlive } from './call-keep-alive.js';
import { Calls } from './calls.js';
import type { BotConfig } from './config.js';
import type { BotContext } from './context.js';
import { createGraphClient } from './graph-client.js';
import { createBotServer } from './http-server.js';
import { notificationSigningKeys } from './inbound-auth.js';
import { createLog } from './log.js';
import { processNotifications } from './process-notification.js';

export interface RunningBot {
  /** The port the bot listens on (useful when PORT was 0). */
  readonly port: number;
  /** Stops accepting requests and closes open connections. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Prefix of log lines. */
  name?: string;
  /** Interface to listen on. Loopback by default: the control API takes orders from anyone who reaches it. */
  host?: string;
}

export async function startBot(
  config: BotConfig,
  behaviour: BotBehaviour = referenceBehaviour,
  options: StartOptions = {},
): Promise<RunningBot> {
  const log = createLog(options.name ?? 'reference');
  // Notifications are processed only once the server runs, by which time `context` exists.
  const calls = new Calls((entry, notifications) => processNotifications(entry, notifications, context), log);
  const context: BotContext = {
    config,
    behaviour,
    graph: createGraphClient(config, clientCredentialsToken(config)),
    calls,
    tokenExpectations: { keys: notificationSigningKeys(config.notificationOpenIdConfig), appId: config.appId, verified: new Map() },
    log,
  };

  const server = createBotServer(context);
  const stopKeepingAlive = keepCallsAlive(context);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  log(`listening on port ${port}; notifications at ${config.callbackUri}; Graph at ${config.graphBaseUrl}`);

  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        stopKeepingAlive();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
