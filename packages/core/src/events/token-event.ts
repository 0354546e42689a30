/**
 * The events a token manager reports: what `onEvent` receives and what the
 * `tokenwise:<type>` diagnostics channels publish. Built from safe fields only: no event ever
 * holds a secret, a token or a message a server wrote.
 *
 * @module
 */
import type { ErrorSummary, TokenEventBase, TokenRequestReason } from './token-event-base.ts';
import type {
  TokenBackoffEvent,
  TokenFailedEvent,
  TokenObtainedEvent,
  TokenRequestedEvent,
} from './token-request-events.ts';

export type { ErrorSummary, TokenEventBase, TokenRequestReason } from './token-event-base.ts';
export type {
  TokenBackoffEvent,
  TokenFailedEvent,
  TokenObtainedEvent,
  TokenRequestedEvent,
} from './token-request-events.ts';

/**
 * `getToken()` was answered from the cache: `fresh`, or `stale` (served while a renewal ahead of
 * expiry runs).
 *
 * @example
 * ```ts
 * if (event.type === 'token.cache_hit') hits++;
 * ```
 */
export interface TokenCacheHitEvent extends TokenEventBase {
  readonly type: 'token.cache_hit';
  readonly freshness: 'fresh' | 'stale';
  /** Time left until the token expires, in ms; `undefined` when its lifetime is unknown. */
  readonly expiresInMs: number | undefined;
}

/**
 * `getToken()` could not be answered from the cache: the caller waits for a token request (or
 * for the store, or gets the error of a failed request while failures are paced).
 *
 * @example
 * ```ts
 * if (event.type === 'token.cache_miss') misses++;
 * ```
 */
export interface TokenCacheMissEvent extends TokenEventBase {
  readonly type: 'token.cache_miss';
  /** `forced`: the caller asked for a new token; `needed`: no usable token was cached. */
  readonly reason: Exclude<TokenRequestReason, 'ahead'>;
}

/**
 * A renewal ahead of expiry starts in the background; callers keep getting the cached token.
 *
 * @example
 * ```ts
 * if (event.type === 'token.refresh_ahead') console.log(`renewing, ${event.expiresInMs} ms left`);
 * ```
 */
export interface TokenRefreshAheadEvent extends TokenEventBase {
  readonly type: 'token.refresh_ahead';
  readonly expiresInMs: number | undefined;
}

/**
 * `invalidate()` dropped the cached token (it was still the one given); not sent when a newer
 * token was kept.
 *
 * @example
 * ```ts
 * if (event.type === 'token.invalidated') console.log('token dropped after a 401');
 * ```
 */
export interface TokenInvalidatedEvent extends TokenEventBase {
  readonly type: 'token.invalidated';
}

/**
 * A refresh answered with a new refresh token, and the new token is stored (after
 * `onTokenChange`): the previous refresh token may no longer work.
 *
 * @example
 * ```ts
 * if (event.type === 'token.refresh_token_rotated') audit('refresh token rotated');
 * ```
 */
export interface RefreshTokenRotatedEvent extends TokenEventBase {
  readonly type: 'token.refresh_token_rotated';
}

/**
 * An adapter got an answer that rejects the token (a 401) and decided: `renew` (drop the token
 * and re-send with a new one), `resend` (another request already dropped it: re-send with the
 * newer token), `answer` (re-authorization is cooling down: the 401 is returned as is), or
 * `refused_again` (the re-sent request was rejected too: re-authorization cools down).
 *
 * @example
 * ```ts
 * if (event.type === 'reauthorization' && event.decision === 'answer') alert(`${event.origin} refuses every token`);
 * ```
 */
export interface ReauthorizationEvent extends TokenEventBase {
  readonly type: 'reauthorization';
  readonly decision: 'renew' | 'resend' | 'answer' | 'refused_again';
  /**
   * The origin of the request that was rejected (`https://api.example.com`): never its path or
   * query, which may carry identifiers or keys.
   */
  readonly origin: string;
}

/**
 * A token store operation failed or timed out: the manager carried on from memory.
 *
 * @example
 * ```ts
 * if (event.type === 'store.error') console.warn(`store ${event.operation}: ${event.error.name}`);
 * ```
 */
export interface StoreErrorEvent extends TokenEventBase {
  readonly type: 'store.error';
  readonly operation: 'get' | 'set' | 'delete' | 'lock' | 'release';
  readonly error: ErrorSummary;
}

/**
 * Every event a token manager reports, told apart by `type`. See docs/observability.md for
 * when each is sent.
 *
 * @example
 * ```ts
 * const tokens = createTokenManager({
 *   flow,
 *   onEvent(event) {
 *     if (event.type === 'token.failed') console.warn(event.status, event.error.code);
 *   },
 * });
 * ```
 */
export type TokenEvent =
  | TokenRequestedEvent
  | TokenObtainedEvent
  | TokenFailedEvent
  | TokenBackoffEvent
  | TokenCacheHitEvent
  | TokenCacheMissEvent
  | TokenRefreshAheadEvent
  | TokenInvalidatedEvent
  | RefreshTokenRotatedEvent
  | ReauthorizationEvent
  | StoreErrorEvent;

/**
 * The `type` of every event, in the order of the catalogue: each has the diagnostics channel
 * `tokenwise:<type>`.
 *
 * @example
 * ```ts
 * for (const type of tokenEventTypes) diagnosticsChannel.subscribe(`tokenwise:${type}`, log);
 * ```
 */
export const tokenEventTypes: readonly TokenEvent['type'][] = /* @__PURE__ */ Object.freeze([
  'token.requested',
  'token.obtained',
  'token.failed',
  'token.backoff',
  'token.cache_hit',
  'token.cache_miss',
  'token.refresh_ahead',
  'token.invalidated',
  'token.refresh_token_rotated',
  'reauthorization',
  'store.error',
] as const);
