/**
 * Which grant a renewal sends to the token endpoint, and what a rejected refresh token means.
 *
 * @module
 */
import { TokenEndpointError } from '../errors.ts';
import { observeTokenRequest } from '../events/token-request-trace.ts';
import { tokenFreshness } from '../expiry.ts';
import { exchangeToken, type SentRefreshToken } from '../internal/exchange.ts';
import type { ExchangeObserver } from '../internal/exchange-observer.ts';
import { ReauthorizationRequiredError } from '../manager-errors.ts';
import { type Token, withRedactedInspect } from '../token.ts';
import type { TokenHttpRequest } from '../token-http.ts';
import { managerEvents } from './lazy-events.ts';
import type { ManagerParts } from './manager-parts.ts';
import { type RenewalIntent, retryFor, startTimerFor } from './renewal-intent.ts';
import type { ManagerSettings } from './settings.ts';

/** The token a renewal starts from, and the cache's version when it was taken. */
export interface Basis {
  readonly token: Token | undefined;
  readonly version: number;
}

/** The renewal sending the grant: why it runs, and the signal that stops it. */
export interface GrantRenewal {
  readonly intent: RenewalIntent;
  readonly signal: AbortSignal;
  /** Told when the token endpoint answers an attempt (see `SendOptions.onAnswer`). */
  readonly onAnswer?: (() => void) | undefined;
}

/**
 * The grants of one manager, in order: the refresh token (the basis's, else the flow's initial
 * one) while the server takes it; the initial grant while it may be sent (always for client
 * credentials; once for an authorization code); after that, `ERR_REAUTHORIZATION_REQUIRED`.
 *
 * @example
 * ```ts
 * const grants = new GrantSequence();
 * const token = await grants.obtain(parts, { token: cache.token, version: cache.version }, { intent: 'needed', signal });
 * ```
 */
export class GrantSequence {
  /** The initial grant was answered, and `reusable: false` says it cannot be sent again. */
  #initialGrantSent = false;
  /** The server rejected the refresh token: the flow's initial refresh token is not tried again. */
  #refreshTokenCleared = false;
  /** The error that cleared the refresh token, thrown again while re-authorization is needed. */
  #reauthorization: ReauthorizationRequiredError | undefined;

  /** A new token from the token endpoint, with the first grant of the sequence that works. */
  async obtain(parts: ManagerParts, basis: Basis, renewal: GrantRenewal): Promise<Token> {
    const { flow, now } = parts.settings;
    const base = basis.token;
    const refresh = this.#refreshTokenCleared
      ? base?.refreshToken
      : (base?.refreshToken ?? flow.initialRefreshToken?.());
    const refreshUsable =
      refresh !== undefined &&
      !(base?.refreshTokenExpiresAt !== undefined && base.refreshTokenExpiresAt <= now());
    if (refreshUsable && flow.refreshGrant) {
      try {
        const sent: SentRefreshToken = {
          refreshToken: refresh,
          refreshTokenExpiresAt:
            base?.refreshToken === refresh ? base.refreshTokenExpiresAt : undefined,
        };
        return await exchange(parts.settings, flow.refreshGrant(refresh), renewal, sent);
      } catch (error) {
        if (!(error instanceof TokenEndpointError && error.error === 'invalid_grant')) throw error;
        const rotated = await this.#clearRefreshToken(parts, basis, refresh, renewal.intent);
        if (rotated) return rotated;
        if (!flow.initialGrant?.reusable) {
          this.#reauthorization = new ReauthorizationRequiredError(error);
          throw this.#reauthorization;
        }
      }
    }
    const initial = flow.initialGrant;
    if (initial && (initial.reusable || !this.#initialGrantSent)) {
      // A code is spent once the server has answered an attempt, whatever the answer; not when
      // it never arrived, nor when it was never sent (an assertion callback or a key that failed).
      const spend = () => {
        this.#initialGrantSent = true;
      };
      return exchange(parts.settings, initial.request(), { ...renewal, onAnswer: spend });
    }
    throw this.#reauthorization ?? new ReauthorizationRequiredError();
  }

  /**
   * After `invalid_grant`: if another process rotated the refresh token meanwhile, use its token;
   * else forget the refresh token everywhere, but keep serving the access token while it is still
   * valid (a failed background refresh must not cut callers off early); an invalidated one is
   * expired, so it is dropped. Resolves to the other process's token, if it is usable.
   */
  async #clearRefreshToken(
    { settings, entry, cache }: ManagerParts,
    basis: Basis,
    rejected: string,
    intent: RenewalIntent,
  ): Promise<Token | undefined> {
    const { now, policy } = settings;
    const startTimer = startTimerFor(intent);
    // The newest token known: the store's, else the basis. If the cache changed since the basis
    // was taken, it holds a later decision than both (an `invalidate` marking the token expired),
    // and it wins: a read or a basis that predates our own write is never acted upon.
    const stored = await entry.get(startTimer);
    const latest = cache.version !== basis.version ? cache.token : (stored ?? basis.token);
    if (latest?.refreshToken !== undefined && latest.refreshToken !== rejected) {
      if (tokenFreshness(latest, now(), policy) !== 'expired') return cache.hold(latest);
      return undefined; // a newer refresh token exists: the next attempt uses it
    }
    this.#refreshTokenCleared = true;
    const kept = latest === undefined ? undefined : withoutRefreshToken(latest);
    if (kept !== undefined && tokenFreshness(kept, now(), policy) !== 'expired') {
      cache.hold(kept);
      await entry.set(kept, startTimer);
    } else {
      cache.forget();
      await entry.delete(startTimer);
    }
    return undefined;
  }
}

/** `token` without its refresh token and the refresh token's expiry. */
function withoutRefreshToken(token: Token): Token {
  const { refreshToken: _token, refreshTokenExpiresAt: _expiry, ...rest } = token;
  return withRedactedInspect({ ...rest, raw: token.raw });
}

/** One exchange at the token endpoint, reported as a token request (see `onEvent`). */
function exchange(
  settings: ManagerSettings,
  request: TokenHttpRequest,
  renewal: GrantRenewal,
  sentRefreshToken?: SentRefreshToken,
): Promise<Token> {
  const grantType = sentRefreshToken === undefined ? settings.flow.kind : 'refresh_token';
  const observed = { method: request.method, grantType, reason: renewal.intent };
  const events = () => managerEvents(settings);
  return observeTokenRequest(settings.onEvent, events, observed, (observer) =>
    sendGrant(settings, request, renewal, sentRefreshToken, observer),
  );
}

/** One exchange at the token endpoint, with the manager's transport settings. */
function sendGrant(
  settings: ManagerSettings,
  request: TokenHttpRequest,
  { intent, signal, onAnswer }: GrantRenewal,
  sentRefreshToken: SentRefreshToken | undefined,
  observer: ExchangeObserver | undefined,
): Promise<Token> {
  return exchangeToken(
    request,
    {
      flow: settings.flow,
      fetch: settings.fetch,
      timeoutMs: settings.timeoutMs,
      retry: retryFor(intent, settings.retry),
      now: settings.now,
      random: settings.random,
      signal,
      defaultLifetimeMs: settings.defaultLifetimeMs,
      dpop: settings.dpop !== undefined,
      observer,
      onAnswer,
    },
    sentRefreshToken,
  );
}
