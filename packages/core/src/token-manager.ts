import type { DpopKeyPair } from './dpop/dpop-key-pair.ts';
import type { TokenEvent } from './events/token-event.ts';
import type { Flow } from './flows/flow.ts';
import type { RetryPolicy } from './internal/send-token-request.ts';
import { CachingTokenManager } from './manager/caching-token-manager.ts';
import { readManagerOptions } from './manager/settings.ts';
import type { Token } from './token.ts';
import type { TokenParameters } from './token-parameters.ts';
import type { TokenStore } from './token-store.ts';

export type { DpopKeyPair } from './dpop/dpop-key-pair.ts';

/**
 * Options of {@link createTokenManager}. Only `flow` is required.
 *
 * @example
 * ```ts
 * const options: TokenManagerOptions = { flow: clientCredentials({ tokenUrl, clientId, clientSecret }), timeoutMs: 5_000 };
 * ```
 */
export interface TokenManagerOptions {
  /** How tokens are obtained: {@link clientCredentials}, {@link authorizationCode}, {@link refreshToken}, {@link tokenRequest}. */
  readonly flow: Flow;
  /**
   * Where tokens are cached, to share them between managers and processes.
   * @default none: the manager's own memory (a `MemoryTokenStore` shared by several managers lets them share tokens)
   */
  readonly store?: TokenStore | undefined;
  /** The store key. @default `tokenwise:<grant>:<SHA-256 of URL, client id, scope, audience>` (never a secret in clear) */
  readonly cacheKey?: string | undefined;
  /**
   * Called with every new token, and awaited before the token is used: persist a rotated refresh
   * token here so that a crash cannot lose it. If it throws, the token stays cached and the callers
   * waiting for it get a `TokenwiseError` with code `ERR_TOKEN_CHANGE_HANDLER`, whose `cause` is
   * the handler's error with the tokens redacted. `close()` does not wait for a handler under way.
   */
  readonly onTokenChange?: ((token: Token) => void | Promise<void>) | undefined;
  /**
   * Told about failures nobody awaits: a background refresh, and store failures (the store is a
   * cache, so a failing store never fails a request). Nothing is logged by default.
   */
  readonly onError?: ((error: unknown) => void) | undefined;
  /**
   * Told about what the manager does, as typed events (a union on `type`): token requests
   * (`token.requested`, `token.obtained`, `token.failed`, `token.backoff`), the cache
   * (`token.cache_hit`, `token.cache_miss`, `token.refresh_ahead`, `token.invalidated`,
   * `token.refresh_token_rotated`), adapters' re-authorizations (`reauthorization`) and store
   * failures (`store.error`). No event holds a secret or a token. Called synchronously: keep it
   * quick. If it throws, token work goes on and its error goes to `onError`, or without
   * `onError` is thrown again in a microtask (an uncaught exception, as a throwing diagnostics
   * channel subscriber's is). The same events go to the `tokenwise:<type>` diagnostics channels.
   *
   * @default none
   * @see docs/observability.md for the event catalogue
   * @example
   * ```ts
   * createTokenManager({ flow, onEvent: (event) => logger.debug(event, event.type) });
   * ```
   */
  readonly onEvent?: ((event: TokenEvent) => void) | undefined;
  /** The fetch for token requests. @default the global `fetch`, looked up at each token request */
  readonly fetch?: typeof globalThis.fetch | undefined;
  /** The clock, in epoch ms. @default Date.now */
  readonly now?: (() => number) | undefined;
  /** Random source in [0, 1) for jitter. @default Math.random */
  readonly random?: (() => number) | undefined;
  /** Timeout of one attempt at the token endpoint, in ms (1 to 300 000). @default 10_000 */
  readonly timeoutMs?: number | undefined;
  /**
   * Retries of the token endpoint on network errors, timeouts, 5xx and 429: a retry count, `false`
   * for none, or a policy. @default { limit: 2, baseDelayMs: 250, maxDelayMs: 5_000, maxRetryAfterMs: 30_000 }
   */
  readonly retry?: number | false | Partial<RetryPolicy> | undefined;
  /** Allow `http:` token URLs on non-loopback hosts. @default false */
  readonly allowInsecureHttp?: boolean | undefined;
  /** See {@link ExpiryPolicy.leewayMs} (0 to 3 600 000). @default 30_000 */
  readonly leewayMs?: number | undefined;
  /** See {@link ExpiryPolicy.refreshAheadMs} (0 to 86 400 000). @default 300_000 */
  readonly refreshAheadMs?: number | undefined;
  /** Lifetime assumed when the answer has no expiry and the token is not a JWT. @default unknown: reuse until a 401 */
  readonly defaultLifetimeMs?: number | undefined;
  /** After a failed token request, callers get that error at once for this long (doubling per failure, max 30 s). @default 1_000 */
  readonly failureBackoffMs?: number | undefined;
  /**
   * How long a store lock is held at most while fetching; waiters give up waiting after it. It
   * must outlast the slowest token request, retries included.
   * @default timeoutMs × (retry.limit + 1) + retry.maxDelayMs × retry.limit + 5 s (45 s with the defaults)
   */
  readonly lockTtlMs?: number | undefined;
  /**
   * How long one store operation (`get`, `set`, `delete`, `lock`, a lock's release) may take, in
   * ms (1 to 60 000). Past it, or when it fails, the store counts as down: the manager carries on
   * from memory (one token request for all concurrent callers still), reports to `onError`, and
   * tries the store again after a back-off (1 s, doubling to 30 s). It bounds what a hung store
   * (Redis unreachable behind a client that queues commands) can add to a caller's wait: about
   * one timeout per outage, not one per operation. The default is far above a healthy Redis
   * round trip (about 1 ms on a LAN) and far below the token request it protects.
   * @default 1_000
   */
  readonly storeTimeoutMs?: number | undefined;
  /**
   * Keeps a token request going after the request that started it has answered. On Cloudflare
   * Workers pass `waitUntil` from `cloudflare:workers`: a renewal ahead of expiry is started by a
   * request that answers at once with the cached token, and Workers cancel the I/O a request
   * leaves behind, so without it such renewals rarely complete and callers wait for a token
   * request at expiry instead (a renewal that never settles is abandoned after its deadline:
   * `timeoutMs` plus store time in the background). Given every promise of a token request.
   *
   * @default none
   * @example
   * ```ts
   * import { waitUntil } from 'cloudflare:workers';
   * const tokens = createTokenManager({ flow, waitUntil }); // in global scope
   * ```
   */
  readonly waitUntil?: ((promise: Promise<unknown>) => void) | undefined;
  /**
   * Sender-constrained tokens (DPoP, RFC 9449). `true`: a non-extractable ES256 (P-256) key pair,
   * made with WebCrypto on first use and kept for the manager's lifetime; `{ keyPair }`: your key
   * pair, whose algorithm follows the key (P-256 → ES256, RSA-PSS → PS256, RSASSA-PKCS1-v1_5 →
   * RS256, Ed25519 → EdDSA). Every token request attempt carries a `DPoP` proof; a token endpoint's
   * `use_dpop_nonce` is answered once with its `DPoP-Nonce`, and nonces are remembered per origin.
   * Tokens come back with `tokenType: 'DPoP'` (or `'Bearer'` when the server chose not to bind
   * them), and the adapters send each request with `Authorization: DPoP <token>` and a fresh proof.
   * The store key ends with the key's JWK thumbprint: only processes that share the key share
   * tokens. The key never appears in errors, events or `util.inspect`.
   *
   * @default none: Bearer tokens only (a `DPoP` token is a `TokenResponseError`)
   * @see https://www.rfc-editor.org/rfc/rfc9449
   * @example
   * ```ts
   * const tokens = createTokenManager({ flow, dpop: true });
   * const keyPair = await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
   * const sharedKeyTokens = createTokenManager({ flow, dpop: { keyPair } });
   * ```
   */
  readonly dpop?: true | { readonly keyPair: DpopKeyPair } | undefined;
}

