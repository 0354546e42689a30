/**
 * The checks of the settings a simulator takes at its start and a test may change while it runs:
 * token lifetime, clock skew, token latency, log size. A bad value throws a `RangeError` that names
 * the setting.
 */

/**
 * A check of `lifetimeSeconds`: a positive number of seconds, at least `min` when the vendor's
 * answer cannot express less.
 *
 * @example
 * ```ts
 * const checkLifetime = lifetimeCheck(60);
 * checkLifetime(30); // RangeError: lifetimeSeconds must be at least 60 seconds
 * ```
 */
export function lifetimeCheck(min: number): (value: number) => number {
  return (value) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value < min) {
      throw new RangeError(
        min > 0
          ? `lifetimeSeconds must be at least ${min} seconds`
          : 'lifetimeSeconds must be a positive number of seconds',
      );
    }
    return value;
  };
}

/**
 * Checks `clockSkewMs`: any finite number of ms, ahead or behind.
 *
 * @example
 * ```ts
 * checkSkew(-90_000); // -90000
 * ```
 */
export function checkSkew(value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new RangeError('clockSkewMs must be a finite number');
  return value;
}

/**
 * Checks `tokenLatencyMs`: a non-negative number of ms.
 *
 * @example
 * ```ts
 * checkLatency(20); // 20
 * ```
 */
export function checkLatency(value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new RangeError('tokenLatencyMs must be a non-negative number');
  return value;
}

/**
 * Checks `maxLogEntries`: a non-negative integer.
 *
 * @example
 * ```ts
 * checkLogSize(10_000); // 10000
 * ```
 */
export function checkLogSize(value: number): number {
  if (!Number.isInteger(value) || value < 0)
    throw new RangeError('maxLogEntries must be a non-negative integer');
  return value;
}
