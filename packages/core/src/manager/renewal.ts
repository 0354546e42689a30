/**
 * One renewal of a manager's token, step by step: the store (another process may have renewed),
 * the store's lock, the token request, `onTokenChange`, then the cache and the store.
 *
 * @module
 */
import { TokenResponseError } from '../errors.ts';
import { tokenFreshness } from '../expiry.ts';
import { abortable } from '../internal/abortable.ts';
import type { Lifetime } from '../internal/lifetime.ts';
import { tokenRedactor } from '../internal/redact.ts';
import type { StartTimer } from '../internal/timers.ts';
import { TokenChangeHandlerError } from '../manager-errors.ts';
import type { Token } from '../token.ts';
import type { Basis, GrantSequence } from './grant-sequence.ts';
import { eventsFor } from './lazy-events.ts';
import type { ManagerParts } from './manager-parts.ts';
import { type RenewalIntent, startTimerFor } from './renewal-intent.ts';
import type { ManagerSettings } from './settings.ts';
import type { StoreEntry } from './store-entry.ts';
import { lockOrWait } from './store-lock.ts';
import type { TokenCache } from './token-cache.ts';

/**
 * Renews the token of one manager. It never decides whether to renew: the manager does, and
 * shares one renewal among its callers. Made for each renewal, from the manager's parts and its
 * {@link GrantSequence} (the state that outlives a renewal): an idle manager holds none.
 *
 * @example
 * ```ts
 * const renewer = new Renewer({ settings, entry, cache, lifetime }, grants);
 * const token = await renewer.renew('needed', cache.token, scope.signal);
 * ```
 */
export class Renewer implements ManagerParts {
  readonly settings: ManagerSettings;
  readonly entry: StoreEntry;
  readonly cache: TokenCache;
  readonly lifetime: Lifetime;
  readonly #grants: GrantSequence;

  constructor({ settings, entry, cache, lifetime }: ManagerParts, grants: GrantSequence) {
    this.settings = settings;
    this.entry = entry;
    this.cache = cache;
    this.lifetime = lifetime;
    this.#grants = grants;
  }

  /**
   * A new token for `intent`, or one another process stored meanwhile. `started` is the cached
   * token when the renewal started; `signal` stops everything (the manager closing). The token
   * ends up cached, and stored.
   */
  async renew(
    intent: RenewalIntent,
    started: Token | undefined,
    signal: AbortSignal,
  ): Promise<Token> {
    const { cache, entry } = this;
    const startTimer = startTimerFor(intent);
    // Events carry the cache key: a digest, worked out once, when someone listens.
    const events = eventsFor(this.settings);
    if (events?.keyWanted) await events.identify();
    let stored: Token | undefined;
    if (intent !== 'forced') {
      stored = await cache.readUnlessChanged(entry, startTimer);
      if (this.#savesARequest(stored, started)) return cache.hold(stored);
    }
    const lock = await lockOrWait(entry, this.settings, { intent, started, signal });
    if (lock.kind === 'renewed elsewhere') return cache.hold(lock.token);
    try {
      if (lock.kind === 'locked' || intent === 'forced') {
        // Another process may have renewed while we waited for the lock, and the store has the
        // newest refresh token (rotated by another process).
        stored = await cache.readUnlessChanged(entry, startTimer);
        if (intent !== 'forced' && this.#savesARequest(stored, started)) return cache.hold(stored);
      }
      const basis: Basis = { token: stored ?? cache.token, version: cache.version };
      const token = await this.#grants.obtain(this, basis, { intent, signal });
      return await this.#publish(token, basis.token, startTimer, signal);
    } finally {
      // A failed release is reported (to `onError`), never thrown.
      if (lock.kind === 'locked') await lock.release().catch(() => {});
    }
  }

  /** Whether a stored token saves a token request: fresh, or usable and newer than `started`. */
  #savesARequest(stored: Token | undefined, started: Token | undefined): stored is Token {
    if (stored === undefined) return false;
    const { now, policy } = this.settings;
    const freshness = tokenFreshness(stored, now(), policy);
    return (
      freshness === 'fresh' ||
      (freshness === 'stale' && stored.accessToken !== started?.accessToken)
    );
  }

  /**
   * Hands a new token to `onTokenChange`, then caches and stores it. The handler runs first:
   * nobody (an invalidate taking the stored token, another manager on the store) can use the token
   * before it is persisted. It is not waited for past the manager's close: a handler that never
   * settles holds no one. If it failed, the token is still cached, and its error is thrown,
   * redacted with the new token and `base` (the one the request started from).
   */
  async #publish(
    token: Token,
    base: Token | undefined,
    startTimer: StartTimer,
    signal: AbortSignal,
  ): Promise<Token> {
    const { now, policy, onTokenChange } = this.settings;
    if (tokenFreshness(token, now(), policy) === 'expired') {
      // The round trip took (nearly) the whole lifetime: never hand out a token this close to
      // its expiry. With a lifetime this short, the server or the network is the problem.
      throw new TokenResponseError(
        200,
        'The token endpoint answered with a token that expires within the expiry leeway on arrival (a lifetime shorter than the round trip?)',
      );
    }
    let handlerError: unknown;
    if (onTokenChange) {
      try {
        await abortable(onTokenChange(token), signal);
      } catch (error) {
        handlerError = error;
      }
    }
    this.lifetime.throwIfClosed();
    this.cache.hold(token);
    await this.entry.set(token, startTimer);
    eventsFor(this.settings, 'token.refresh_token_rotated')?.stored(
      token,
      base?.refreshToken ?? this.settings.flow.initialRefreshToken?.(),
    );
    if (handlerError !== undefined) {
      // The handler's error may quote the tokens (a database's unique-key violation).
      throw tokenRedactor(token)
        .including([base?.accessToken, base?.refreshToken])
        .error(new TokenChangeHandlerError(handlerError));
    }
    return token;
  }
}