/**
 * Options of {@link TokenManager.getToken}.
 *
 * @example
 * ```ts
 * await tokens.getToken({ signal: AbortSignal.timeout(2_000) });
 * ```
 */
export interface GetTokenOptions extends TokenParameters {
  /** Stops this caller's wait (the shared token request goes on for the others). */
  readonly signal?: AbortSignal | undefined;
  /** Ignore the cached token and obtain a new one. */
  readonly forceRefresh?: boolean | undefined;
}

/**
 * Obtains, caches and refreshes the tokens of one flow. Create one per flow and share it.
 *
 * The manager `createTokenManager` returns is a class instance: its methods live on its
 * prototype. Call them on the manager (`tokens.getToken()`); to hand one to a callback, or to
 * wrap a manager, delegate (`() => tokens.getToken()`), do not destructure or spread it.
 *
 * @example
 * ```ts
 * const token = await tokens.getToken();
 * const getToken = () => tokens.getToken(); // to pass it on
 * ```
 */
export interface TokenManager {
  /**
   * A usable token: the cached one, or a new one (concurrent callers share one request). With
   * `scope` or `resource`, the token of those parameters (see {@link TokenManager.withParameters}).
   */
  getToken(options?: GetTokenOptions): Promise<Token>;
  /**
   * Drops `accessToken` if it is still the cached token (after a 401); a newer token is kept.
   * Resolves to whether it dropped it. The refresh token is kept.
   */
  invalidate(accessToken: string): Promise<boolean>;
  /**
   * Closes the manager: aborts the token request in flight, a background refresh, a wait for
   * another process's lock and any store operation under way; callers still waiting, and every
   * later `getToken` or `invalidate`, reject with a `TokenwiseError` whose code is
   * `ERR_MANAGER_CLOSED`. Resolves once the work in flight has stopped; code of yours that
   * ignores the abort (a `fetch` that drops its signal, an `onTokenChange` handler or a store
   * operation that never settles) is left to finish on its own, never waited for. Calling it
   * again does nothing.
   */
  close(): Promise<void>;
  /**
   * The same as {@link TokenManager.close}, for `await using tokens = createTokenManager(…)`.
   *
   * @example
   * ```ts
   * await using tokens = createTokenManager({ flow });
   * await fetch(url, { headers: { Authorization: `Bearer ${(await tokens.getToken()).accessToken}` } });
   * // closed here
   * ```
   */
  [Symbol.asyncDispose](): Promise<void>;
  /** The store key this manager uses. */
  cacheKey(): Promise<string>;
  /**
   * This manager asking for other token parameters (`scope`, `resource`): a `TokenManager` whose
   * tokens have their own cache entry, single flight and refresh ahead — what a `tokens` function
   * of an adapter returns for an API that needs another audience. The same object for the same
   * parameters (in any order); this manager itself when none is given. A manager keeps at most
   * 100 parameter sets (the least recently used beyond is closed; asked for again, made anew),
   * and closing it closes them. Only flows that take parameters (`clientCredentials`) accept
   * them: others throw a `TypeError`, as do a resource that is not an absolute URI.
   *
   * @see https://www.rfc-editor.org/rfc/rfc8707
   * @example
   * ```ts
   * const billing = tokens.withParameters({ resource: 'https://billing.example.com', scope: 'invoices:read' });
   * await billing.getToken(); // the same as tokens.getToken({ resource: …, scope: … })
   * ```
   */
  withParameters(parameters: TokenParameters): TokenManager;
}

/**
 * Creates the one stateful object of tokenwise: it caches tokens in a {@link TokenStore}, renews
 * them ahead of expiry in the background, coalesces concurrent work into one token request per
 * cache key, and retries the token endpoint.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5
 * @example
 * ```ts
 * import { clientCredentials, createTokenManager } from '@tokenwise/core';
 *
 * const tokens = createTokenManager({
 *   flow: clientCredentials({
 *     tokenUrl: 'https://auth.example.com/connect/token',
 *     clientId: process.env.CLIENT_ID!,
 *     clientSecret: process.env.CLIENT_SECRET!,
 *     scope: 'idp_api',
 *   }),
 * });
 * const { accessToken } = await tokens.getToken();
 * ```
 */
export function createTokenManager(options: TokenManagerOptions): TokenManager {
  return new CachingTokenManager(readManagerOptions(options));
}
