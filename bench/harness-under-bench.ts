/**
 * The harness as the conformance run builds it (fake Graph, notifier, token signer), started in
 * this process against a target, so benchmarks time the same code paths without Playwright.
 */
import { startFakeGraph, type FakeGraph } from '../harness/graph/fake-graph.js';
import { generateRunKeys, type RunKeys } from '../harness/graph/signing-keys.js';
import { loadProject, type Project } from '../harness/load/load-project.js';
import { packageRoot } from '../harness/load/package-root.js';
import { formatProblem } from '../harness/load/problem.js';
import type { Scenario } from '../harness/model/suite.js';
import type { TargetProfile } from '../harness/model/target.js';
import { botDispatcher } from '../harness/notify/bot-dispatcher.js';
import { createNotifier } from '../harness/notify/deliver.js';
import { notificationSigners } from '../harness/notify/notification-token.js';
import type { RunContext } from '../harness/run/scenario-run.js';
import { standardEnvironment, startTarget, type RunningTarget } from '../harness/run/target-process.js';

/** A running harness (and bot, when the target says how to start one). */
export interface HarnessUnderBench {
  context: RunContext;
  project: Project;
  keys: RunKeys;
  /** The started bot's process id, to read its CPU time. */
  botPid?: number;
  stop(): Promise<void>;
}

/** Loads the shipped suites and a target profile; a problem stops the benchmark with its message. */
export function loadBenchProject(targetFile: string, env: NodeJS.ProcessEnv): Project & { target: TargetProfile } {
  const root = packageRoot();
  const { project, problems } = loadProject({ root, recordingsDir: 'recordings', suitePatterns: ['suites/*.yaml'], targetFile }, env);
  if (problems.length || !project.target) throw new Error(`bench: the inputs have problems:\n${problems.map(formatProblem).join('\n')}`);
  return project as Project & { target: TargetProfile };
}

/** Starts the fake Graph (and the target's bot, if it has a start command, its output also to `botOutputFile`) and returns the run context. */
export async function startHarness(project: Project, target: TargetProfile, options: { startBot: boolean; botOutputFile?: string }): Promise<HarnessUnderBench> {
  const keys = generateRunKeys();
  const graph: FakeGraph = await startFakeGraph({ listen: target.graph.listen, keys, appId: target.auth.appId, tenantId: target.auth.tenantId, clientSecret: target.auth.clientSecret });
  let bot: RunningTarget | undefined;
  try {
    if (options.startBot && target.start) bot = await startTarget(target, standardEnvironment(target, graph.url, graph.openIdConfigurationUrl), packageRoot(), { outputFile: options.botOutputFile });
  } catch (error) {
    await graph.close();
    throw error;
  }
  // As the conformance run does: notifications, probe reads and control calls on one pool.
  const notifier = createNotifier(botDispatcher());
  const context: RunContext = {
    target,
    recordings: project.recordings,
    graph,
    notifier,
    ...notificationSigners(keys),
  };
  return {
    context,
    project,
    keys,
    botPid: bot?.pid,
    async stop() {
      await notifier.close();
      await bot?.stop();
      await graph.close();
    },
  };
}

/** A target that is only a notification endpoint (no control API, no probe, nothing to start). */
export function endpointTarget(callbackUri: string, graphPort: number): TargetProfile {
  return {
    name: 'bench-responder',
    callbackUri,
    graph: { listen: `127.0.0.1:${graphPort}` },
    auth: { appId: '11111111-2222-3333-4444-555555555555', tenantId: 'aa67bd4c-8475-432d-bd41-39f255720e0a' },
  };
}

/** A scenario by `suite/scenario` id. */
export function scenarioById(project: Project, id: string): Scenario {
  const [suiteId, scenarioId] = id.split('/');
  const scenario = project.suites.find((s) => s.id === suiteId)?.scenarios.find((s) => s.id === scenarioId);
  if (!scenario) throw new Error(`bench: no scenario ${id} in the shipped suites`);
  return scenario;
}
