/**
 * Sleeps that can all be cancelled at once, so that a chaos run stops without leaving timers
 * behind (a cancelled sleep never resolves: whatever awaited it is abandoned with the run).
 */
export interface Sleeper {
  /** Resolves after `ms`, unless `cancelAll` runs first. */
  sleep(ms: number): Promise<void>;
  /** Clears every pending sleep. */
  cancelAll(): void;
}

/**
 * A new {@link Sleeper}.
 *
 * @example
 * ```ts
 * const timers = sleeper();
 * await timers.sleep(10);
 * timers.cancelAll(); // at the end of the run
 * ```
 */
export function sleeper(): Sleeper {
  const pending = new Set<ReturnType<typeof setTimeout>>();
  return {
    sleep: (ms) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(timer);
          resolve();
        }, ms);
        pending.add(timer);
      }),
    cancelAll() {
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
    },
  };
}
