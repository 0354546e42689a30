/**
 * The events of one token request: requested, obtained, failed, and each retry's backoff.
 *
 * @module
 */
import type { ErrorSummary, TokenEventBase, TokenRequestReason } from './token-event-base.ts';

/**
 * A token request starts: once per request, however many callers wait for it.
 *
 * @example
 * ```ts
 * if (event.type === 'token.requested') console.log(`token request (${event.reason})`);
 * ```
 */
export interface TokenRequestedEvent extends TokenEventBase {
  readonly type: 'token.requested';
  /** The HTTP method of the request (`POST`, or what a `tokenRequest` flow sends). */
  readonly method: string;
  /** The grant sent: `refresh_token` for a refresh, else the flow's own grant. */
  readonly grantType: string;
  readonly reason: TokenRequestReason;
}

/**
 * A token request answered with a token (retries included).
 *
 * @example
 * ```ts
 * if (event.type === 'token.obtained') histogram.record(event.durationMs / 1000);
 * ```
 */
export interface TokenObtainedEvent extends TokenEventBase {
  readonly type: 'token.obtained';
  readonly grantType: string;
  readonly reason: TokenRequestReason;
  /** The whole request, retries and their waits included, in ms. */
  readonly durationMs: number;
  /** Attempts made, 1-based. */
  readonly attempt: number;
  /** The HTTP status of the answer. */
  readonly status: number;
  /** Time left until the token expires, in ms; `undefined` when its lifetime is unknown. */
  readonly expiresInMs: number | undefined;
}

/**
 * A token request failed (after its retries).
 *
 * @example
 * ```ts
 * if (event.type === 'token.failed') alert(`${event.error.code} after ${event.attempt} attempts`);
 * ```
 */
export interface TokenFailedEvent extends TokenEventBase {
  readonly type: 'token.failed';
  readonly grantType: string;
  readonly reason: TokenRequestReason;
  readonly durationMs: number;
  /** Attempts made, 1-based. */
  readonly attempt: number;
  /** The HTTP status of the last answer; `undefined` when none arrived (network error, timeout). */
  readonly status: number | undefined;
  readonly error: ErrorSummary;
}

/**
 * An attempt of a token request failed and another follows after `delayMs` (exponential backoff
 * with jitter, or the server's `Retry-After`).
 *
 * @example
 * ```ts
 * if (event.type === 'token.backoff') console.warn(`retrying in ${event.delayMs} ms`);
 * ```
 */
export interface TokenBackoffEvent extends TokenEventBase {
  readonly type: 'token.backoff';
  readonly grantType: string;
  readonly reason: TokenRequestReason;
  /** The attempt that failed, 1-based. */
  readonly attempt: number;
  readonly delayMs: number;
  /** The failed attempt's HTTP status (a 5xx or 429); `undefined` for a network error or timeout. */
  readonly status: number | undefined;
  readonly error: ErrorSummary;
}
