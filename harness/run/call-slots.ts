/**
 * How many scenario runs may hold the bot at once: a bot that keeps one call at a time (a global
 * "current call") says `callsAtOnce: 1` in its profile, and the run's tests, variants and explored
 * schedules then take turns instead of failing it for calls it never claimed to hold together.
 */

/** Turns at the bot, first come first served; `take()` resolves with the function that gives the turn back. */
export interface CallSlots {
  take(): Promise<() => void>;
}

/** Slots for a profile's `callsAtOnce`; undefined (no waiting at all) when the profile sets no limit. */
export function callSlots(limit: number | undefined): CallSlots | undefined {
  if (limit === undefined) return undefined;
  let free = limit;
  const waiting: Array<() => void> = [];
  const giveBack = (): void => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  const turn = (): (() => void) => {
    let given = false;
    return () => {
      if (!given) (given = true), giveBack();
    };
  };
  return {
    take: () => {
      if (free > 0) {
        free--;
        return Promise.resolve(turn());
      }
      return new Promise((resolve) => waiting.push(() => resolve(turn())));
    },
  };
}
