/**
 * The token manager tests' setup: a fresh loopback token server and a manual clock for every
 * test, managers made on them with {@link manage}, and everything closed after the test.
 *
 * `server` and `clock` are live bindings: an import always reads the current test's value, so
 * read them inside a test (or a function a test calls), never at a file's top level.
 */
import {
  clientId,
  clientSecret,
  closeAllServers,
  type LoopbackServer,
  type LoopbackServerOptions,
  startServer,
} from '@tokenwise/test-kit';
import { afterEach, beforeEach } from 'vitest';
import { clientCredentials } from '../flows/client-credentials.ts';
import type { Flow } from '../flows/flow.ts';
import { refreshToken } from '../flows/refresh-token.ts';
import {
  createTokenManager,
  type TokenManager,
  type TokenManagerOptions,
} from '../token-manager.ts';
import { type ManualClock, manualClock } from './async.ts';

/**
 * One hour in milliseconds: the lifetime of the loopback server's tokens (`expires_in` 3600).
 *
 * @example
 * clock.advance(hour - 300_000); // into the refresh-ahead window of the first token
 */
export const hour = 3_600_000;

/**
 * The current test's loopback token server (see {@link useManagerFixture}).
 *
 * @example
 * expect(server.tokenRequests).toHaveLength(1);
 */
export let server: LoopbackServer;

/**
 * The current test's manual clock, which every manager from {@link manage} reads.
 *
 * @example
 * clock.advance(1_000);
 */
export let clock: ManualClock;

const managers: TokenManager[] = [];

/**
 * Gives each test of the file a fresh {@link server} and {@link clock}, and closes every manager
 * and server after it. Call it once at the top level of a test file.
 *
 * @example
 * useManagerFixture();
 * it('makes one request', async () => {
 *   await manage().getToken();
 *   expect(server.tokenRequests).toHaveLength(1);
 * });
 */
export function useManagerFixture(): void {
  beforeEach(async () => {
    server = await startServer();
    clock = manualClock();
  });
  afterEach(async () => {
    await Promise.all(managers.splice(0).map((manager) => manager.close()));
    await closeAllServers();
  });
}

/**
 * Makes {@link server} a new loopback server started with `options`, for a test that needs
 * another behaviour from its token endpoint; the first one is still closed after the test.
 *
 * @example
 * await replaceServer({ refreshTokens: 'omit' });
 */
export async function replaceServer(options: LoopbackServerOptions): Promise<LoopbackServer> {
  server = await startServer(options);
  return server;
}

/**
 * A client-credentials flow on the current {@link server}.
 *
 * @example
 * const tokens = manage({ flow: ccFlow({ scope: 'admin' }) });
 */
export function ccFlow(
  options: { scope?: string; audience?: string; clientId?: string } = {},
): Flow {
  return clientCredentials({ tokenUrl: server.tokenUrl, clientId, clientSecret, ...options });
}

/**
 * A refresh-token flow starting from `start`, which the server is made to accept first.
 *
 * @example
 * const tokens = manage({ flow: await rtFlow() });
 */
export async function rtFlow(start = 'refresh-start'): Promise<Flow> {
  await server.acceptRefreshToken(start);
  return refreshToken({ tokenUrl: server.tokenUrl, clientId, clientSecret, refreshToken: start });
}

/**
 * A manager on the loopback server with the manual clock and no jitter; closed after the test.
 *
 * @example
 * const tokens = manage({ retry: false, onError });
 */
export function manage(options: Partial<TokenManagerOptions> = {}): TokenManager {
  const manager = createTokenManager({
    now: clock.now,
    random: () => 0,
    ...options,
    flow: options.flow ?? ccFlow(),
  });
  managers.push(manager);
  return manager;
}

/**
 * The `grant_type` of each token request the server received, in order.
 *
 * @example
 * expect(grants()).toEqual(['refresh_token', 'refresh_token']);
 */
export function grants(): (string | undefined)[] {
  return server.tokenRequests.map((request) => request.params.grant_type);
}
