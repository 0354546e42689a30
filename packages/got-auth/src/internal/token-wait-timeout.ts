/**
 * The wait for a request's token, bounded as got bounds the request (`signal`, `timeout.request`),
 * and its error when it outlasts `timeout.request`: got's own `TimeoutError`, in the end
 * (`beforeError` turns it into one).
 *
 * @module
 */
import type { TokenWait } from '@tokenwise/core/adapter';
import type { HookOptions } from './request-state.ts';

/**
 * The wait for a token outlasted got's `timeout.request`: shaped as got's request timeout.
 *
 * @example
 * ```ts
 * new TokenWaitTimeout(5_000).message; // "Timeout awaiting 'request' for 5000ms"
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

/** Makes the error of a wait bounded by `timeout` ms (a token wait's `timeoutError`). */
const tokenWaitTimeout = (timeout: number): TokenWaitTimeout => new TokenWaitTimeout(timeout);

/**
 * The bounds of the wait for the token of the request `options` describe: its `signal` and
 * `timeout.request`; `undefined` (nothing made) when it has neither.
 *
 * @example
 * ```ts
 * const authorized = authorizer.authorize(url, tokenWaitOf(options));
 * ```
 */
export function tokenWaitOf(options: HookOptions): TokenWait | undefined {
  const { signal } = options;
  const timeout = options.timeout.request;
  // A timeout of 0 bounds nothing (see `TokenWait`).
  return signal || timeout ? { signal, timeout, timeoutError: tokenWaitTimeout } : undefined;
}
