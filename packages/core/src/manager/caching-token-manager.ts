/**
 * The token manager: serves the cached token, and decides when to renew it.
 *
 * @module
 */
import { bindDpopSession } from '../dpop/dpop-registry.ts';
import { TokenTimeoutError } from '../errors.ts';
import { Lifetime } from '../internal/lifetime.ts';
import { ManagerClosedError } from '../manager-errors.ts';
import type { Token } from '../token.ts';
import { hasParameters, type TokenParameters } from '../token-parameters.ts';
import { storeKey } from './cache-key.ts';
import { type FailureWindow, failureWindowAfter, isFailureWindowOpen } from './failure-window.ts';
import type { GrantSequence } from './grant-sequence.ts';
import { invalidateCached } from './invalidate-cached.ts';
import { eventsFor } from './lazy-events.ts';
import { withRenewalCode } from './lazy-renewal.ts';
import type { ManagerParts } from './manager-parts.ts';
import { ParameterViews } from './parameter-views.ts';
import { type RenewalIntent, renewalBudgetMs } from './renewal-intent.ts';
import type { ManagerSettings } from './settings.ts';
import {
  abandoned,
  elapsed,
  isUnderway,
  type SharedRenewal,
  waitForRenewal,
} from './single-flight.ts';
import { type StoreEntry, storeEntryOf } from './store-entry.ts';
import { defineSymbolMethods } from './symbol-methods.ts';
import { TokenCache } from './token-cache.ts';

/** `GetTokenOptions` of `token-manager.ts` (not imported from there: it imports this file). */
type CallerOptions = TokenParameters & {
  readonly signal?: AbortSignal | undefined;
  readonly forceRefresh?: boolean | undefined;
};

const abandonedRenewal =
  'A token request did not settle within its deadline and was abandoned (on Cloudflare Workers: pass `waitUntil`)';

/**
 * The `TokenManager` that `createTokenManager` returns; its fields are its state. Creating one
 * starts no I/O: on Cloudflare Workers it is made in global scope, where an AbortController, a
 * timer or a digest are refused, and then serves every request of the isolate.
 *
 * @example
 * ```ts
 * const tokens = new CachingTokenManager(readManagerOptions({ flow }));
 * const { accessToken } = await tokens.getToken();
 * ```
 */
export class CachingTokenManager {
  readonly #settings: ManagerSettings;
  readonly #lifetime = new Lifetime();
  readonly #cache: TokenCache;
  readonly #entry: StoreEntry;
  /** Which grant the next renewal sends (each renewal is a `Renewer` of its own); from the first. */
  #grants: GrantSequence | undefined;
  /** The renewal under way, shared by every caller (see {@link isUnderway}). */
  #renewal: SharedRenewal | undefined;
  /** After a failed renewal, its error is handed out at once until the window closes. */
  #failure: FailureWindow | undefined;
  /** The managers of the token parameter sets asked for (see `withParameters`). */
  #views: ParameterViews<CachingTokenManager> | undefined;

  constructor(settings: ManagerSettings) {
    CachingTokenManager.#defineSymbolMethods();
    this.#settings = settings;
    this.#cache = new TokenCache(settings);
    this.#entry = storeEntryOf(settings, this.#lifetime);
    // Adapters find the DPoP key of this manager (and of each `withParameters` view) by it.
    if (settings.dpop !== undefined) bindDpopSession(this, settings.dpop);
  }

  /**
   * A usable token. A fresh or stale cached token is served at once, as the same promise for as
   * long as it stays cached (a stale one also starts a renewal ahead of expiry); otherwise the
   * caller waits for the shared renewal.
   */
  getToken(options?: CallerOptions): Promise<Token> {
    if (hasParameters(options)) return this.#getTokenWithParameters(options as CallerOptions);
    if (!options?.forceRefresh && options?.signal?.aborted !== true) {
      const served = this.#serveCached();
      if (served !== undefined) return served;
    }
    return this.#waitForRenewal(options);
  }

  /**
   * This manager asking for `parameters` (scope, resource): a manager of its own, with its own
   * cache entry, made on first use and kept (see `maxParameterSets`); this one without any.
   */
  withParameters(parameters: TokenParameters): CachingTokenManager {
    this.#lifetime.throwIfClosed();
    this.#views ??= new ParameterViews(this.#settings, (view) => new CachingTokenManager(view));
    return this.#views.viewFor(parameters) ?? this;
  }

  /** Whether `accessToken` is the cached token. */
  holds(accessToken: string): boolean {
    return this.#cache.token?.accessToken === accessToken;
  }

