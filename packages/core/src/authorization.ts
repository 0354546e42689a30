/**
 * What an authorizer hands an adapter for one request: the token and the headers that carry it,
 * and (kept out of sight) the token manager that issued the token, so that a rejection drops it
 * where it came from when the `tokens` option chooses a manager per request.
 *
 * @module
 */
import type { Token } from './token.ts';
import type { TokenManager } from './token-manager.ts';

/**
 * A token and the headers that carry it: `Authorization` plus the extra headers. Frozen: one
 * object serves every request while the token and the headers stay the same.
 *
 * @example
 * ```ts
 * const { token, headers } = await authorizer.authorize({ url, method: 'GET', headers: new Headers() });
 * for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
 * ```
 */
export interface Authorization {
  readonly token: Token;
  readonly headers: Readonly<Record<string, string>>;
}

/** Authorizations → the manager whose token they carry: a rejection invalidates it there. */
const issuers = new WeakMap<Authorization, TokenManager>();

/**
 * A frozen {@link Authorization} of `manager`'s `token`: one object serves every request while the
 * token and the headers stay the same.
 *
 * @example
 * ```ts
 * const authorization = issuedAuthorization(manager, token, { Authorization: `Bearer ${token.accessToken}` });
 * ```
 */
export function issuedAuthorization(
  manager: TokenManager,
  token: Token,
  headers: Record<string, string>,
): Authorization {
  const authorization = frozenAuthorization(token, headers);
  issuers.set(authorization, manager);
  return authorization;
}

/**
 * A frozen {@link Authorization} of `token` that names no issuer: {@link issuerOf} takes it for
 * one of the `tokens` option's manager. What an authorizer with one token manager makes (it has
 * no other), so that its authorization costs no entry among the issuers.
 *
 * @example
 * ```ts
 * const authorization = frozenAuthorization(token, { Authorization: `Bearer ${token.accessToken}` });
 * issuerOf(authorization, tokens); // tokens
 * ```
 */
export function frozenAuthorization(token: Token, headers: Record<string, string>): Authorization {
  return Object.freeze({ token, headers: Object.freeze(headers) });
}

/**
 * The token manager that issued `authorization`; for one made elsewhere (not by an authorizer),
 * `tokens` when it is a manager, else `undefined`.
 *
 * @example
 * ```ts
 * await issuerOf(authorization, options.tokens)?.invalidate(authorization.token.accessToken);
 * ```
 */
export function issuerOf(authorization: Authorization, tokens: unknown): TokenManager | undefined {
  return (
    issuers.get(authorization) ??
    (typeof tokens === 'function' ? undefined : (tokens as TokenManager))
  );
}
