/**
 * Starting timers that do, or do not, keep the process alive. A timer somebody awaits (a caller
 * waiting for a token) may hold the process open until it fires; a timer nobody awaits (a
 * background refresh, a store write sent while the store is down) must not: a script that gets a
 * token and never closes its manager exits by itself.
 *
 * `unref` is feature-checked: Node and Bun timers have it, Deno has `Deno.unrefTimer`, and
 * Workers and browsers have neither (and no process to keep alive).
 */

/** Starts a timer that runs `callback` after `ms`; returns what `clearTimeout` takes. */
export type StartTimer = (callback: () => void, ms: number) => ReturnType<typeof setTimeout>;

/**
 * A timer that keeps the process alive until it fires: for waits a caller awaits.
 *
 * @example
 * ```ts
 * const timer = awaitedTimer(() => reject(timeout), 1_000);
 * ```
 */
export const awaitedTimer: StartTimer = (callback, ms) => setTimeout(callback, ms);

/**
 * A timer that does not keep the process alive: for work nobody awaits.
 *
 * @example
 * ```ts
 * const timer = detachedTimer(() => poll(), 500);
 * ```
 */
export const detachedTimer: StartTimer = (callback, ms) => {
  const timer = setTimeout(callback, ms);
  unref(timer);
  return timer;
};

interface DenoTimers {
  readonly Deno?: { readonly unrefTimer?: (id: number) => void };
}

function unref(timer: ReturnType<typeof setTimeout>): void {
  if (typeof timer === 'object' && timer !== null && 'unref' in timer) {
    (timer as { unref(): unknown }).unref();
    return;
  }
  if (typeof timer === 'number') (globalThis as DenoTimers).Deno?.unrefTimer?.(timer);
}
