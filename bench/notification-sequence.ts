import type { Project } from '../harness/load/load-project.js';
import type { Scenario } from '../harness/model/suite.js';
import { scenarioById } from './harness-under-bench.js';

/** The scenario whose notifications the delivery benchmarks send: the failed blind transfer. */
export const TRANSFER_SCENARIO = 'transfer/peer-to-peer-failed';

/**
 * The transfer scenario's notifications after the answer (establishing, established,
 * transferring, transfer failed), as a scenario the harness runs like any other: each one signed,
 * delivered, recorded in the transcript, and the run judged by the protocol rules. The incoming
 * call is left out: the responder is not a bot and never answers it, so INCOMING-ANSWER-IN-TIME
 * would hold each run for Graph's 15 s.
 */
export function notificationSequence(project: Project): Scenario {
  const scenario = scenarioById(project, TRANSFER_SCENARIO);
  const steps = scenario.steps.filter((s) => s.kind === 'notify' && s.label !== 'incoming-call');
  return { ...scenario, id: `${scenario.id}-notifications`, steps, reorderable: [] };
}
