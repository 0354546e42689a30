/**
 * The `tokens` option of the adapters: one token manager, or a function that chooses one per
 * request (a tenant's, by header, subdomain or request context), and the checks on both.
 *
 * @module
 */
import type { TokenManager } from './token-manager.ts';
import { type TokenWait, waitAtMost } from './token-wait.ts';

/**
 * What a `tokens` function is given: the request about to be sent, its URL as a string, its
 * method in upper case, and its own headers (without the token). Each is read when asked for,
 * as a `Request`'s are: destructure them (`({ url, headers }) => …`) or read them; a spread copy
 * (`{ ...request }`) holds none of them. Logged or serialised, it shows its URL and method.
 *
 * @example
 * ```ts
 * const request: TokensRequest = { url: 'https://acme.api.example.com/x', method: 'GET', headers: new Headers({ 'X-Tenant-Id': 'acme' }) };
 * ```
 */
export interface TokensRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
}

/**
 * Chooses the token manager of a request, e.g. a tenant's from a `createTokenRegistry`.
 *
 * @example
 * ```ts
 * const byTenant: TokensChoice = ({ headers }) => tenants.get(headers.get('x-tenant-id') ?? 'default');
 * ```
 */
export type TokensChoice = (request: TokensRequest) => TokenManager | Promise<TokenManager>;

/** Where a client's instance was given as `tokens`: an HTTP client, not a tokens function. */
const clientMembers = ['extend', 'interceptors'] as const;

/**
 * Whether `value` looks like a token manager: an object with `getToken` and `invalidate`.
 *
 * @example
 * ```ts
 * isTokenManager(createTokenManager({ flow })); // true
 * ```
 */
export function isTokenManager(value: unknown): value is TokenManager {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<TokenManager>).getToken === 'function' &&
    typeof (value as Partial<TokenManager>).invalidate === 'function'
  );
}

/**
 * Whether `tokens` is a token manager or a tokens function. A function that is an HTTP client (an
 * axios, got or ky instance, which have `interceptors` or `extend`) is not: called with the
 * request, it would send one.
 *
 * @example
 * ```ts
 * isTokensOption(got); // false
 * isTokensOption(({ headers }) => tenants.get(headers.get('x-tenant-id') ?? '')); // true
 * ```
 */
export function isTokensOption(tokens: unknown): boolean {
  if (typeof tokens === 'function') return !clientMembers.some((name) => name in tokens);
  return isTokenManager(tokens);
}

/**
 * The manager a `tokens` function chose, checked: a `TypeError` naming the option when it is not
 * a token manager (checked at each request, as the function may return anything).
 *
 * @example
 * ```ts
 * const manager = chosenManager(await tokens(request));
 * ```
 */
export function chosenManager(chosen: unknown): TokenManager {
  if (isTokenManager(chosen)) return chosen;
  throw new TypeError(
    `tokens: the tokens function must return a token manager (from createTokenManager() or a registry), got ${describeKind(chosen)}`,
  );
}

/**
 * `authorize(manager, wait)` with the manager the `tokens` function chooses for `request`:
 * rejects with the function's error or a `TypeError` for a result that is no token manager. When
 * the choice is asynchronous, `wait.timeout` bounds it and the wait for the token together; when
 * it is not, what `authorize` returns (a value at hand stays one).
 *
 * @example
 * ```ts
 * return authorizeChosen(tokens, describedOf(request), wait, (manager, bound) => authorizeWith(manager, bound));
 * ```
 */
export function authorizeChosen<T>(
  tokens: TokensChoice,
  request: TokensRequest,
  wait: TokenWait | undefined,
  authorize: (manager: TokenManager, wait: TokenWait | undefined) => T | Promise<T>,
): T | Promise<T> {
  let chosen: unknown;
  try {
    chosen = tokens(request);
  } catch (error) {
    return Promise.reject(error);
  }
  if (typeof (chosen as PromiseLike<unknown> | undefined)?.then !== 'function') {
    try {
      return authorize(chosenManager(chosen), wait);
    } catch (error) {
      return Promise.reject(error);
    }
  }
  const signal = wait?.signal;
  const bound = signal && { signal };
  return waitAtMost(
    Promise.resolve(chosen).then((manager) => authorize(chosenManager(manager), bound)),
    wait,
  );
}

function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return Array.isArray(value) ? 'an array' : 'an object without getToken and invalidate';
}
