/**
 * Starting the run's bot: its trust (the run's CA) and, for `start.intercept: proxy`, confcall's
 * proxy, then the bot's command until its ready URL answers. `confcall run` starts it (so the bot
 * comes up while Playwright loads); a plain `npx playwright test --project conformance` starts it
 * in the global setup.
 */
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startInterceptingProxy, type InterceptingProxy } from '../graph/intercepting-proxy.js';
import { runCaFiles, runCaFromEnv, writeJavaTrustStore } from '../graph/run-ca.js';
import { interceptMode, needsRunCa, type TargetProfile } from '../model/target.js';
import { trustEnvironment } from './run-trust.js';
import { standardEnvironment, startTarget, TargetUnreachable } from './target-process.js';
import { BOT_OUTPUT_FILE, BOT_PROCESS_FILE, PROXY_REFUSALS_FILE, RUN_CA_FOLDER, UNREACHABLE_FILE } from './run-files.js';

/** The started bot (and the proxy in front of it): `stop` ends both and removes the pid file. */
export interface RunBot {
  stop(): Promise<void>;
}

/**
 * Starts the target's bot; writes its pid to BOT_PROCESS_FILE in `outPath`, and its output to
 * BOT_OUTPUT_FILE. A bot that cannot be started or reached leaves UNREACHABLE_FILE (message and the
 * bot's output) and throws TargetUnreachable; `interrupted` aborted stops it and throws TargetStartInterrupted.
 */
export async function startRunBot(target: TargetProfile, outPath: string, root: string, interrupted?: AbortSignal): Promise<RunBot> {
  const graphUrl = `${target.graph.tls ? 'https' : 'http'}://${target.graph.listen}`;
  let proxy: InterceptingProxy | undefined;
  try {
    const trust = needsRunCa(target) ? await prepareTrust(target, outPath, graphUrl) : undefined;
    proxy = trust?.proxy;
    const env = { ...standardEnvironment(target, graphUrl, `${graphUrl}/v1/.well-known/OpenIdConfiguration`), ...trust?.env };
    mkdirSync(outPath, { recursive: true });
    const running = await startTarget(target, env, root, { outputFile: join(outPath, BOT_OUTPUT_FILE), signal: interrupted });
    const pidFile = join(outPath, BOT_PROCESS_FILE);
    writeFileSync(pidFile, JSON.stringify({ pid: running.pid }));
    return {
      async stop() {
        await running.stop();
        await proxy?.close();
        rmSync(pidFile, { force: true });
      },
    };
  } catch (error) {
    await proxy?.close();
    if (error instanceof TargetUnreachable) {
      mkdirSync(outPath, { recursive: true });
      writeFileSync(join(outPath, UNREACHABLE_FILE), JSON.stringify({ message: error.message, output: error.output.slice(-4000) }, null, 2));
    }
    throw error;
  }
}

/**
 * The run's CA (made now, written into the out folder only), a Java trust store of it, and for
 * `start.intercept: proxy` the proxy on loopback: what the bot's environment gets from them.
 */
async function prepareTrust(target: TargetProfile, outPath: string, graphUrl: string): Promise<{ env: Record<string, string>; proxy?: InterceptingProxy }> {
  const { ca, dir } = await runCaFromEnv(join(outPath, RUN_CA_FOLDER));
  const caFile = runCaFiles(dir).cert;
  const store = writeJavaTrustStore(ca, dir);
  if (interceptMode(target) !== 'proxy') return { env: trustEnvironment(caFile, store) };
  const refusals = join(outPath, PROXY_REFUSALS_FILE);
  const host = target.graph.listen.slice(0, target.graph.listen.lastIndexOf(':'));
  const proxy = await startInterceptingProxy({
    listen: `${/^127\.|^localhost$|^\[?::1\]?$/.test(host) ? host : '127.0.0.1'}:0`,
    upstream: graphUrl,
    ca,
    allowHosts: target.proxy?.allowHosts,
    onRefused: (refusal) => {
      console.error(refusal.message);
      appendFileSync(refusals, `${JSON.stringify(refusal)}\n`);
    },
    onProblem: (message) => console.error(`confcall proxy: ${message}`),
  });
  return { env: trustEnvironment(caFile, store, proxy), proxy };
}
