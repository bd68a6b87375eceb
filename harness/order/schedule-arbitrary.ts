import fc from 'fast-check';
import type { Delivery, LicenceLevel, Schedule, Segment } from './schedule.js';

/** Longest delay a robustness schedule may add before one delivery. */
export const MAX_DELAY_MS = 40;

/**
 * The raw choices a schedule is decoded from, per segment. Kept as plain arrays and records so
 * fast-check can shrink a stored example (a replay) as well as a generated one.
 */
export type RawSchedule = Array<{ order: number[]; duplicates: Array<{ of: number; after: number }>; delays: number[] }>;

/**
 * All schedules a scenario's licences allow, as raw choices. Orders are a choice per position
 * among the notifications whose predecessors are already placed, so 0 everywhere is the
 * documented order and shrinking (towards 0, no duplicates, no delay) walks a failing schedule
 * back towards the documented one.
 */
export function rawScheduleArbitrary(segments: Segment[], level: LicenceLevel): fc.Arbitrary<RawSchedule> {
  return fc.tuple(
    ...segments.map((segment): fc.Arbitrary<RawSchedule[number]> => {
      const n = segment.steps.length;
      const order = fc.array(fc.nat({ max: n - 1 }), { minLength: n, maxLength: n });
      if (level === 'documented') return fc.record({ order, duplicates: fc.constant<Array<{ of: number; after: number }>>([]), delays: fc.constant<number[]>([]) });
      return fc.record({
        order,
        duplicates: fc.array(fc.record({ of: fc.nat({ max: n - 1 }), after: fc.nat({ max: n }) }), { maxLength: 2 }),
        delays: fc.array(fc.nat({ max: MAX_DELAY_MS }), { minLength: n, maxLength: n }),
      });
    }),
  );
}

/**
 * The schedule raw choices stand for. Robustness ignores the documented order inside a segment
 * (never across barriers), except between unordered restatements of one resource (keepOrder):
 * neither those nor a redelivery of the older one may come after the newer.
 */
export function decodeSchedule(raw: RawSchedule, segments: Segment[], level: LicenceLevel): Schedule {
  return {
    segments: segments.map((segment, k) => {
      const { order, duplicates, delays } = raw[k]!;
      const constraints = level === 'robustness' ? segment.keepOrder : segment.mustPrecede;
      const deliveries: Delivery[] = decodeOrder(order, constraints).map((i) => ({ step: segment.steps[i]!, ...(delays[i] ? { delayMs: delays[i] } : {}) }));
      for (const { of, after } of duplicates) {
        const original = deliveries.findIndex((d) => d.step === segment.steps[of] && !d.duplicate);
        const newer = deliveries.findIndex((d) => segment.keepOrder[segment.steps.indexOf(d.step)]!.includes(of));
        const latest = newer === -1 ? deliveries.length : newer;
        deliveries.splice(Math.max(original + 1, Math.min(after, latest)), 0, { step: segment.steps[of]!, duplicate: true });
      }
      return deliveries;
    }),
  };
}

/** Turns choice indexes into positions: at each turn, take the k-th (mod) notification whose predecessors are placed. */
export function decodeOrder(choices: number[], mustPrecede: number[][]): number[] {
  const n = mustPrecede.length;
  const placed = new Set<number>();
  const order: number[] = [];
  for (let turn = 0; turn < n; turn++) {
    const ready = [...Array(n).keys()].filter((i) => !placed.has(i) && mustPrecede[i]!.every((j) => placed.has(j)));
    const pick = ready[(choices[turn] ?? 0) % ready.length]!;
    placed.add(pick);
    order.push(pick);
  }
  return order;
}
