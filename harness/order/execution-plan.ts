import type { Scenario } from '../model/suite.js';
import { segmentsOf, type Delivery, type Schedule, type Segment } from './schedule.js';

/** One step to execute: the scenario step, and for a notification its delay and whether it is a redelivery. */
export interface PlannedStep {
  index: number;
  delayMs: number;
  duplicate: boolean;
  /** Further notification steps delivered in the same POST (their items appended to `value[]`). */
  batchedWith: number[];
}

/**
 * The steps in execution order: each segment of notifications as the schedule orders it, the rest
 * as written. `batched` delivers each run of plain notifications in a segment as one POST.
 */
export function executionPlan(scenario: Scenario, schedule?: Schedule, batched = false): PlannedStep[] {
  const plan: PlannedStep[] = [];
  const segments = segmentsFor(scenario);
  const segmentStarts = new Map(segments.map((s, k) => [s.steps[0]!, k]));
  for (let index = 0; index < scenario.steps.length; index++) {
    const k = segmentStarts.get(index);
    if (k === undefined) {
      plan.push({ index, delayMs: 0, duplicate: false, batchedWith: [] });
      continue;
    }
    const deliveries: Delivery[] = schedule?.segments[k] ?? segments[k]!.steps.map((step) => ({ step }));
    const planned = deliveries.map((d) => ({ index: d.step, delayMs: d.delayMs ?? 0, duplicate: !!d.duplicate, batchedWith: [] as number[] }));
    plan.push(...(batched ? batchRuns(planned, scenario) : planned));
    index = segments[k]!.steps.at(-1)!;
  }
  return plan;
}

/** A scenario's segments, worked out once: every schedule run of a scenario plans with them. */
const segmentsCache = new WeakMap<Scenario, Segment[]>();
function segmentsFor(scenario: Scenario): Segment[] {
  let segments = segmentsCache.get(scenario);
  if (!segments) segmentsCache.set(scenario, (segments = segmentsOf(scenario)));
  return segments;
}

/**
 * Joins consecutive notifications into one delivery. A forged one, one whose answer a step checks,
 * a delayed one or a redelivery stays on its own: each is about its own POST.
 */
function batchRuns(planned: PlannedStep[], scenario: Scenario): PlannedStep[] {
  const plain = (p: PlannedStep): boolean => {
    const step = scenario.steps[p.index]!;
    return step.kind === 'notify' && step.forge === undefined && step.expectStatus === undefined && p.delayMs === 0 && !p.duplicate;
  };
  const out: PlannedStep[] = [];
  for (const p of planned) {
    const head = out.at(-1);
    if (head && plain(head) && plain(p)) head.batchedWith.push(p.index);
    else out.push({ ...p, batchedWith: [] });
  }
  return out;
}
