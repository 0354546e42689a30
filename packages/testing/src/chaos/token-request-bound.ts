/**
 * The most token requests one token manager may make in a chaos run, derived from the manager's
 * rules rather than measured.
 *
 * An *exchange* is one `obtain()`: the manager runs at most one at a time, and each makes at most
 * `retry.limit + 1` HTTP attempts (a background refresh makes one). So
 *
 *     attempts ≤ (retryLimit + 1) × (S + F)
 *
 * where S and F count the successful and failed exchanges:
 *
 * - **S ≤ 2 + ⌊T / (L/2)⌋ + R.** After the cold start, a successful exchange replaces the current
 *   token, so something must have made that token unusable first: either it aged (it turns
 *   stale at the earliest half its lifetime L after it was requested, since refresh-ahead is
 *   capped at half the lifetime) or the API refused it and the adapter invalidated it. Each
 *   token ages out once, and tokens that age out were requested at least L/2 apart, so over T ms
 *   at most ⌊T / (L/2)⌋ + 1 of them do. Each of the R distinct tokens the API answered 401 to
 *   can be invalidated into at most one successful exchange (compare-and-invalidate: a 401 for a
 *   token that is no longer the current one changes nothing).
 * - **F ≤ S + 1 + ⌊T / W⌋.** A failed exchange opens a failure window of at least W (the
 *   smaller of `failureBackoffMs` and the shortest `Retry-After` the server sends) in which no
 *   exchange starts. So a failure either is the first exchange, or follows a success, or starts
 *   at least W after the previous failure.
 *
 * Assumes one flow whose exchange sends one grant (client credentials, refresh token or
 * `tokenRequest`; not a refresh that falls back to a reusable initial grant) and no
 * `forceRefresh`.
 *
 * Not part of the build (see tsconfig.build.json).
 *
 * @module
 */

/** What {@link tokenRequestBound} needs to know about a run. */
export interface TokenRequestBoundInput {
  /** T: how long the manager was in use, from creation to close, in ms. */
  readonly activeMs: number;
  /** L: the shortest lifetime the server issues, in ms. */
  readonly minLifetimeMs: number;
  /** W: the shortest failure window, in ms: min(failureBackoffMs, shortest Retry-After). */
  readonly minFailureWindowMs: number;
  /** `retry.limit` of the manager. */
  readonly retryLimit: number;
  /** R: distinct access tokens of this manager that the API answered 401 to. */
  readonly refusedTokens: number;
}

/** Upper bounds for one manager over one run. */
export interface TokenRequestBound {
  readonly successfulExchanges: number;
  readonly failedExchanges: number;
  /** HTTP requests to the token endpoint. */
  readonly attempts: number;
}

/**
 * Computes the bound described in this module's documentation.
 *
 * @example
 * ```ts
 * const bound = tokenRequestBound({ activeMs: 3_000, minLifetimeMs: 2_000, minFailureWindowMs: 250, retryLimit: 2, refusedTokens: 40 });
 * expect(server.stats.get('fetch-client')?.tokenRequests).toBeLessThanOrEqual(bound.attempts);
 * ```
 */
export function tokenRequestBound(input: TokenRequestBoundInput): TokenRequestBound {
  const { activeMs, minLifetimeMs, minFailureWindowMs, retryLimit, refusedTokens } = input;
  if (!(minLifetimeMs > 0) || !(minFailureWindowMs > 0))
    throw new RangeError('tokenRequestBound: lifetimes and failure windows must be positive');
  const successfulExchanges = 2 + Math.floor(activeMs / (minLifetimeMs / 2)) + refusedTokens;
  const failedExchanges = successfulExchanges + 1 + Math.floor(activeMs / minFailureWindowMs);
  return {
    successfulExchanges,
    failedExchanges,
    attempts: (retryLimit + 1) * (successfulExchanges + failedExchanges),
  };
}
