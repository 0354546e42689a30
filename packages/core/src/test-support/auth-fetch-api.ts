/**
 * The createAuthFetch tests' setup: for every test a loopback server (token endpoint and API on
 * 127.0.0.1) and a manager of its client credentials, from test-kit's `useLoopback`, and what
 * the tests ask of them.
 */
import { type LoopbackServer, type RecordedRequest, useLoopback } from '@tokenwise/test-kit';
import { type AuthFetch, type AuthFetchOptions, createAuthFetch } from '../auth-fetch.ts';
import { clientCredentials } from '../flows/client-credentials.ts';
import { createTokenManager, type TokenManager } from '../token-manager.ts';

/** The running test's server and manager (read them inside a test), and helpers on them. */
export interface AuthFetchApi {
  /** The token endpoint and the API. */
  readonly server: LoopbackServer;
  /** A manager of the server's client credentials, without retries. */
  readonly tokens: TokenManager;
  /** A createAuthFetch of {@link tokens}, with `options` on top. */
  authFetch(options?: Partial<AuthFetchOptions>): AuthFetch;
  /** The last API call the server saw; throws when there was none. */
  lastCall(): RecordedRequest;
  /** Makes the API reject the cached token, so the next request gets one 401 then a retry. */
  revokeCurrentToken(): void;
}

/**
 * Gives each test of the file a fresh server and manager, closed after it. Call it once at the
 * top level of a test file.
 *
 * @example
 * const api = useAuthFetchApi();
 * it('sends the token', async () => {
 *   await api.authFetch()(api.server.url('/members'));
 *   expect(api.lastCall().headers.authorization).toBe(`Bearer ${api.server.issued[0]}`);
 * });
 */
export function useAuthFetchApi(): AuthFetchApi {
  const loopback = useLoopback({ createTokenManager, clientCredentials });
  return {
    get server() {
      return loopback.a;
    },
    get tokens() {
      return loopback.tokens;
    },
    authFetch: (options = {}) => createAuthFetch({ tokens: loopback.tokens, ...options }),
    lastCall: () => {
      const call = loopback.a.apiCalls.at(-1);
      if (!call) throw new Error('no API call');
      return call;
    },
    revokeCurrentToken: () => {
      const current = loopback.a.issued.at(-1);
      if (current) loopback.a.revoke(current);
    },
  };
}
