import type { TokenManager } from '@tokenwise/core';

/**
 * Wraps a manager to count the callers of `getToken` that had to wait for the token endpoint. A
 * cached token is handed out within microtasks, before a macrotask (`setImmediate`) can run; a
 * caller whose token is still pending when the macrotask runs waited on a token request.
 *
 * @example
 * ```ts
 * const { tokens: counted, waited } = countWaits(tokens);
 * const authedFetch = createAuthFetch({ tokens: counted });
 * // … traffic …
 * waited(); // 0 when every request was served from the cache
 * ```
 */
export function countWaits(tokens: TokenManager): { tokens: TokenManager; waited: () => number } {
  let waited = 0;
  const wrapped: TokenManager = {
    getToken: async (options) => {
      const pending = tokens.getToken(options);
      const first = await Promise.race([
        pending.then(
          () => 'cached' as const,
          () => 'cached' as const,
        ),
        new Promise<'waited'>((resolve) => setImmediate(() => resolve('waited'))),
      ]);
      if (first === 'waited') waited++;
      return pending;
    },
    invalidate: (accessToken) => tokens.invalidate(accessToken),
    close: () => tokens.close(),
    [Symbol.asyncDispose]: () => tokens.close(),
    cacheKey: () => tokens.cacheKey(),
    withParameters: (parameters) => tokens.withParameters(parameters),
  };
  return { tokens: wrapped, waited: () => waited };
}
