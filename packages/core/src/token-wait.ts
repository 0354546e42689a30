/**
 * How long a request waits for its token: the client's abort signal, and the client's timeout,
 * which covers that wait as it covers the rest of the request.
 *
 * @module
 */

/**
 * What bounds the wait of one request for its token (see `Authorizer.authorize`).
 *
 * @example
 * ```ts
 * await authorizer.authorize(url, {
 *   signal: config.signal,
 *   timeout: config.timeout, // axios: 0 means none
 *   timeoutError: (ms) => new AxiosError(`timeout of ${ms}ms exceeded`, 'ECONNABORTED', config),
 * });
 * ```
 */
export interface TokenWait {
  /** The request's abort signal: the wait stops with its reason. */
  readonly signal?: AbortSignal | undefined;
  /**
   * The client's timeout, in ms: the wait stops once it has run out. `undefined`, `false`, `0`
   * or more than a timer can hold (2^31 - 1 ms): no limit. A token at hand is never timed.
   */
  readonly timeout?: number | false | undefined;
  /**
   * Makes what the wait rejects with when `timeout` ran out: the client's own timeout error.
   * @default a `DOMException` named `TimeoutError`, as `AbortSignal.timeout()` gives
   */
  readonly timeoutError?: ((timeout: number) => unknown) | undefined;
}

/** The longest delay a timer takes as given (Node turns a longer one into 1 ms). */
const maxTimerDelay = 2_147_483_647;

/**
 * `promise`, or its rejection with `wait.timeoutError(timeout)` once `wait.timeout` has run out
 * first. The timer does not keep a process alive and is cleared as soon as `promise` settles.
 *
 * @example
 * ```ts
 * return waitAtMost(tokens.getToken().then(authorizationOf), { timeout: 5_000 });
 * ```
 */
export function waitAtMost<T>(promise: Promise<T>, wait: TokenWait | undefined): Promise<T> {
  const timeout = wait?.timeout;
  if (typeof timeout !== 'number' || !(timeout > 0) || timeout > maxTimerDelay) return promise;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        wait?.timeoutError?.(timeout) ??
          new DOMException(`no token within the ${timeout} ms timeout`, 'TimeoutError'),
      );
    }, timeout);
    (timer as { unref?: () => unknown }).unref?.();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
