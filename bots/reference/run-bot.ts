/**
 * Runs a bot as a process: configuration from the environment, a clear message and exit code 1
 * when it is incomplete, and a quick, clean exit on SIGTERM or SIGINT.
 */
import { referenceBehaviour, type BotBehaviour } from './behaviour.js';
import { ConfigError, readConfig } from './config.js';
import { startBot } from './start-bot.js';

export async function runBot(behaviour: BotBehaviour = referenceBehaviour, name = 'reference'): Promise<void> {
  try {
    const bot = await startBot(readConfig(process.env), behaviour, { name });
    const stop = (signal: NodeJS.Signals): void => {
      process.stdout.write(`[${name}] ${signal}: stopping\n`);
      setTimeout(() => process.exit(0), 2_000).unref(); // do not wait long for stragglers
      void bot.close().then(() => process.exit(0));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const prefix = error instanceof ConfigError ? '' : 'cannot start the bot: ';
    process.stderr.write(`[${name}] ${prefix}${message}\n`);
    process.exit(1);
  }
}
