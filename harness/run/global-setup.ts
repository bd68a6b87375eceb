import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadTarget } from '../load/load-target.js';
import { conformanceSettings } from './conformance-settings.js';
import { standardEnvironment, startTarget, TargetUnreachable } from './target-process.js';

/** The file through which the conformance run tells `confcall run` that the bot could not be reached. */
export const UNREACHABLE_FILE = 'unreachable.json';
/** The started bot's pid while it runs: if Playwright is killed before its teardown, `confcall run` stops the bot itself. */
export const BOT_PROCESS_FILE = 'bot-process.json';

/** Playwright global setup: starts the target bot when its profile says how, and stops it afterwards. */
export default async function globalSetup(): Promise<(() => Promise<void>) | undefined> {
  const settings = conformanceSettings();
  rmSync(resolve(settings.root, settings.outDir, UNREACHABLE_FILE), { force: true });
  const { value: target } = loadTarget(resolve(settings.root, settings.targetFile));
  if (!target?.start) return undefined;
  const graphUrl = `http://${target.graph.listen}`;
  try {
    const running = await startTarget(target, standardEnvironment(target, graphUrl, `${graphUrl}/v1/.well-known/OpenIdConfiguration`), settings.root);
    const pidFile = resolve(settings.root, settings.outDir, BOT_PROCESS_FILE);
    mkdirSync(dirname(pidFile), { recursive: true });
    writeFileSync(pidFile, JSON.stringify({ pid: running.pid }));
    return async () => {
      await running.stop();
      rmSync(pidFile, { force: true });
    };
  } catch (error) {
    if (error instanceof TargetUnreachable) {
      mkdirSync(resolve(settings.root, settings.outDir), { recursive: true });
      writeFileSync(resolve(settings.root, settings.outDir, UNREACHABLE_FILE), JSON.stringify({ message: error.message, output: error.output.slice(-4000) }, null, 2));
      // Message only: the bot's output is the place to look, not this file (Playwright prints a stack's frames).
      const failure = new Error(`${error.message}\n--- bot output (last lines) ---\n${error.output.split('\n').slice(-20).join('\n')}`);
      failure.stack = failure.message;
      throw failure;
    }
    throw error;
  }
}