  /** Drops `accessToken` if it is still the cached token; a newer token is kept. */
  async invalidate(accessToken: string): Promise<boolean> {
    const lifetime = this.#lifetime;
    lifetime.throwIfClosed();
    const view = this.#views?.holding(accessToken);
    if (view !== undefined) return view.invalidate(accessToken);
    return invalidateCached(accessToken, this.#parts);
  }

  /** Closes the manager: see `TokenManager.close`. */
  async close(): Promise<void> {
    if (!this.#lifetime.closed) this.#lifetime.close(new ManagerClosedError());
    await Promise.all([this.#renewal?.promise.catch(() => {}), this.#views?.close()]);
  }

  /** The same as {@link CachingTokenManager.close}, for `await using`. */
  declare [Symbol.asyncDispose]: () => Promise<void>;

  static #symbolMethodsDefined = false;

  /** Defines the methods under symbols with the first manager (see `defineSymbolMethods`). */
  static #defineSymbolMethods(): void {
    if (CachingTokenManager.#symbolMethodsDefined) return;
    CachingTokenManager.#symbolMethodsDefined = true;
    defineSymbolMethods(CachingTokenManager.prototype, (manager) => manager.#settings);
  }

  /** The store key this manager uses, worked out once (see `storeKey`). */
  cacheKey(): Promise<string> {
    return storeKey(this.#settings);
  }

  /** `getToken` with token parameters: the token of their view. */
  #getTokenWithParameters({ scope, resource, ...options }: CallerOptions): Promise<Token> {
    try {
      return this.withParameters({ scope, resource }).getToken(options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The cached token as a settled promise, when it can be served now. */
  #serveCached(): Promise<Token> | undefined {
    if (this.#lifetime.closed) return undefined;
    const { now } = this.#settings;
    const freshness = this.#cache.freshnessAt(now());
    if (freshness !== 'fresh' && freshness !== 'stale') return undefined;
    eventsFor(this.#settings, 'token.cache_hit')?.cacheHit(freshness, this.#cache.token);
    if (freshness === 'stale') this.#refreshAhead();
    return this.#cache.promise();
  }

  async #waitForRenewal(options: CallerOptions | undefined): Promise<Token> {
    this.#lifetime.throwIfClosed();
    options?.signal?.throwIfAborted();
    const intent: RenewalIntent = options?.forceRefresh === true ? 'forced' : 'needed';
    // Joined now: a renewal that ends while the events' cache key is worked out is still ours.
    let renewal = isUnderway(this.#renewal) ? this.#renewal : undefined;
    const events = eventsFor(this.#settings, 'token.cache_miss');
    if (events?.wants('token.cache_miss')) {
      if (events.keyWanted) await events.identify();
      events.cacheMiss(intent === 'forced' ? 'forced' : 'needed');
    }
    for (;;) {
      renewal ??= this.#renewalFor(intent);
      const token = await waitForRenewal(renewal, options?.signal, this.#lifetime);
      if (token !== abandoned) return token;
      renewal = undefined;
      this.#settings.onError?.(new TokenTimeoutError(abandonedRenewal));
    }
  }

  /** Starts a renewal ahead of expiry, unless one is under way or failures are being paced. */
  #refreshAhead(): void {
    const { now, onError } = this.#settings;
    if (isUnderway(this.#renewal) || isFailureWindowOpen(this.#failure, now())) return;
    eventsFor(this.#settings, 'token.refresh_ahead')?.refreshAhead(this.#cache.token);
    this.#renewalFor('ahead').promise.catch((error: unknown) => {
      if (!this.#lifetime.closed) onError?.(error);
    });
  }

  get #parts(): ManagerParts {
    return {
      settings: this.#settings,
      entry: this.#entry,
      cache: this.#cache,
      lifetime: this.#lifetime,
    };
  }

  /** A renewal's work, by the renewal code (loaded with the process's first renewal). */
  #renew(intent: RenewalIntent, signal: AbortSignal): Promise<Token> {
    const started = this.#cache.token;
    return withRenewalCode(({ GrantSequence, Renewer }) => {
      this.#grants ??= new GrantSequence();
      return new Renewer(this.#parts, this.#grants).renew(intent, started, signal);
    }, signal);
  }

  /**
   * The renewal under way, or the failure window's error, or a new renewal. The new renewal's
   * signal, timers and fetch belong to the caller that starts it (on Workers, its request); the
   * others only await its promise, which Workers allow across requests.
   */
  #renewalFor(intent: RenewalIntent): SharedRenewal {
    if (isUnderway(this.#renewal)) return this.#renewal;
    const settings = this.#settings;
    const { now } = settings;
    if (isFailureWindowOpen(this.#failure, now())) {
      return { promise: Promise.reject(this.#failure.error), deadline: Number.POSITIVE_INFINITY };
    }
    const lifetime = this.#lifetime;
    const scope = lifetime.scope();
    const deadline = elapsed() + renewalBudgetMs(settings, intent);
    const promise = this.#renew(intent, scope.signal).then(
      (token) => {
        scope.release();
        if (this.#renewal === renewal) this.#failure = undefined;
        return token;
      },
      (error: unknown) => {
        scope.release();
        const { failureBackoffMs } = settings;
        if (!lifetime.closed && this.#renewal === renewal)
          this.#failure = failureWindowAfter(this.#failure, error, {
            now: now(),
            failureBackoffMs,
          });
        throw error;
      },
    );
    const renewal: SharedRenewal = { promise, deadline };
    const settled = (): void => {
      if (this.#renewal === renewal) this.#renewal = undefined;
    };
    promise.then(settled, settled);
    this.#renewal = renewal;
    // On Workers, `waitUntil` keeps the renewal going after the request that started it answers.
    settings.waitUntil?.(promise.catch(() => {}));
    return renewal;
  }
}
