/** A clock that moves only when told to, shared by a simulator and the token managers under test. */

export interface ManualClock {
  readonly now: () => number;
  advance(ms: number): void;
}

/**
 * Starts on a whole minute (so Papaya's minute-precision `valid_until` is exact, and HTTP dates,
 * which have whole seconds, match the clock).
 */
export function manualClock(start = Date.UTC(2026, 0, 5, 9, 0, 0)): ManualClock {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}
