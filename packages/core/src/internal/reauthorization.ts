/**
 * Bounded re-authorization, per token manager: what keeps an API that rejects every token from
 * turning each request into a token request. Shared by every adapter and authorizer that uses
 * the same manager, so it is keyed by the manager, never by the authorizer.
 *
 * @module
 */

/**
 * How long re-authorization stays off once a fresh token was rejected again, and how long
 * renewals are counted: 30 s. Long enough that an API refusing every token costs a few token
 * requests a minute at most, short enough that a token revoked for good is renewed soon after.
 */
export const reauthorizationCoolDownMs = 30_000;

/** What to do with a 401 to a first attempt. */
export type Reauthorization =
  /** Drop the token the request carried and re-send once with a new one. */
  | 'renew'
  /** Re-send once: another request already dropped that token (a concurrent 401). */
  | 'resend'
  /** Return the 401 at once: re-authorization is cooling down. */
  | 'answer';

/**
 * Renewals within one cool-down a manager may make before it stops: the first re-authorization,
 * and one more for a token revoked again right after it was renewed. With the token it started
 * with, that makes at most 3 token requests.
 */
const maxRenewals = 2;

/**
 * One manager's re-authorization state. A re-authorization (a renewal) drops the token a 401
 * answered; a token obtained after it is fresh. When a fresh token is rejected by the re-sent
 * request, or a third renewal would be due within the cool-down, the token is not the problem:
 * re-authorization is off until `coolingUntil`.
 */
class ReauthorizationState {
  /** The renewals of the last cool-down period: the access token dropped, and when (epoch ms). */
  #renewals: { readonly accessToken: string; readonly at: number }[] = [];
  /** Re-authorization is off until then (epoch ms). */
  #coolingUntil = Number.NEGATIVE_INFINITY;

  /** Decides about a 401 to a first attempt that carried `accessToken`. */
  onRejected(accessToken: string, now: number): Reauthorization {
    if (now < this.#coolingUntil) return 'answer';
    this.#renewals = this.#renewals.filter(({ at }) => now - at < reauthorizationCoolDownMs);
    if (this.#renewals.some((renewal) => renewal.accessToken === accessToken)) return 'resend';
    if (this.#renewals.length >= maxRenewals) {
      this.coolDown(now);
      return 'answer';
    }
    this.#renewals.push({ accessToken, at: now });
    return 'renew';
  }

  /** A fresh token (the re-sent request's) was rejected again: re-authorization is off a while. */
  coolDown(now: number): void {
    this.#coolingUntil = now + reauthorizationCoolDownMs;
  }
}

const states = new WeakMap<object, ReauthorizationState>();

/**
 * The re-authorization state of the token manager `tokens`, created on first use and dropped
 * with the manager.
 *
 * @example
 * ```ts
 * const decision = reauthorizationOf(tokens).onRejected(token.accessToken, Date.now());
 * if (decision === 'renew') await tokens.invalidate(token.accessToken);
 * ```
 */
export function reauthorizationOf(tokens: object): ReauthorizationState {
  let state = states.get(tokens);
  if (state === undefined) {
    state = new ReauthorizationState();
    states.set(tokens, state);
  }
  return state;
}
