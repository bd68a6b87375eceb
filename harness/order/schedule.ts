import { restatesUnordered, type NotifyStep, type Scenario } from '../model/suite.js';

/**
 * A schedule says in which order, how often and how late a scenario's notifications are
 * delivered. A scenario's steps split into segments: runs of consecutive `notify` steps. Any
 * other step (a control call, an expected request, a probe) is a barrier, so a notification that
 * answers a request is never sent before that request arrives (causality).
 */
export interface Schedule {
  /** Per segment, the deliveries in order. */
  segments: Delivery[][];
}

export interface Delivery {
  /** Index of the notify step in the scenario's (expanded) steps. */
  step: number;
  /** A redelivery of a notification already delivered (at-least-once delivery). */
  duplicate?: boolean;
  /** Milliseconds to wait before delivering. */
  delayMs?: number;
}

/** One segment: its notify steps in documented order, and which pairs must keep that order. */
export interface Segment {
  steps: number[];
  labels: string[];
  /** `mustPrecede[i]` lists the positions (in `steps`) that must be delivered before position i. */
  mustPrecede: number[][];
  /**
   * `keepOrder[i]`: positions that precede i even in robustness schedules: earlier notifications
   * of the same collection where either restates it whole (NotifyStep.snapshotOf, collectionOf),
   * which no bot could tell apart.
   */
  keepOrder: number[][];
}

/** Which licences a schedule may use. */
export type LicenceLevel = 'documented' | 'robustness';

/** The segments of a scenario, with the documented partial order of each (its reorder licences applied). */
export function segmentsOf(scenario: Scenario): Segment[] {
  const segments: Segment[] = [];
  let current: Array<{ index: number; step: NotifyStep }> = [];
  const close = (): void => {
    if (current.length) segments.push(segmentOf(current, scenario));
    current = [];
  };
  scenario.steps.forEach((step, index) => {
    if (step.kind === 'notify') current.push({ index, step });
    else close();
  });
  close();
  return segments;
}

function segmentOf(members: Array<{ index: number; step: NotifyStep }>, scenario: Scenario): Segment {
  const labels = members.map((m) => m.step.label);
  const free = (a: string, b: string): boolean => scenario.reorderable.some((l) => l.labels.includes(a) && l.labels.includes(b));
  return {
    steps: members.map((m) => m.index),
    labels,
    mustPrecede: labels.map((label, i) => labels.slice(0, i).flatMap((earlier, j) => (free(earlier, label) && earlier !== label ? [] : [j]))),
    keepOrder: members.map(({ step }, i) => members.slice(0, i).flatMap((earlier, j) => (restatesUnordered(earlier.step, step) ? [j] : []))),
  };
}

/** The documented schedule: every notification once, in the order the suite lists them. */
export function documentedSchedule(segments: Segment[]): Schedule {
  return { segments: segments.map((s) => s.steps.map((step) => ({ step }))) };
}

/** Whether a schedule keeps every documented ordering constraint (no duplicates, no delays). */
export function isDocumentedSchedule(schedule: Schedule, segments: Segment[]): boolean {
  return schedule.segments.every((deliveries, k) => {
    const segment = segments[k]!;
    if (deliveries.some((d) => d.duplicate || d.delayMs)) return false;
    if (deliveries.length !== segment.steps.length) return false;
    const positionOf = new Map(deliveries.map((d, i) => [segment.steps.indexOf(d.step), i]));
    return segment.mustPrecede.every((before, i) => before.every((j) => positionOf.get(j)! < positionOf.get(i)!));
  });
}

/** Whether a schedule differs from the documented order at all. */
export function isReordered(schedule: Schedule, segments: Segment[]): boolean {
  return schedule.segments.some((deliveries, k) => deliveries.some((d, i) => d.step !== segments[k]!.steps[i] || d.duplicate || d.delayMs));
}

/** Number of distinct documented schedules of a scenario (linear extensions), capped at `cap`. */
export function countDocumentedSchedules(segments: Segment[], cap = 1_000_000): number {
  let total = 1;
  for (const segment of segments) {
    total *= linearExtensions(segment, cap);
    if (total >= cap) return cap;
  }
  return total;
}

function linearExtensions(segment: Segment, cap: number): number {
  const n = segment.steps.length;
  const memo = new Map<number, number>();
  const count = (placed: number): number => {
    if (placed === (1 << n) - 1) return 1;
    const known = memo.get(placed);
    if (known !== undefined) return known;
    let sum = 0;
    for (let i = 0; i < n && sum < cap; i++) {
      if (placed & (1 << i)) continue;
      if (segment.mustPrecede[i]!.every((j) => placed & (1 << j))) sum += count(placed | (1 << i));
    }
    memo.set(placed, Math.min(sum, cap));
    return Math.min(sum, cap);
  };
  return n > 20 ? cap : count(0);
}

/** A schedule as labelled events: `established → establishing(dup) → roster#2`. */
export function describeSchedule(schedule: Schedule, scenario: Scenario): string {
  const label = (step: number): string => (scenario.steps[step] as NotifyStep).label;
  return schedule.segments
    .map((deliveries) => deliveries.map((d) => `${label(d.step)}${d.duplicate ? '(dup)' : ''}${d.delayMs ? `(+${d.delayMs}ms)` : ''}`).join(' → '))
    .filter(Boolean)
    .join(' | ');
}
