/**
 * Scenario 4's overhead goal as a share of a loopback round trip: at most this share meets it.
 *
 * @example
 * ```ts
 * const met = overheadNs / roundTripNs <= roundTripShareGoal;
 * ```
 */
export const roundTripShareGoal = 0.02;

/**
 * The cost targets of the "Toward 1.0" issue, measured by scenarios 4, 8 and 9. Each figure is
 * tokenwise's; `@badgateway/oauth2-client` is measured beside it in the same run.
 *
 * @example
 * ```ts
 * const met = bytes <= costTargets.bundleBytes.manager;
 * ```
 */
export const costTargets = {
  /** Minified, tree-shaken, gzipped bytes of what a user imports (scenario 8). */
  bundleBytes: {
    /** `createTokenManager` + `clientCredentials`. */
    manager: 4_000,
    /** The same + `createAuthFetch`. */
    withFetch: 5_000,
  },
  /** Idle heap per manager holding a token, in bytes (scenario 8). */
  idleHeapBytes: {
    manager: 1_200,
    /** With a `createAuthFetch` on it. */
    withFetch: 1_800,
  },
  /**
   * `createAuthFetch`'s time per request over a minimal hand-written wrapper's, by the number of
   * managers used in turn (scenario 9).
   */
  fetchRatioByManagers: new Map<number, number>([
    [1, 1.2],
    [10_000, 1.3],
  ]),
  /** Each adapter's time per request over its bare client's, transport stubbed (scenario 4). */
  adapterRatio: 1.1,
} as const;

/**
 * Whether `ratio` meets a ratio target as the report shows it (two decimals): a ratio printed
 * ×1.10 meets a ×1.10 target.
 *
 * @example
 * ```ts
 * meetsRatio(1.1004, 1.1); // true
 * meetsRatio(1.106, 1.1); // false (×1.11)
 * ```
 */
export function meetsRatio(ratio: number, target: number): boolean {
  return Math.round(ratio * 100) <= Math.round(target * 100);
}
