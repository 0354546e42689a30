import {
  TokenEndpointError,
  TokenRequestError,
  TokenResponseError,
  TokenTimeoutError,
} from './errors.ts';
import {
  defaultExpiryPolicy,
  type ExpiryPolicy,
  freshnessAt,
  freshnessDeadlines,
  tokenFreshness,
} from './expiry.ts';
import type { Flow } from './flows/flow.ts';
import { abortable } from './internal/abortable.ts';
import { sleep, sleepDetached } from './internal/backoff.ts';
import { exchangeToken } from './internal/exchange.ts';
import { globalFetch } from './internal/global-fetch.ts';
import { type Closable, Lifetime } from './internal/lifetime.ts';
import { isLoopbackHost } from './internal/loopback.ts';
import { tokenRedactor } from './internal/redact.ts';
import type { RetryPolicy } from './internal/send-token-request.ts';
import { awaitedTimer } from './internal/timers.ts';
import { tokenAtHand, type WithTokenAtHand } from './internal/token-at-hand.ts';
import { type Release, TolerantStore } from './internal/tolerant-store.ts';
import {
  ManagerClosedError,
  ReauthorizationRequiredError,
  TokenChangeHandlerError,
} from './manager-errors.ts';
import { type Token, withRedactedInspect } from './token.ts';
import type { TokenHttpRequest } from './token-http.ts';
import { MemoryTokenStore, type TokenStore } from './token-store.ts';

const inspectSymbol: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

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
  /** Where tokens are cached. @default new MemoryTokenStore() */
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
}

/**
 * Options of {@link TokenManager.getToken}.
 *
 * @example
 * ```ts
 * await tokens.getToken({ signal: AbortSignal.timeout(2_000) });
 * ```
 */
export interface GetTokenOptions {
  /** Stops this caller's wait (the shared token request goes on for the others). */
  readonly signal?: AbortSignal | undefined;
  /** Ignore the cached token and obtain a new one. */
  readonly forceRefresh?: boolean | undefined;
}

/**
 * Obtains, caches and refreshes the tokens of one flow. Create one per flow and share it.
 *
 * @example
 * ```ts
 * const token = await tokens.getToken();
 * ```
 */
export interface TokenManager {
  /** A usable token: the cached one, or a new one (concurrent callers share one request). */
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
}

