/**
 * The authorization an authorizer made of a token manager's last token promise, kept so that
 * every request after the first gets it at once, without a promise.
 *
 * @module
 */
import type { Authorization } from './authorization.ts';
import type { Token } from './token.ts';

/**
 * The authorization of one token manager's token, keyed by the promise the manager handed out
 * for it: a manager hands out the same settled promise for as long as it keeps its token, so
 * while `getToken()` returns the promise remembered here, the token is the same and so is its
 * authorization. Until that promise fulfils, callers share one promise of the authorization;
 * once it has, the memo holds the authorization itself (and lets go of its promise), which
 * {@link AuthorizationMemo.lookup} hands out as it is.
 *
 * @example
 * ```ts
 * const memo = new AuthorizationMemo();
 * const pending = manager.getToken();
 * const known = memo.lookup(pending);
 * return known ?? memo.remember(pending, pending.then(authorizationOf));
 * ```
 */
export class AuthorizationMemo {
  #pending: Promise<Token> | undefined;
  #made: Authorization | Promise<Authorization> | undefined;

  /**
   * What {@link AuthorizationMemo.remember} was given for `pending`: the authorization once its
   * promise has fulfilled, the promise until then (or for good, once rejected); `undefined` when
   * `pending` is not the last promise remembered.
   */
  lookup(pending: Promise<Token>): Authorization | Promise<Authorization> | undefined {
    return pending === this.#pending ? this.#made : undefined;
  }

  /**
   * Remembers `made`, the authorization of the token `pending` resolves to, in place of what was
   * remembered before; once `made` fulfils (and unless something newer was remembered since),
   * the authorization itself. Returns `made`.
   */
  remember(pending: Promise<Token>, made: Promise<Authorization>): Promise<Authorization> {
    this.#pending = pending;
    this.#made = made;
    const settle = (authorization: Authorization): void => {
      if (this.#made === made) this.#made = authorization;
    };
    // A rejection stays remembered as the promise; the caller handles it.
    made.then(settle, () => {});
    return made;
  }
}
