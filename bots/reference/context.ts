/** What the request handlers of a running bot share. */
import type { BotBehaviour } from './behaviour.js';
import type { Calls } from './calls.js';
import type { BotConfig } from './config.js';
import type { GraphClient } from './graph-client.js';
import type { TokenExpectations } from './inbound-auth.js';
import type { Log } from './log.js';

export interface BotContext {
  readonly config: BotConfig;
  readonly behaviour: BotBehaviour;
  readonly graph: GraphClient;
  readonly calls: Calls;
  readonly tokenExpectations: TokenExpectations;
  readonly log: Log;
}
