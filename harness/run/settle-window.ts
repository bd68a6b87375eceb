import { MAX_SETTLE_MS } from './scenario-run.js';

/**
 * How long a schedule run waits for quiet before it is judged, during an exploration.
 *
 * A fixed window (EXPLORE_SETTLE_MS) capped exploration near 200 schedules/s at concurrency 16,
 * although the reference bot reacts within milliseconds. So an exploration starts short and widens
 * the window only on evidence that it was too short. No verdict rests on the short window alone: a
 * failure under it is confirmed with the full window, and a run whose call still gets requests after
 * it was judged is judged again (see exploreSchedules).
 */

/**
 * Where an exploration starts. Only requests nothing waits for can come after it (an `expect` step
 * waits up to its `within` for its request, whatever the window), so a conformant bot, however slow,
 * needs no more; timer and scheduling jitter on a loaded machine is about this large.
 */
export const INITIAL_SETTLE_WINDOW_MS = 10;

/** The widest the window gets: a scenario run's own limit. */
export const MAX_SETTLE_WINDOW_MS = MAX_SETTLE_MS;

/**
 * After a request came `latenessMs` after its run (which had waited `waitedMs` of quiet) was judged:
 * a window that would have seen it, with half again as margin.
 */
export function widenedForLateRequest(windowMs: number, waitedMs: number, latenessMs: number): number {
  return Math.min(MAX_SETTLE_WINDOW_MS, Math.max(windowMs, Math.ceil(1.5 * (waitedMs + latenessMs))));
}

/** After a failure under the window did not hold under the full one: twice as long, up to the full window. */
export function widenedForUnconfirmedFailure(windowMs: number, fullMs: number): number {
  return Math.max(windowMs, Math.min(fullMs, 2 * windowMs));
}
