import type { Project } from '../harness/load/load-project.js';
import type { Scenario } from '../harness/model/suite.js';
import { scenarioById } from './harness-under-bench.js';

/** The scenario whose notifications the delivery benchmarks send: the failed blind transfer. */
export const TRANSFER_SCENARIO = 'transfer/peer-to-peer-failed';

/**
 * The transfer scenario's notifications alone (incoming call, establishing, established,
 * transferring, transfer failed), as a scenario the harness runs like any other: each one signed,
 * delivered, recorded in the transcript, and the run judged by the protocol rules.
 */
export function notificationSequence(project: Project): Scenario {
  const scenario = scenarioById(project, TRANSFER_SCENARIO);
  return { ...scenario, id: `${scenario.id}-notifications`, steps: scenario.steps.filter((s) => s.kind === 'notify'), reorderable: [] };
}
