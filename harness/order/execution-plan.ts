import type { Scenario } from '../model/suite.js';
import { segmentsOf, type Delivery, type Schedule } from './schedule.js';

/** One step to execute: the scenario step, and for a notification its delay and whether it is a redelivery. */
export interface PlannedStep {
  index: number;
  delayMs: number;
  duplicate: boolean;
}

/** The steps in execution order: each segment of notifications as the schedule orders it, the rest as written. */
export function executionPlan(scenario: Scenario, schedule?: Schedule): PlannedStep[] {
  const plan: PlannedStep[] = [];
  const segments = segmentsOf(scenario);
  const segmentStarts = new Map(segments.map((s, k) => [s.steps[0]!, k]));
  for (let index = 0; index < scenario.steps.length; index++) {
    const k = segmentStarts.get(index);
    if (k === undefined) {
      plan.push({ index, delayMs: 0, duplicate: false });
      continue;
    }
    const deliveries: Delivery[] = schedule?.segments[k] ?? segments[k]!.steps.map((step) => ({ step }));
    for (const d of deliveries) plan.push({ index: d.step, delayMs: d.delayMs ?? 0, duplicate: !!d.duplicate });
    index = segments[k]!.steps.at(-1)!;
  }
  return plan;
}
