/** Small async helpers for tests: a deferred promise, a manual clock, settle probes. */

export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A clock that only moves when told to. Starts on a whole second (HTTP dates have no ms). */
export interface ManualClock {
  readonly now: () => number;
  /** Sets the time. */
  set(ms: number): void;
  advance(ms: number): void;
}

export function manualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let t = start;
  return {
    now: () => t,
    set: (ms) => {
      t = ms;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/** Resolves after pending I/O callbacks and microtasks have run once. */
export function nextTick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Lets I/O run `n` times (a loopback round trip needs a few). */
export async function ticks(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await nextTick();
}

/**
 * Whether `promise` settles before the event loop gets to run I/O: true for a value served from
 * memory, false for anything that waits for the network.
 */
export async function settlesWithoutIo(promise: Promise<unknown>): Promise<boolean> {
  const settled = watchSettled(promise);
  await nextTick();
  return settled();
}

/** A function that tells whether `promise` has settled (either way) by the time it is called. */
function watchSettled(promise: Promise<unknown>): () => boolean {
  let settled = false;
  const mark = (): void => {
    settled = true;
  };
  promise.then(mark, mark);
  return () => settled;
}

/** Whether `promise` is still pending after letting I/O run `n` times. */
export async function isPending(promise: Promise<unknown>, n = 5): Promise<boolean> {
  const settled = watchSettled(promise);
  await ticks(n);
  return !settled();
}

/** Polls `condition` on each turn of the event loop until it holds; gives up after `limitMs`. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  limitMs = 2_000,
): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error('until: the condition never held');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
