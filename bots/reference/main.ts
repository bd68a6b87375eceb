/** The reference bot's entry point: `node dist/bots/reference/main.js` (standard environment, see config.ts). */
import { runBot } from './run-bot.js';

await runBot();
