/**
 * The mock server's clock: a time source plus an offset that tests move forward.
 *
 * @module
 */

/**
 * A clock whose time a test can move forward. Everything the mock does with time (token
 * expiry, `iat`/`exp` claims, authorization-code expiry, the `Date` header) reads `now()`.
 *
 * @example
 * ```ts
 * const clock = createClock(() => Date.parse('2026-01-01T00:00:00Z'));
 * clock.advance(3_600_000);
 * new Date(clock.now()).toISOString(); // '2026-01-01T01:00:00.000Z'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1 (`expires_in` counts on this clock)
 */
export interface Clock {
  /** The current mock time, epoch milliseconds. */
  now(): number;
  /** Moves the mock time forward by `ms` milliseconds (a finite number >= 0). */
  advance(ms: number): void;
}

/**
 * Makes a {@link Clock} over `source` (default `Date.now`).
 *
 * @example
 * ```ts
 * const clock = createClock();
 * clock.advance(1000); // one second later than the wall clock
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export function createClock(source: () => number = Date.now): Clock {
  if (typeof source !== 'function')
    throw new TypeError('mockOAuthServer: now must be a function returning epoch milliseconds');
  let offset = 0;
  return {
    now: () => source() + offset,
    advance(ms) {
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)
        throw new TypeError('advance: ms must be a finite number >= 0');
      offset += ms;
    },
  };
}
