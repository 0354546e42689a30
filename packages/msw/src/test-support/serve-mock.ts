/**
 * A mock authorization server served through msw for the tests of one file: listening before
 * the first test, reset after each, closed after the last.
 *
 * Not part of the build (see tsconfig.build.json).
 */
import { type SetupServer, setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type MockOAuthServer, mockOAuthServer } from '../mock-oauth-server.ts';
import type { MockOAuthServerOptions } from '../options.ts';

/**
 * The mock and the msw server that serves it (which a test may `use()` more handlers on).
 *
 * @example
 * ```ts
 * const { oauth, server }: ServedMock = serveMock({ issuer, clients: { app: 'secret' } });
 * ```
 */
export interface ServedMock {
  readonly oauth: MockOAuthServer;
  readonly server: SetupServer;
}

/**
 * Builds `mockOAuthServer(options)` and serves its handlers for the calling file's tests; an
 * unhandled request fails the test.
 *
 * @example
 * ```ts
 * const { oauth } = serveMock({ issuer, clients: { app: 'secret' } });
 * test('answers a token', async () => {
 *   await postToken('grant_type=client_credentials', { Authorization: basic('app', 'secret') });
 *   expect(oauth.tokenRequests).toHaveLength(1);
 * });
 * ```
 */
export function serveMock(options: MockOAuthServerOptions): ServedMock {
  const oauth = mockOAuthServer(options);
  const server = setupServer(...oauth.handlers);
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => oauth.reset());
  afterAll(() => server.close());
  return { oauth, server };
}
