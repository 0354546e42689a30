/**
 * Which token managers were created with `dpop`, and their DPoP sessions: what adapters look up
 * (no key or signing code is needed for that).
 *
 * @module
 */
import type { LazyDpopSession } from './lazy-dpop-session.ts';

/** The DPoP session of each manager created with `dpop`. */
const sessions = new WeakMap<object, LazyDpopSession>();

/**
 * Ties `session` to the manager `tokens`, for adapters to find with {@link dpopSessionOf}.
 *
 * @example
 * ```ts
 * bindDpopSession(manager, settings.dpop);
 * ```
 */
export function bindDpopSession(tokens: object, session: LazyDpopSession): void {
  sessions.set(tokens, session);
}

/**
 * The DPoP session of a manager created with the `dpop` option (its code loads on first use, see
 * {@link LazyDpopSession}); `undefined` for any other.
 *
 * @example
 * ```ts
 * const session = dpopSessionOf(tokens);
 * if (session && token.tokenType === 'DPoP') headers.set('DPoP', await (await session.session()).proof({ url, method, accessToken: token.accessToken }));
 * ```
 */
export function dpopSessionOf(tokens: object): LazyDpopSession | undefined {
  return sessions.get(tokens);
}

/**
 * Whether `tokens` is a token manager created with the `dpop` option: its requests carry a proof
 * made for their method and full URL, so an adapter must know both.
 *
 * @example
 * ```ts
 * const url = usesDpop(options.tokens) ? fullUrl(config) : originOf(config);
 * ```
 */
export function usesDpop(tokens: unknown): boolean {
  return typeof tokens === 'object' && tokens !== null && sessions.has(tokens);
}
