/**
 * One renewal at a time per manager: every caller that needs a token while a renewal is under
 * way shares it, and each waits for it on its own terms (its signal, the manager's close, the
 * renewal's deadline).
 *
 * @module
 */
import type { Closable } from '../internal/lifetime.ts';
import { awaitedTimer } from '../internal/timers.ts';
import type { Token } from '../token.ts';

/**
 * A renewal every caller shares, and when it counts as abandoned (see `renewalBudgetMs`). The
 * renewal's signal, timers and fetch belong to the caller that started it (on Workers, its
 * request); the others only await the promise, which Workers allow across requests.
 *
 * @example
 * ```ts
 * const shared: SharedRenewal = { promise: renew(), deadline: elapsed() + 45_000 };
 * ```
 */
export interface SharedRenewal {
  readonly promise: Promise<Token>;
  /** On the {@link elapsed} clock: real time, as the timeouts it derives from. */
  readonly deadline: number;
}

/**
 * Monotonic ms, for deadlines of real I/O (the manager's `now` is the token clock).
 *
 * @example
 * ```ts
 * const deadline = elapsed() + 1_000;
 * ```
 */
export const elapsed = (): number => performance.now();

/**
 * Whether `renewal` is still under way: unsettled renewals past their deadline were abandoned
 * (Workers cancel the I/O of a request that has answered, so a renewal started by a request that
 * did not wait for it never settles), and the next caller starts anew.
 *
 * @example
 * ```ts
 * if (isUnderway(this.#renewal)) return this.#renewal;
 * ```
 */
export function isUnderway(renewal: SharedRenewal | undefined): renewal is SharedRenewal {
  return renewal !== undefined && elapsed() <= renewal.deadline;
}

/** What a waiter gets when the renewal it waits for passes its deadline unsettled. */
export const abandoned: unique symbol = Symbol('abandoned');

/**
 * Waits for the shared renewal, or stops waiting when this caller's signal aborts (with its
 * reason) or the manager closes (with `ERR_MANAGER_CLOSED`), whatever the shared work is stuck
 * on. Resolves to {@link abandoned} when the renewal passes its deadline unsettled. The deadline
 * timer is this caller's own (on Workers, its request's), never shared.
 *
 * @example
 * ```ts
 * const token = await waitForRenewal(shared, options?.signal, lifetime);
 * if (token === abandoned) startAnother();
 * ```
 */
export function waitForRenewal(
  renewal: SharedRenewal,
  signal: AbortSignal | undefined,
  closed: Closable,
): Promise<Token | typeof abandoned> {
  const { promise, deadline } = renewal;
  return new Promise<Token | typeof abandoned>((resolve, reject) => {
    const onCallerAbort = (): void => stop(signal?.reason);
    let detachClose = (): void => {};
    const timer = Number.isFinite(deadline)
      ? awaitedTimer(
          () => {
            detach();
            resolve(abandoned);
          },
          Math.max(0, deadline - elapsed()),
        )
      : undefined;
    const detach = (): void => {
      signal?.removeEventListener('abort', onCallerAbort);
      detachClose();
      clearTimeout(timer);
    };
    const stop = (reason: unknown): void => {
      detach();
      reject(reason);
    };
    signal?.addEventListener('abort', onCallerAbort, { once: true });
    detachClose = closed.onClose(stop);
    promise.then(
      (value) => {
        detach();
        resolve(value);
      },
      (error: unknown) => {
        detach();
        reject(error);
      },
    );
  });
}