const defaultRetry: RetryPolicy = {
  limit: 2,
  baseDelayMs: 250,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
};
const maxFailureBackoffMs = 30_000;

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
  const config = validate(options);
  const { flow, now, random } = config;
  // Creating a manager starts no I/O: on Cloudflare Workers it is made in global scope, where an
  // AbortController, a timer or a digest are refused, and it then serves every request of the
  // isolate. Each renewal makes its own AbortSignal in the request that runs it (see `obtain`).
  const lifetime = new Lifetime();
  const store = new TolerantStore({
    store: config.store,
    timeoutMs: config.storeTimeoutMs,
    now,
    closed: lifetime,
    onError: config.onError,
  });
  /** A caller awaits the work: its waits keep the process alive. */
  const awaited: Work = { store, pause: sleep };
  /** Nobody awaits it (a background refresh): its timers do not keep the process alive. */
  const unawaited: Work = { store: store.detached, pause: sleepDetached };
  let cacheKeyPromise: Promise<string> | undefined;
  /** The store key, worked out on first use (a digest is not allowed in a Worker's global scope). */
  const key = (): Promise<string> => {
    cacheKeyPromise ??=
      options.cacheKey !== undefined ? Promise.resolve(options.cacheKey) : digestKey(flow);
    return cacheKeyPromise;
  };

  let current: Token | undefined;
  let currentDeadlines = freshnessDeadlines({ expiresAt: 0, issuedAt: 0 }, config.policy);
  let inflight: Renewal | undefined;
  let failure: { error: unknown; until: number; count: number } | undefined;
  let initialGrantUsed = false;
  let refreshTokenCleared = false;
  /** The error that cleared the refresh token, thrown again while re-authorization is needed. */
  let reauthorization: ReauthorizationRequiredError | undefined;
  /**
   * Counts changes of `current`. Store operations run side by side (a slow or hung store must not
   * queue them), so a decision made on a store read first checks that `current` did not change
   * while the read was out: if it did, the read may predate a write of ours (an `invalidate`
   * racing a renewal could otherwise put back an old token), and it is not acted upon. Each write
   * is sent in the same turn as the change of `current` it records, so our writes reach the store
   * in the order we decided them.
   */
  let generation = 0;

  const adopt = (token: Token): Token => {
    if (token !== current) {
      current = withRedactedInspect(token);
      // Worked out once per token: every request compares the clock with these.
      currentDeadlines = freshnessDeadlines(current, config.policy, random());
      generation++;
    }
    return current;
  };

  const forget = (): void => {
    current = undefined;
    generation++;
  };

  /** The stored token, unless `current` changed while the read was out (see `generation`). */
  const readStore = async (work: Work, cacheKey: string): Promise<Token | undefined> => {
    const seen = generation;
    const stored = await work.store.get(cacheKey);
    return generation === seen ? stored : undefined;
  };

  /** The cached token when it can be handed out now; a stale one starts a background refresh. */
  const atHand = (): Token | undefined => {
    if (current === undefined || lifetime.closed) return undefined;
    const state = freshnessAt(now(), currentDeadlines);
    if (state === 'expired') return undefined;
    if (state === 'stale') refreshInBackground();
    return current;
  };

  const assertOpen = (): void => lifetime.throwIfClosed();

  /**
   * One token request at a time: every caller shares `inflight`. The renewal's signal, timers and
   * fetch belong to the caller that starts it (on Workers, its request); the others only await
   * the shared promise, which Workers allow across requests, and never touch those objects.
   *
   * A renewal still unsettled past its deadline (see {@link Renewal}) was abandoned: Workers
   * cancel the I/O of a request that has answered, so a renewal started by a request that did not
   * wait for it (ahead of expiry) or stopped waiting never settles. The next caller starts anew.
   */
  const obtain = (force: boolean, background = false): Renewal => {
    if (inflight && elapsed() <= inflight.deadline) return inflight;
    if (failure && now() < failure.until) {
      return { promise: Promise.reject(failure.error), deadline: Number.POSITIVE_INFINITY };
    }
    const started = current;
    const scope = lifetime.scope();
    const work = background ? unawaited : awaited;
    const deadline = elapsed() + renewalBudgetMs(config, background);
    const promise = renew(force, started, work, background, scope.signal).then(
      (token) => {
        scope.release();
        if (inflight === renewal) failure = undefined;
        return token;
      },
      (error: unknown) => {
        scope.release();
        if (!lifetime.closed && inflight === renewal) {
          const count = (failure?.count ?? 0) + 1;
          const retryAfter = error instanceof TokenEndpointError ? error.retryAfterMs : undefined;
          const backoff = config.failureBackoffMs * 2 ** (count - 1);
          const window = Math.min(Math.max(retryAfter ?? 0, backoff), maxFailureBackoffMs);
          failure = { error, until: now() + window, count };
        }
        throw error;
      },
    );
    const renewal: Renewal = { promise, deadline };
    const settled = (): void => {
      if (inflight === renewal) inflight = undefined;
    };
    promise.then(settled, settled);
    inflight = renewal;
    // On Workers, `waitUntil` keeps the renewal going after the request that started it answers.
    config.waitUntil?.(promise.catch(() => {}));
    return renewal;
  };

  /** Whether a stored token saves us a request: fresh, or usable and newer than what we had. */
  const worthUsing = (stored: Token | undefined, started: Token | undefined): stored is Token => {
    if (stored === undefined) return false;
    const state = tokenFreshness(stored, now(), config.policy);
    return state === 'fresh' || (state === 'stale' && stored.accessToken !== started?.accessToken);
  };

  const renew = async (
    force: boolean,
    started: Token | undefined,
    work: Work,
    background: boolean,
    signal: AbortSignal,
  ): Promise<Token> => {
    const cacheKey = await key();
    let stored: Token | undefined;
    if (!force) {
      stored = await readStore(work, cacheKey);
      if (worthUsing(stored, started)) return adopt(stored);
    }
    const lock = await acquireLock(work, cacheKey, started, force, signal);
    if ('token' in lock) return adopt(lock.token);
    try {
      if (lock.release || force) {
        // Another process may have renewed while we waited for the lock, and the store has the
        // newest refresh token (rotated by another process).
        stored = await readStore(work, cacheKey);
        if (!force && worthUsing(stored, started)) return adopt(stored);
      }
      const basis: Basis = { token: stored ?? current, generation };
      const base = basis.token;
      const token = await fetchToken(work, cacheKey, basis, background, signal);
      if (tokenFreshness(token, now(), config.policy) === 'expired') {
        // The round trip took (nearly) the whole lifetime: never hand out a token this close to
        // its expiry. With a lifetime this short, the server or the network is the problem.
        throw new TokenResponseError(
          200,
          'The token endpoint answered with a token that expires within the expiry leeway on arrival (a lifetime shorter than the round trip?)',
        );
      }
      // The handler runs before the token reaches the store or `current`: nobody (an invalidate
      // adopting the stored token, another manager on the store) can use it before it is persisted.
      // It is not waited for past the manager's close: a handler that never settles holds no one.
      let handlerError: unknown;
      if (config.onTokenChange) {
        try {
          await abortable(config.onTokenChange(token), signal);
        } catch (error) {
          handlerError = error;
        }
      }
      lifetime.throwIfClosed();
      adopt(token);
      await work.store.set(cacheKey, token, ttlFor(token));
      if (handlerError !== undefined) {
        // The handler's error may quote the tokens (a database's unique-key violation): it passes
        // the one redactor, built from the new token and the one the request started from.
        throw tokenRedactor(token)
          .including([base?.accessToken, base?.refreshToken])
          .error(new TokenChangeHandlerError(handlerError));
      }
      return token;
    } finally {
      // Tolerant: a failed release is reported, never thrown.
      await lock.release?.().catch(() => {});
    }
  };

  /**
   * Takes the store's lock, or waits for the lock holder's result. A lock the store cannot give
   * (down, failing, hung) is no lock: we fetch.
   */
  const acquireLock = async (
    work: Work,
    cacheKey: string,
    started: Token | undefined,
    force: boolean,
    signal: AbortSignal,
  ): Promise<{ release?: Release } | { token: Token }> => {
    if (!work.store.locks) return {};
    // A lock that never frees (a store bug) must not stall us: after two lock lifetimes, fetch anyway.
    const deadline = now() + 2 * config.lockTtlMs;
    for (let attempt = 0; ; attempt++) {
      const release = await work.store.lock(cacheKey, config.lockTtlMs);
      if (release) return { release };
      await work.pause(Math.min(25 * 2 ** attempt, 500) * (0.5 + random() / 2), signal);
      const stored = await work.store.get(cacheKey);
      const newer =
        stored !== undefined &&
        stored.accessToken !== started?.accessToken &&
        (!force || (stored.issuedAt ?? 0) > (started?.issuedAt ?? Number.NEGATIVE_INFINITY));
      if (newer && tokenFreshness(stored, now(), config.policy) !== 'expired') {
        return { token: stored };
      }
      // A crashed holder's lock expires after lockTtlMs; the next lock() above then takes over.
      if (now() > deadline) return {};
    }
  };

  const fetchToken = async (
    work: Work,
    cacheKey: string,
    basis: Basis,
    background: boolean,
    signal: AbortSignal,
  ): Promise<Token> => {
    const base = basis.token;
    const refresh = refreshTokenCleared
      ? base?.refreshToken
      : (base?.refreshToken ?? flow.initialRefreshToken?.());
    const refreshUsable =
      refresh !== undefined &&
      !(base?.refreshTokenExpiresAt !== undefined && base.refreshTokenExpiresAt <= now());
    if (refreshUsable && flow.refreshGrant) {
      try {
        return await exchange(flow.refreshGrant(refresh), background, signal, base, refresh);
      } catch (error) {
        if (!(error instanceof TokenEndpointError && error.error === 'invalid_grant')) throw error;
        const rotated = await clearRefreshToken(work, cacheKey, basis, refresh);
        if (rotated) return rotated;
        if (!flow.initialGrant?.reusable) {
          reauthorization = new ReauthorizationRequiredError(error);
          throw reauthorization;
        }
      }
    }
    const initial = flow.initialGrant;
    if (initial && (initial.reusable || !initialGrantUsed)) {
      try {
        const token = await exchange(initial.request(), background, signal);
        initialGrantUsed = true;
        return token;
      } catch (error) {
        // A code is spent once the server has answered, whatever the answer; not when it never arrived.
        if (!(error instanceof TokenRequestError) && !lifetime.closed) initialGrantUsed = true;
        throw error;
      }
    }
    throw reauthorization ?? new ReauthorizationRequiredError();
  };

  /**
   * The newest token known after a token request based on `basis`: the store's, else the basis.
   * If `current` changed since the basis was taken (while the request or the read was out), it
   * holds a later decision than both, such as an `invalidate` marking the token expired, and it
   * wins: a read that predates our own write, or a basis that predates it, is never acted upon.
   */
  const latestSince = async (
    work: Work,
    cacheKey: string,
    basis: Basis,
  ): Promise<Token | undefined> => {
    const stored = await work.store.get(cacheKey);
    if (generation !== basis.generation) return current;
    return stored ?? basis.token;
  };

  /**
   * After `invalid_grant`: if another process rotated the refresh token meanwhile, use its token;
   * else forget the refresh token everywhere, but keep serving the access token while it is still
   * valid (a failed background refresh must not cut callers off early); an invalidated one is
   * expired, so it is dropped.
   */
  const clearRefreshToken = async (
    work: Work,
    cacheKey: string,
    basis: Basis,
    rejected: string,
  ): Promise<Token | undefined> => {
    const latest = await latestSince(work, cacheKey, basis);
    if (latest?.refreshToken !== undefined && latest.refreshToken !== rejected) {
      if (tokenFreshness(latest, now(), config.policy) !== 'expired') return adopt(latest);
      return undefined; // a newer refresh token exists: the next attempt uses it
    }
    refreshTokenCleared = true;
    const { refreshToken: _token, refreshTokenExpiresAt: _expiry, ...rest } = latest ?? {};
    const kept =
      latest === undefined ? undefined : withRedactedInspect({ ...rest, raw: latest.raw } as Token);
    if (kept !== undefined && tokenFreshness(kept, now(), config.policy) !== 'expired') {
      adopt(kept);
      await work.store.set(cacheKey, kept, ttlFor(kept));
    } else {
      forget();
      await work.store.delete(cacheKey);
    }
    return undefined;
  };

  const exchange = (
    request: TokenHttpRequest,
    background: boolean,
    signal: AbortSignal,
    previous?: Token,
    previousRefreshToken?: string,
  ): Promise<Token> =>
    exchangeToken(
      request,
      {
        flow,
        fetch: config.fetch,
        timeoutMs: config.timeoutMs,
        // A background refresh makes one attempt: nobody waits on it, and sleeping between
        // attempts would keep the process alive. The failure window paces the next attempt.
        retry: background ? { ...config.retry, limit: 0 } : config.retry,
        now,
        random,
        signal,
        defaultLifetimeMs: config.defaultLifetimeMs,
      },
      previousRefreshToken === undefined
        ? undefined
        : {
            refreshToken: previousRefreshToken,
            refreshTokenExpiresAt:
              previous?.refreshToken === previousRefreshToken
                ? previous.refreshTokenExpiresAt
                : undefined,
          },
    );

  const ttlFor = (token: Token): number | undefined => {
    const until = token.refreshToken !== undefined ? token.refreshTokenExpiresAt : token.expiresAt;
    return until === undefined ? undefined : Math.max(1, until - now());
  };

  const refreshInBackground = (): void => {
    if (
      (inflight && elapsed() <= inflight.deadline) ||
      (failure && now() < failure.until) ||
      lifetime.closed
    )
      return;
    obtain(false, true).promise.catch((error: unknown) => {
      if (!lifetime.closed) config.onError?.(error);
    });
  };

  const close = async (): Promise<void> => {
    if (!lifetime.closed) lifetime.close(new ManagerClosedError());
    await inflight?.promise.catch(() => {});
  };

  const manager: TokenManager & WithTokenAtHand & { [inspectSymbol](): string } = {
    async getToken(getOptions: GetTokenOptions = {}) {
      assertOpen();
      getOptions.signal?.throwIfAborted();
      const cached = getOptions.forceRefresh ? undefined : atHand();
      if (cached) return cached;
      const force = getOptions.forceRefresh === true;
      for (;;) {
        const renewal = obtain(force);
        const token = await waitFor(renewal, getOptions.signal, lifetime);
        if (token !== abandoned) return token;
        config.onError?.(
          new TokenTimeoutError(
            'A token request did not settle within its deadline and was abandoned (on Cloudflare Workers: pass `waitUntil`)',
          ),
        );
      }
    },

    async invalidate(accessToken) {
      assertOpen();
      const cacheKey = await key();
      // Side by side with any renewal: a read that raced a change of `current` is not trusted,
      // and the decision below is then made on `current` alone.
      const stored = await readStore(awaited, cacheKey);
      const mine = current?.accessToken === accessToken ? current : undefined;
      if (stored !== undefined && stored.accessToken !== accessToken) {
        // The store already holds a newer token: take it instead of dropping anything.
        if (mine) adopt(stored);
        return false;
      }
      const token = stored ?? mine;
      if (token === undefined) return false;
      const revoked: Token = { ...token, expiresAt: now() };
      if (mine) adopt(revoked);
      if (token.refreshToken !== undefined) await store.set(cacheKey, revoked, ttlFor(revoked));
      else await store.delete(cacheKey);
      return true;
    },

    close,

    [asyncDispose]: close,

    cacheKey: key,

    [tokenAtHand]: atHand,

    [inspectSymbol]() {
      return `TokenManager { flow: '${flow.kind}', tokenUrl: '${flow.tokenUrl}' }`;
    },
  };
  return manager;
}

