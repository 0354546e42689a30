import type { Token } from '../token.ts';

/**
 * The key of a token manager's synchronous fast path, known to core only: the cached token when
 * it can be handed out without waiting (fresh, or stale with a background refresh started), else
 * `undefined`. It lets the authorizer skip two awaits per request in the steady state. A manager
 * without it (a wrapper a user wrote) is simply asked with `getToken`.
 */
export const tokenAtHand: unique symbol = Symbol('tokenwise.tokenAtHand');

/** A token manager that has the fast path. */
export interface WithTokenAtHand {
  [tokenAtHand](): Token | undefined;
}

/**
 * The token `tokens` can hand out right now, or `undefined` when it would have to wait (or has no
 * fast path).
 *
 * @example
 * ```ts
 * const token = readTokenAtHand(tokens) ?? (await tokens.getToken());
 * ```
 */
export function readTokenAtHand(tokens: object): Token | undefined {
  return (tokens as Partial<WithTokenAtHand>)[tokenAtHand]?.();
}
