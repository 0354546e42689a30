/**
 * The events a token manager reports: what `onEvent` receives and what the
 * `tokenwise:<type>` diagnostics channels publish. Built from safe fields only: no event ever
 * holds a secret, a token or a message a server wrote.
 *
 * @module
 */

/**
 * Why a token request runs: `needed` (a caller waits and no usable token is cached), `forced`
 * (`getToken({ forceRefresh: true })`), `ahead` (the cached token is still served and renewed
 * in the background).
 *
 * @example
 * ```ts
 * const reason: TokenRequestReason = 'ahead';
 * ```
 */
export type TokenRequestReason = 'needed' | 'forced' | 'ahead';

/**
 * What an event tells of an error: its class `name` and, for a tokenwise error (or a Node
 * system error), its `code`. Never the message, which may quote a server or a store.
 *
 * @example
 * ```ts
 * const summary: ErrorSummary = { name: 'TokenEndpointError', code: 'ERR_TOKEN_ENDPOINT' };
 * ```
 */
export interface ErrorSummary {
  readonly name: string;
  readonly code?: string | undefined;
}

/**
 * The fields every event carries.
 *
 * @example
 * ```ts
 * const where = `${event.grant} at ${event.tokenUrl} (${event.cacheKey})`;
 * ```
 */
export interface TokenEventBase {
  /** When it happened, by the manager's clock (the `now` option), in epoch ms. */
  readonly time: number;
  /**
   * The manager's store key: `tokenwise:<grant>:<digest>` (a SHA-256 digest of the flow's
   * request, never a secret in clear), or the `cacheKey` option as given.
   */
  readonly cacheKey: string;
  /** The flow's grant: `client_credentials`, `authorization_code`, `refresh_token`, … */
  readonly grant: string;
  /** The token endpoint: origin and path, without the query, credentials or fragment. */
  readonly tokenUrl: string;
}

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
 * The `type` of every event, in the order of the catalogue.
 *
 * @example
 * ```ts
 * for (const type of tokenEventTypes) diagnosticsChannel.subscribe(`tokenwise:${type}`, log);
 * ```
 */
export const tokenEventTypes: readonly TokenEvent['type'][] = Object.freeze([
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
