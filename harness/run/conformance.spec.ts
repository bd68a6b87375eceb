/**
 * The conformance run as a Playwright Test project: one `describe` per suite, one `test` per
 * scenario, one `test.step` per scenario step with its payloads attached. `confcall run` drives it.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test as base } from '@playwright/test';
import { startFakeGraph, type FakeGraph } from '../graph/fake-graph.js';
import { runKeysFromEnv } from '../graph/signing-keys.js';
import { createNotifier, type Notifier } from '../notify/deliver.js';
import { notificationTokenSigner, type NotificationClaims } from '../notify/notification-token.js';
import { capabilitiesOf, type Scenario } from '../model/suite.js';
import { conformanceSettings, loadConformanceProject } from './conformance-settings.js';
import { formatFinding, runScenario, type RunContext, type StepHooks } from './scenario-run.js';
import { UNREACHABLE_FILE } from './global-setup.js';

const settings = conformanceSettings();
const project = loadConformanceProject(settings);
const unreachableFile = join(settings.root, settings.outDir, UNREACHABLE_FILE);

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
        // Without a control API the bot cannot be asked to act: the scenario cannot run at all.
        // Without a probe only the probe checks are left out, each named in the report.
        test.skip(existsSync(unreachableFile), 'the bot could not be reached earlier in this run');
        test.skip(capabilitiesOf(scenario).includes('control') && !project.target.control, 'the target has no control API (this scenario needs the bot to act on its own: create, transfer, hold, hang up)');
        const context: RunContext = { target: project.target, recordings: project.recordings, ...harness };
        const result = await runScenario(context, scenario, playwrightSteps);
        if (result.unreachable) {
          mkdirSync(dirname(unreachableFile), { recursive: true });
          writeFileSync(unreachableFile, JSON.stringify({ message: result.unreachable }, null, 2));
          throw messageOnly(`the bot could not be reached: ${result.unreachable}`);
        }
        for (const check of result.skippedChecks) testInfo.annotations.push({ type: 'skipped-check', description: check });
        const failures = result.findings.filter((f) => f.severity === 'failure');
        for (const warning of result.findings.filter((f) => f.severity === 'warning')) testInfo.annotations.push({ type: 'warning', description: formatFinding(warning) });
        if (failures.length) {
          throw messageOnly(`${suite.id}/${scenario.id}: ${scenario.title}\n${failures.map(formatFinding).join('\n')}`);
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

/** An error whose report shows its message, not harness internals: the YAML step is the place to look. */
function messageOnly(message: string): Error {
  const error = new Error(message);
  error.stack = message;
  return error;
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
