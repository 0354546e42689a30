/**
 * The error of a token wait that outlasted got's `timeout.request`: got's own `TimeoutError`, in
 * the end (`beforeError` turns it into one).
 *
 * @module
 */

/**
 * The wait for a token outlasted got's `timeout.request`: shaped as got's request timeout.
 *
 * @example
 * ```ts
 * const wait = { signal, timeout: options.timeout.request, timeoutError: tokenWaitTimeout };
 * ```
 */
export class TokenWaitTimeout extends Error {
  override readonly name = 'TimeoutError';
  readonly code = 'ETIMEDOUT';
  readonly event = 'request';
  constructor(timeout: number) {
    super(`Timeout awaiting 'request' for ${timeout}ms`);
  }
}

/**
 * Makes the {@link TokenWaitTimeout} of a wait bounded by `timeout` ms (a token wait's
 * `timeoutError`).
 *
 * @example
 * ```ts
 * tokenWaitTimeout(5_000).message; // "Timeout awaiting 'request' for 5000ms"
 * ```
 */
export const tokenWaitTimeout = (timeout: number): TokenWaitTimeout =>
  new TokenWaitTimeout(timeout);
