/**
 * What the tests of gotAuth inside real stacks share: both got majors the adapter supports, the
 * echo the loopback API answers, got's retry on 503 without waiting, and a loopback server with a
 * token manager on it for each test ({@link useLoopbackVendor}).
 *
 * Not part of the build (see tsconfig.build.json).
 */
import { clientCredentials, createTokenManager, type TokenManager } from '@tokenwise/core';
import { clientId, clientSecret, type LoopbackServer, startServer } from '@tokenwise/test-kit';
import got, { type ExtendOptions, type Got, HTTPError } from 'got';
import got14, { HTTPError as HTTPError14 } from 'got14';
import { afterEach, beforeEach } from 'vitest';

/**
 * got 14 and got 16: the name, the default instance and the HTTPError class of each.
 *
 * @example
 * ```ts
 * describe.each(gotMajors)('%s', (_major, base, HttpError) => {
 *   // … base.extend(gotAuth({ tokens })) …
 * });
 * ```
 */
export const gotMajors: [string, Got, typeof HTTPError][] = [
  ['got 14', got14 as unknown as Got, HTTPError14 as unknown as typeof HTTPError],
  ['got 16', got, HTTPError],
];

/**
 * What the loopback API echoes of a request.
 *
 * @example
 * ```ts
 * const echo = await api('api/me').json<Echo>();
 * expect(echo.authorization).toBe('Bearer tok-2');
 * ```
 */
export interface Echo {
  authorization: string | null;
  tenant: string | null;
}

/**
 * got's retry on 503 only, without waiting (got's backoff is capped at 1 ms, no noise).
 *
 * @example
 * ```ts
 * const api = got.extend({ prefixUrl: server.origin }, retryOn503(2), gotAuth({ tokens }));
 * ```
 */
export const retryOn503 = (limit: number) =>
  ({ retry: { limit, statusCodes: [503], backoffLimit: 1, noise: 0 } }) satisfies ExtendOptions;

/**
 * A token manager for the client credentials of `server` (the kit's client).
 *
 * @example
 * ```ts
 * const own = managerOf(server); // a fresh manager: no earlier renewal counts against it
 * ```
 */
export const managerOf = (server: LoopbackServer): TokenManager =>
  createTokenManager({
    flow: clientCredentials({ tokenUrl: server.tokenUrl, clientId, clientSecret }),
  });

/**
 * The loopback server and manager of the running test (read them inside a test, not while
 * collecting).
 *
 * @example
 * ```ts
 * loopback.server.failApi(401, 503);
 * await loopback.tokens.getToken();
 * ```
 */
export interface LoopbackVendor {
  readonly server: LoopbackServer;
  readonly tokens: TokenManager;
}

/**
 * Starts a loopback server and a token manager on it before each test of the enclosing group,
 * and closes both after it.
 *
 * @example
 * ```ts
 * const loopback = useLoopbackVendor();
 * it('re-sends once', async () => {
 *   const api = got.extend({ prefixUrl: loopback.server.origin }, gotAuth({ tokens: loopback.tokens }));
 * });
 * ```
 */
export function useLoopbackVendor(): LoopbackVendor {
  let current: LoopbackVendor | undefined;
  beforeEach(async () => {
    const server = await startServer();
    current = { server, tokens: managerOf(server) };
  });
  afterEach(async () => {
    await current?.tokens.close();
    await current?.server.close();
    current = undefined;
  });
  const running = (): LoopbackVendor => {
    if (current === undefined) throw new Error('the loopback vendor runs inside a test only');
    return current;
  };
  return {
    get server() {
      return running().server;
    },
    get tokens() {
      return running().tokens;
    },
  };
}
