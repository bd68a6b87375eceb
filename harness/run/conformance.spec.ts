/**
 * The conformance run as a Playwright Test project: one `describe` per suite, one `test` per
 * scenario, one `test.step` per scenario step with its payloads attached. `confcall run` drives it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import { startFakeGraph, type FakeGraph } from '../graph/fake-graph.js';
import { runKeysFromEnv } from '../graph/signing-keys.js';
import { createNotifier, type Notifier } from '../notify/deliver.js';
import { notificationTokenSigner, type NotificationClaims } from '../notify/notification-token.js';
import { capabilitiesOf, type Scenario } from '../model/suite.js';
import type { TargetProfile } from '../model/target.js';
import { conformanceSettings, loadConformanceProject } from './conformance-settings.js';
import { formatFinding, runScenario, type RunContext, type StepHooks } from './scenario-run.js';
import { UNREACHABLE_FILE } from './global-setup.js';

const settings = conformanceSettings();
const project = loadConformanceProject(settings);

interface Harness {
  graph: FakeGraph;
  notifier: Notifier;
  signNotification: (claims: NotificationClaims) => Promise<string>;
}

const test = base.extend<{}, { harness: Harness }>({
  harness: [
    async ({}, use) => {
      const keys = runKeysFromEnv();
      const target = project.target;
      const graph = await listenWithRetry(() =>
        startFakeGraph({ listen: target.graph.listen, keys, appId: target.auth.appId, tenantId: target.auth.tenantId, clientSecret: target.auth.clientSecret }),
      );
      const notifier = createNotifier();
      await use({ graph, notifier, signNotification: notificationTokenSigner(keys) });
      await notifier.close();
      await graph.close();
    },
    { scope: 'worker' },
  ],
});

for (const suite of project.suites) {
  test.describe(suite.id, () => {
    for (const scenario of suite.scenarios) {
      test(scenario.id, { annotation: annotationsOf(scenario), tag: scenario.requirements.map((r) => `@${r}`) }, async ({ harness }, testInfo) => {
        const missing = capabilitiesOf(scenario).filter((c) => !hasCapability(project.target, c));
        test.skip(missing.length > 0, `the target has no ${missing.join(' or ')} (this scenario needs the bot to ${missing.includes('control') ? 'act through its control API' : 'report its view of the call'})`);
        const context: RunContext = { target: project.target, recordings: project.recordings, ...harness };
        const result = await runScenario(context, scenario, playwrightSteps);
        if (result.unreachable) {
          mkdirSync(join(settings.root, settings.outDir), { recursive: true });
          writeFileSync(join(settings.root, settings.outDir, UNREACHABLE_FILE), JSON.stringify({ message: result.unreachable }, null, 2));
          throw new Error(`the bot could not be reached: ${result.unreachable}`);
        }
        const failures = result.findings.filter((f) => f.severity === 'failure');
        for (const warning of result.findings.filter((f) => f.severity === 'warning')) testInfo.annotations.push({ type: 'warning', description: formatFinding(warning) });
        if (failures.length) {
          const error = new Error(`${suite.id}/${scenario.id}: ${scenario.title}\n${failures.map(formatFinding).join('\n')}`);
          error.stack = error.message; // the YAML step is the place to look, not harness internals
          throw error;
        }
      });
    }
  });
}

/** Wraps each scenario step in `test.step`, located at its YAML line, with payloads attached. */
const playwrightSteps: StepHooks = {
  step: (title, position, body) =>
    test.step(
      title,
      async (step) => body((name, value) => step.attach(name, { body: JSON.stringify(value, null, 2), contentType: 'application/json' })),
      position ? { location: { file: join(settings.root, position.file), line: position.line, column: position.col } } : {},
    ),
};

function annotationsOf(scenario: Scenario): Array<{ type: string; description: string }> {
  return [{ type: 'scenario', description: `${scenario.title} (${scenario.position.file}:${scenario.position.line})` }];
}

function hasCapability(target: TargetProfile, capability: 'control' | 'probe'): boolean {
  return capability === 'control' ? !!target.control : !!target.control && !!target.probe;
}

/** A worker that replaces a failed one may start while the old one still holds the port. */
async function listenWithRetry(start: () => Promise<FakeGraph>): Promise<FakeGraph> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if ((error as { code?: string }).code !== 'EADDRINUSE' || attempt >= 50) {
        throw new Error(`the fake Graph cannot listen on ${project.target.graph.listen}: ${(error as Error).message}. Is another confcall run or program using that port? Change graph.listen in ${settings.targetFile}.`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
