/**
 * The servers and the token manager each contract test runs against, fresh for every test: the
 * API and token endpoint on 127.0.0.1, the same machine under another origin on localhost.
 */
import { afterEach, beforeEach } from 'vitest';
import { clientId, clientSecret, type LoopbackServer, startServer } from '../loopback-server.ts';

/** The part of a token manager the suite uses itself. */
export interface ManagerLike {
  close(): Promise<void>;
}

/**
 * `createTokenManager` and `clientCredentials` of the core the adapter runs on: `@tokenwise/core`
 * for an adapter, core's own source for core's tests.
 *
 * @example
 * const core: CoreFactories<TokenManager, Flow> = { createTokenManager, clientCredentials };
 */
export interface CoreFactories<Manager extends ManagerLike, Flow> {
  createTokenManager(options: {
    readonly flow: Flow;
    readonly retry: false;
    /** Set by the DPoP cases only. */
    readonly dpop?: true;
  }): Manager;
  clientCredentials(options: {
    readonly tokenUrl: string;
    readonly clientId: string;
    readonly clientSecret: string;
  }): Flow;
}

/** The servers and the manager of the running test (see {@link useLoopback}). */
export interface Loopback<Manager> {
  /** 127.0.0.1: the token endpoint and the API. */
  readonly a: LoopbackServer;
  /** localhost: the same machine under another origin. */
  readonly b: LoopbackServer;
  /** A manager of `a`'s client credentials, without retries. */
  readonly tokens: Manager;
}

/**
 * Gives each test of the current `describe` two fresh {@link LoopbackServer}s and a manager of
 * the first one's token endpoint, and closes all three after it. Read the fields inside a test.
 *
 * @example
 * const loopback = useLoopback({ createTokenManager, clientCredentials });
 * it('re-sends once', async () => {
 *   const { a, tokens } = loopback;
 *   a.failApi(401);
 *   // … a client of `tokens` gets a.url('/members')
 *   expect(a.tokenRequests).toHaveLength(2);
 * });
 */
export function useLoopback<Manager extends ManagerLike, Flow>(
  core: CoreFactories<Manager, Flow>,
): Loopback<Manager> {
  const current: { -readonly [K in keyof Loopback<Manager>]?: Loopback<Manager>[K] } = {};
  beforeEach(async () => {
    const [a, b] = await Promise.all([startServer(), startServer('localhost')]);
    const flow = core.clientCredentials({ tokenUrl: a.tokenUrl, clientId, clientSecret });
    Object.assign(current, { a, b, tokens: core.createTokenManager({ flow, retry: false }) });
  });
  afterEach(async () => {
    await current.tokens?.close();
    await Promise.all([current.a?.close(), current.b?.close()]);
  });
  const field = <K extends keyof Loopback<Manager>>(key: K): Loopback<Manager>[K] => {
    const value = current[key];
    if (value === undefined) throw new Error(`useLoopback: read ${key} inside a test`);
    return value as Loopback<Manager>[K];
  };
  return {
    get a() {
      return field('a');
    },
    get b() {
      return field('b');
    },
    get tokens() {
      return field('tokens');
    },
  };
}
