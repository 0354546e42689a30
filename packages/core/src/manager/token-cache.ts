/**
 * The token a manager holds in memory, with what every `getToken` compares the clock with.
 *
 * @module
 */
import { type ExpiryPolicy, freshnessDeadlines, type TokenFreshness } from '../expiry.ts';
import type { StartTimer } from '../internal/timers.ts';
import { type Token, withRedactedInspect } from '../token.ts';
import type { StoreEntry } from './store-entry.ts';

/** Where the cached token stands now: see {@link TokenFreshness}; `'none'` without a token. */
export type CachedFreshness = TokenFreshness | 'none';

/** What a {@link TokenCache} needs from the manager's settings. */
export interface TokenCacheSettings {
  readonly policy: ExpiryPolicy;
  /** Spreads the refresh-ahead deadlines of a fleet (see {@link freshnessDeadlines}). */
  readonly random: () => number;
}

/**
 * The manager's cached token. Its freshness deadlines are worked out once per token, and the
 * promise `getToken` hands out for it is made once, on first use: serving a cached token
 * allocates nothing.
 *
 * `version` counts changes of the token. Store operations run side by side (a slow or hung store
 * must not queue them), so a decision made on a store read first checks that the cached token did
 * not change while the read was out: if it did, the read may predate a write of ours (an
 * `invalidate` racing a renewal could otherwise put back an old token), and it is not acted upon.
 *
 * @example
 * ```ts
 * const cache = new TokenCache({ policy: defaultExpiryPolicy, random: Math.random });
 * cache.hold(token);
 * if (cache.freshnessAt(Date.now()) === 'fresh') return cache.promise();
 * ```
 */
export class TokenCache {
  readonly #settings: TokenCacheSettings;
  #token: Token | undefined;
  #promise: Promise<Token> | undefined;
  #staleAt = Number.NEGATIVE_INFINITY;
  #expiredAt = Number.NEGATIVE_INFINITY;
  #version = 0;

  constructor(settings: TokenCacheSettings) {
    this.#settings = settings;
  }

  /** The cached token, usable or not. */
  get token(): Token | undefined {
    return this.#token;
  }

  /** How many times the cached token changed: compare before and after a store read. */
  get version(): number {
    return this.#version;
  }

  /** Where the cached token stands at `now` (epoch ms). */
  freshnessAt(now: number): CachedFreshness {
    if (this.#token === undefined) return 'none';
    if (now >= this.#expiredAt) return 'expired';
    return now >= this.#staleAt ? 'stale' : 'fresh';
  }

  /** The cached token as a settled promise: the same object every time, until the token changes. */
  promise(): Promise<Token> {
    this.#promise ??= Promise.resolve(this.#token as Token);
    return this.#promise;
  }

  /** Caches `token` (unless it already is) and returns the cached token. */
  hold(token: Token): Token {
    if (token === this.#token) return token;
    const { policy, random } = this.#settings;
    const held = withRedactedInspect(token);
    const deadlines = freshnessDeadlines(held, policy, random());
    this.#token = held;
    this.#promise = undefined;
    this.#staleAt = deadlines.staleAt;
    this.#expiredAt = deadlines.expiredAt;
    this.#version++;
    return held;
  }

  /** Drops the cached token. */
  forget(): void {
    this.#token = undefined;
    this.#promise = undefined;
    this.#version++;
  }

  /**
   * The token in the store, unless the cached token changed while the read was out (see
   * {@link TokenCache}): then `undefined`, as if the store had none.
   */
  async readUnlessChanged(entry: StoreEntry, startTimer: StartTimer): Promise<Token | undefined> {
    const seen = this.#version;
    const stored = await entry.get(startTimer);
    return this.#version === seen ? stored : undefined;
  }
}
