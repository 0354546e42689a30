/**
 * One token store operation, bounded: by a timeout, and by the manager's close.
 *
 * @module
 */
import type { Closable } from '../internal/lifetime.ts';
import type { StartTimer } from '../internal/timers.ts';

/**
 * How to run one store operation and what to do with its outcome.
 *
 * @example
 * ```ts
 * const bounds: StoreOperationBounds<undefined> = { name: 'get', timeoutMs: 1_000, closed, startTimer: awaitedTimer, fallback: undefined, succeeded, failed };
 * ```
 */
export interface StoreOperationBounds<T> {
  /** The operation's name in the timeout's message: `get`, `set`, `delete`, `lock`, `release`. */
  readonly name: string;
  readonly timeoutMs: number;
  /** The manager's lifetime: when it closes, the wait stops with its reason. */
  readonly closed: Closable;
  /** The timer the timeout runs on (one that keeps the process alive, or not). */
  readonly startTimer: StartTimer;
  /** What the operation resolves to when it fails or times out. */
  readonly fallback: T;
  /** Gets the result of an operation that answered after its timeout. */
  readonly late?: ((result: T) => unknown) | undefined;
  /** Told that the operation answered in time. */
  readonly succeeded: () => void;
  /** Told that the operation failed or timed out, with the error. */
  readonly failed: (error: unknown) => void;
}

/**
 * Runs `operation`, bounded by the timeout and the manager's close. Resolves to its result, or
 * to `fallback` when it throws, rejects or times out; rejects only when the manager closes (with
 * the close reason). The timeout and the close listener are gone once it settles.
 *
 * @example
 * ```ts
 * const value = await boundedStoreOperation(() => store.get(key), bounds); // bounds.fallback after 1 s
 * ```
 */
export function boundedStoreOperation<T>(
  operation: () => Promise<T>,
  bounds: StoreOperationBounds<T>,
): Promise<T> {
  const { name, timeoutMs, closed, startTimer, fallback, late, succeeded, failed } = bounds;
  return new Promise<T>((resolve, reject) => {
    if (closed.closed) {
      reject(closed.reason);
      return;
    }
    let settled = false;
    let detach = (): void => {};
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      detach();
      return true;
    };
    const fail = (error: unknown): void => {
      if (!settle()) return;
      failed(error);
      resolve(fallback);
    };
    const timer = startTimer(
      () =>
        fail(
          new DOMException(
            `The token store did not answer ${name}() within ${timeoutMs} ms`,
            'TimeoutError',
          ),
        ),
      timeoutMs,
    );
    detach = closed.onClose(() => {
      if (settle()) reject(closed.reason);
    });
    let pending: Promise<T>;
    try {
      pending = Promise.resolve(operation());
    } catch (error) {
      fail(error);
      return;
    }
    pending.then(
      (result) => {
        if (settle()) {
          succeeded();
          resolve(result);
        } else if (late) late(result);
      },
      (error: unknown) => fail(error),
    );
  });
}