/** The token a token request started from, and the value of `generation` when it was taken. */
interface Basis {
  readonly token: Token | undefined;
  readonly generation: number;
}

/** How a renewal reaches the store and waits: for a caller, or for nobody (in the background). */
interface Work {
  readonly store: TolerantStore;
  readonly pause: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * `Symbol.asyncDispose`, or where a runtime lacks it the registered symbol that transpiled
 * `await using` looks up (TypeScript's and core-js's helpers).
 */
const asyncDispose: typeof Symbol.asyncDispose =
  Symbol.asyncDispose ?? (Symbol.for('Symbol.asyncDispose') as typeof Symbol.asyncDispose);

/**
 * One token request shared by every caller, and when it counts as abandoned: the longest it can
 * take (every attempt timing out, the backoffs, the store operations, the lock wait) and a second
 * more. Past it the work cannot still be running (its own timeouts would have ended it) unless the
 * runtime dropped it, as Workers do with the I/O of a request that has answered.
 */
interface Renewal {
  readonly promise: Promise<Token>;
  /** On the {@link elapsed} clock: real time, as the timeouts it derives from. */
  readonly deadline: number;
}

/** Monotonic ms, for deadlines of real I/O (the manager's `now` is the token clock). */
const elapsed = (): number => performance.now();

/** What a waiter gets when the renewal it waits for passes its deadline unsettled. */
const abandoned: unique symbol = Symbol('abandoned');

function renewalBudgetMs(config: Config, background: boolean): number {
  const exchangeMs = background
    ? config.timeoutMs
    : slowestExchangeMs(config.timeoutMs, config.retry);
  // Store reads and writes (each bounded by storeTimeoutMs), and the wait for another's lock.
  const storeMs = 6 * config.storeTimeoutMs + (config.store.lock ? 2 * config.lockTtlMs : 0);
  return exchangeMs + storeMs + 1_000;
}

/**
 * Waits for the shared renewal, or stops waiting when this caller's signal aborts (with its
 * reason) or the manager closes (with `ERR_MANAGER_CLOSED`), whatever the shared work is stuck
 * on. Resolves to {@link abandoned} when the renewal passes its deadline unsettled. The deadline
 * timer is this caller's own (on Workers, its request's), never shared.
 */
function waitFor(
  renewal: Renewal,
  signal: AbortSignal | undefined,
  closed: Closable,
): Promise<Token | typeof abandoned> {
  const { promise, deadline } = renewal;
  return new Promise<Token | typeof abandoned>((resolve, reject) => {
    const onCallerAbort = (): void => stop(signal?.reason);
    let detachClose = (): void => {};
    const timer = Number.isFinite(deadline)
      ? awaitedTimer(
          () => {
            detach();
            resolve(abandoned);
          },
          Math.max(0, deadline - elapsed()),
        )
      : undefined;
    const detach = (): void => {
      signal?.removeEventListener('abort', onCallerAbort);
      detachClose();
      clearTimeout(timer);
    };
    const stop = (reason: unknown): void => {
      detach();
      reject(reason);
    };
    signal?.addEventListener('abort', onCallerAbort, { once: true });
    detachClose = closed.onClose(stop);
    promise.then(
      (value) => {
        detach();
        resolve(value);
      },
      (error: unknown) => {
        detach();
        reject(error);
      },
    );
  });
}

async function digestKey(flow: Flow): Promise<string> {
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(flow.cacheKeyMaterial()),
  );
  const hex = Array.from(new Uint8Array(digest).subarray(0, 16), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
  return `tokenwise:${flow.kind}:${hex}`;
}

interface Config {
  flow: Flow;
  store: TokenStore;
  now: () => number;
  random: () => number;
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  retry: RetryPolicy;
  policy: ExpiryPolicy;
  defaultLifetimeMs: number | undefined;
  failureBackoffMs: number;
  lockTtlMs: number;
  storeTimeoutMs: number;
  onTokenChange: TokenManagerOptions['onTokenChange'];
  onError: TokenManagerOptions['onError'];
  waitUntil: TokenManagerOptions['waitUntil'];
}

function validate(options: TokenManagerOptions): Config {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('createTokenManager: options must be an object');
  const { flow } = options;
  if (
    typeof flow !== 'object' ||
    flow === null ||
    typeof flow.tokenUrl !== 'string' ||
    typeof flow.parse !== 'function'
  ) {
    throw new TypeError('createTokenManager: flow must be a flow such as clientCredentials({ … })');
  }
  if (!URL.canParse(flow.tokenUrl)) {
    throw new TypeError('createTokenManager: flow.tokenUrl is not a valid URL');
  }
  const url = new URL(flow.tokenUrl);
  if (
    url.protocol !== 'https:' &&
    !isLoopbackHost(url.hostname) &&
    options.allowInsecureHttp !== true
  ) {
    throw new TypeError(
      `createTokenManager: the token URL must use https: (got ${url.protocol} for ${url.host}); set allowInsecureHttp: true to allow it`,
    );
  }
  const fn = <T>(name: string, value: T | undefined, fallback: T): T => {
    if (value !== undefined && typeof value !== 'function')
      throw new TypeError(`createTokenManager: ${name} must be a function`);
    return value ?? fallback;
  };
  // Without a `fetch` option, the global one is looked up at each token request, not now.
  const fetchImpl = fn('fetch', options.fetch, globalFetch);
  const store = options.store ?? new MemoryTokenStore({ now: options.now ?? Date.now });
  for (const method of ['get', 'set', 'delete'] as const) {
    if (typeof store[method] !== 'function')
      throw new TypeError(`createTokenManager: store must implement ${method}()`);
  }
  if (
    options.cacheKey !== undefined &&
    (typeof options.cacheKey !== 'string' || options.cacheKey === '')
  ) {
    throw new TypeError('createTokenManager: cacheKey must be a non-empty string');
  }
  const timeoutMs = bounded('timeoutMs', options.timeoutMs, 10_000, 1, 300_000);
  const retry = retryPolicy(options.retry);
  return {
    flow,
    store,
    now: fn('now', options.now, Date.now),
    random: fn('random', options.random, Math.random),
    fetch: fetchImpl,
    timeoutMs,
    retry,
    policy: {
      leewayMs: bounded('leewayMs', options.leewayMs, defaultExpiryPolicy.leewayMs, 0, 3_600_000),
      refreshAheadMs: bounded(
        'refreshAheadMs',
        options.refreshAheadMs,
        defaultExpiryPolicy.refreshAheadMs,
        0,
        86_400_000,
      ),
    },
    defaultLifetimeMs:
      options.defaultLifetimeMs === undefined
        ? undefined
        : bounded('defaultLifetimeMs', options.defaultLifetimeMs, 0, 1, Number.MAX_SAFE_INTEGER),
    failureBackoffMs: bounded(
      'failureBackoffMs',
      options.failureBackoffMs,
      1_000,
      0,
      maxFailureBackoffMs,
    ),
    lockTtlMs: bounded(
      'lockTtlMs',
      options.lockTtlMs,
      slowestExchangeMs(timeoutMs, retry) + 5_000,
      100,
      3_600_000,
    ),
    storeTimeoutMs: bounded('storeTimeoutMs', options.storeTimeoutMs, 1_000, 1, 60_000),
    onTokenChange: fn('onTokenChange', options.onTokenChange, undefined),
    onError: fn('onError', options.onError, undefined),
    waitUntil: fn('waitUntil', options.waitUntil, undefined),
  };
}

/**
 * How long one token request takes at worst: every attempt timing out, with the longest backoff
 * (waits a server asks for with `Retry-After` can be longer: raise `lockTtlMs` for such servers).
 */
function slowestExchangeMs(timeoutMs: number, retry: RetryPolicy): number {
  return timeoutMs * (retry.limit + 1) + retry.maxDelayMs * retry.limit;
}

function retryPolicy(retry: TokenManagerOptions['retry']): RetryPolicy {
  if (retry === undefined) return defaultRetry;
  if (retry === false) return { ...defaultRetry, limit: 0 };
  if (typeof retry === 'number')
    return { ...defaultRetry, limit: bounded('retry', retry, 0, 0, 10, true) };
  if (typeof retry !== 'object' || retry === null)
    throw new TypeError('createTokenManager: retry must be a number, false or an object');
  return {
    limit: bounded('retry.limit', retry.limit, defaultRetry.limit, 0, 10, true),
    baseDelayMs: bounded(
      'retry.baseDelayMs',
      retry.baseDelayMs,
      defaultRetry.baseDelayMs,
      0,
      60_000,
    ),
    maxDelayMs: bounded('retry.maxDelayMs', retry.maxDelayMs, defaultRetry.maxDelayMs, 0, 300_000),
    maxRetryAfterMs: bounded(
      'retry.maxRetryAfterMs',
      retry.maxRetryAfterMs,
      defaultRetry.maxRetryAfterMs,
      0,
      3_600_000,
    ),
  };
}

function bounded(
  name: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
  integer = false,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') {
    throw new TypeError(`createTokenManager: ${name} must be a number, got ${typeof value}`);
  }
  if (Number.isNaN(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new RangeError(
      `createTokenManager: ${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${String(value)}`,
    );
  }
  return value;
}
