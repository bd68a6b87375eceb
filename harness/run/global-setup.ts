import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { conformanceSettings, handOverProject } from './conformance-settings.js';
import { unreachableFailure, unreachableStart } from './unreachable-start.js';
import { BOT_STARTED_BY_CLI_ENV, botStartOver } from './start-gate.js';
import { PROXY_REFUSALS_FILE, UNREACHABLE_FILE } from './run-files.js';

/**
 * Playwright global setup. Under `confcall run` the bot is already up (confcall started it while
 * Playwright loaded, and stops it after the run): a bot it could not start fails the run here, as
 * before any test. In a plain `npx playwright test --project conformance` it starts the bot when the
 * profile says how, and stops it afterwards.
 */
export default async function globalSetup(): Promise<(() => Promise<void>) | undefined> {
  const settings = conformanceSettings();
  const outPath = resolve(settings.root, settings.outDir);
  if (process.env[BOT_STARTED_BY_CLI_ENV] === '1') {
    // The inputs were checked and handed over before the gate opened; the bot's start may still be going on.
    const madeByStart = await botStartOver();
    if (!madeByStart) throw new Error('confcall run stopped before the bot had started');
    Object.assign(process.env, madeByStart); // the workers, spawned after this, inherit them
    const unreachable = unreachableStart(outPath);
    if (unreachable) throw unreachableFailure(unreachable.message, unreachable.output ?? '');
    return undefined;
  }
  rmSync(join(outPath, UNREACHABLE_FILE), { force: true });
  rmSync(join(outPath, PROXY_REFUSALS_FILE), { force: true });
  const handedOver = await handOverProject(settings);
  const target = handedOver.project.target;
  if (!target.start) return async () => handedOver.remove();
  // Loaded on use: the bot's start (the run's CA, the proxy) is `confcall run`'s business in a confcall run.
  const { startRunBot } = await import('./run-bot.js');
  const { TargetUnreachable } = await import('./target-process.js');
  try {
    const bot = await startRunBot(target, outPath, settings.root);
    return async () => {
      await bot.stop();
      handedOver.remove();
    };
  } catch (error) {
    handedOver.remove();
    if (error instanceof TargetUnreachable) throw unreachableFailure(error.message, error.output);
    throw error;
  }
}
