/**
 * After a failed token request, callers get that error at once for a while instead of sending
 * another request each: the failure window. It doubles with each failure in a row (from
 * `failureBackoffMs`, at most {@link maxFailureBackoffMs}), stretches to a `Retry-After` the
 * server sent, and closes with the next success.
 *
 * @module
 */
import { TokenEndpointError } from '../errors.ts';

/** The longest failure window, in ms: also the largest `failureBackoffMs`. */
export const maxFailureBackoffMs = 30_000;

/**
 * The last failure of a run of failed token requests, and until when it is handed out.
 *
 * @example
 * ```ts
 * const window: FailureWindow = { error, until: Date.now() + 1_000, failures: 1 };
 * ```
 */
export interface FailureWindow {
  /** What the callers of the window get. */
  readonly error: unknown;
  /** The end of the window, on the manager's clock (epoch ms). */
  readonly until: number;
  /** Failures in a row, this one included. */
  readonly failures: number;
}

/**
 * The window after `error`, following `previous` (the window of the failure before, if the run
 * goes on): `failureBackoffMs × 2^(failures − 1)`, or the server's `Retry-After` when longer,
 * capped at {@link maxFailureBackoffMs}.
 *
 * @example
 * ```ts
 * failureWindowAfter(undefined, error, { now: 0, failureBackoffMs: 1_000 }); // { error, until: 1_000, failures: 1 }
 * ```
 */
export function failureWindowAfter(
  previous: FailureWindow | undefined,
  error: unknown,
  { now, failureBackoffMs }: { readonly now: number; readonly failureBackoffMs: number },
): FailureWindow {
  const failures = (previous?.failures ?? 0) + 1;
  const retryAfterMs = error instanceof TokenEndpointError ? error.retryAfterMs : undefined;
  const backoffMs = failureBackoffMs * 2 ** (failures - 1);
  const windowMs = Math.min(Math.max(retryAfterMs ?? 0, backoffMs), maxFailureBackoffMs);
  return { error, until: now + windowMs, failures };
}

/**
 * Whether `window` still hands out its error at `now`.
 *
 * @example
 * ```ts
 * if (isFailureWindowOpen(window, now())) return Promise.reject(window.error);
 * ```
 */
export function isFailureWindowOpen(
  window: FailureWindow | undefined,
  now: number,
): window is FailureWindow {
  return window !== undefined && now < window.until;
}
