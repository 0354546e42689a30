/**
 * What every token event shares: its base fields, error summaries, why a token request runs.
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
