/**
 * The behaviour every adapter shares against broken and hostile peers, specified once: header
 * values that cannot be sent unchanged, 401s from origins that never saw the token, an API that
 * rejects every token, and what a caller's error shows when it is logged. Each adapter runs it
 * with a small {@link AdapterDriver}, against two real {@link LoopbackServer}s (the API and token
 * endpoint on 127.0.0.1, another origin on localhost).
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invalidHeaders, validHeaderValue } from './header-values.ts';
import {
  clientId,
  clientSecret,
  closedPortOrigin,
  type LoopbackServer,
  startServer,
} from './loopback-server.ts';
import { renderings } from './renderings.ts';

/** The part of a token manager the suite uses itself. */
export interface ManagerLike {
  close(): Promise<void>;
}

/**
 * `createTokenManager` and `clientCredentials` of the core the adapter runs on: `@tokenwise/core`
 * for an adapter, core's own source for core's tests.
 */
export interface CoreFactories<Manager extends ManagerLike, Flow> {
  createTokenManager(options: { readonly flow: Flow; readonly retry: false }): Manager;
  clientCredentials(options: {
    readonly tokenUrl: string;
    readonly clientId: string;
    readonly clientSecret: string;
  }): Flow;
}

/** Extra headers as every adapter takes them: a record, or a function called per request. */
export type ExtraHeaders = Record<string, string> | (() => Record<string, string>);

/** What the suite asks a driver's client for. */
export interface ClientOptions<Manager> {
  readonly tokens: Manager;
  /** The client's base URL, where it has one (the default allowed origin). */
  readonly baseUrl: string;
  readonly headers?: ExtraHeaders;
  readonly origins?: readonly string[];
}

/** One request the suite sends; `url` is absolute. */
export interface SentRequest {
  readonly method?: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
}

/** A response as the suite reads it; header names in lower case. */
export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Reads a fetch `Response` into a {@link Reply} (for drivers of fetch-based clients).
 *
 * @example
 * send: async (fetch, { url, ...init }) => readResponse(await fetch(url, init)),
 */
export async function readResponse(response: Response): Promise<Reply> {
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: await response.text(),
  };
}

/**
 * How the suite drives one HTTP client with one adapter registered on it.
 *
 * @example
 * const fetchDriver: AdapterDriver<AuthFetch, TokenManager, Flow> = {
 *   core: { createTokenManager, clientCredentials },
 *   client: ({ tokens, headers, origins }) => createAuthFetch({ tokens, headers, origins }),
 *   send: async (fetch, { url, ...init }) => readResponse(await fetch(url, init)),
 *   outcome: (fetch, { url }) => fetch(url).catch((error: unknown) => error),
 *   status: (outcome) => (outcome instanceof Response ? outcome.status : undefined),
 *   isNetworkError: (outcome) => outcome instanceof TypeError,
 * };
 */
export interface AdapterDriver<Client, Manager extends ManagerLike = ManagerLike, Flow = unknown> {
  readonly core: CoreFactories<Manager, Flow>;
  /** A new client with the adapter registered; throws what registering throws. */
  client(options: ClientOptions<Manager>): Client;
  /**
   * Sends a request and resolves with the reply whatever its status (the client's "throw on
   * HTTP errors" turned off); rejects with what the client rejects with otherwise.
   */
  send(client: Client, request: SentRequest): Promise<Reply>;
  /** Sends with the client's defaults: what the caller gets, the value or the error. */
  outcome(client: Client, request: SentRequest): Promise<unknown>;
  /** The HTTP status an outcome carries (a response's, or the client's HTTP error's), if any. */
  status(outcome: unknown): number | undefined;
  /** Whether an outcome is the client's error for a connection refused or dropped. */
  isNetworkError(outcome: unknown): boolean;
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

/**
 * Runs the shared contract suite for one adapter on one client (call it once per client flavour:
 * axios's http and fetch adapters, got 14 and got 16).
 *
 * @example
 * describeAdapter('ky 2', {
 *   core: { createTokenManager, clientCredentials },
 *   client: ({ baseUrl, ...options }) => ky.create({ ...kyAuth(options), baseUrl }),
 *   send: async (api, { url, ...init }) =>
 *     readResponse(await api(url, { ...init, throwHttpErrors: false })),
 *   outcome: (api, { url }) => api(url).catch((error: unknown) => error),
 *   status: (outcome) => (isHTTPError(outcome) ? outcome.response.status : undefined),
 *   isNetworkError: (outcome) => outcome instanceof TypeError,
 * });
 */
export function describeAdapter<Client, Manager extends ManagerLike, Flow>(
  name: string,
  driver: AdapterDriver<Client, Manager, Flow>,
): void {
  describe(`${name}: the adapter contract`, () => {
    const loopback = useLoopback(driver.core);
    let a: LoopbackServer; // 127.0.0.1: token endpoint and API
    let b: LoopbackServer; // localhost: another origin
    let tokens: Manager;
    beforeEach(() => {
      ({ a, b, tokens } = loopback);
    });

    const client = (options: Omit<ClientOptions<Manager>, 'tokens' | 'baseUrl'> = {}): Client =>
      driver.client({ tokens, baseUrl: a.origin, ...options });
    const get = (from: Client, url: string): Promise<Reply> => driver.send(from, { url });
    const redirect = (from: LoopbackServer, to: string): string =>
      from.url(`/redirect?${new URLSearchParams({ to, status: '302' })}`);

    describe('header hygiene', () => {
      it.each(invalidHeaders)(
        'refuses static headers with $case at registration, naming the header',
        ({ headers, name }) => {
          expect(() => client({ headers })).toThrow(TypeError);
          expect(() => client({ headers })).toThrow(name);
        },
      );

      it.each(invalidHeaders)(
        'rejects a request whose header function returns $case with that TypeError, sending nothing',
        async ({ headers, name }) => {
          const error = await get(client({ headers: () => headers }), a.url('/members')).catch(
            (caught: unknown) => caught,
          );
          expect(error).toBeInstanceOf(TypeError);
          expect((error as object).constructor).toBe(TypeError); // not wrapped by the client
          expect(String(error)).toContain(name);
          expect(a.apiCalls).toHaveLength(0);
        },
      );

      it('sends every valid value byte for byte (1,000 values, static and from a function)', async () => {
        await fc.assert(
          fc.asyncProperty(validHeaderValue, fc.boolean(), async (value, fromFunction) => {
            const headers = { 'X-Value': value };
            const reply = await get(
              client({ headers: fromFunction ? () => headers : headers }),
              a.url('/members'),
            );
            expect(reply.status).toBe(200);
            expect(a.apiCalls.at(-1)?.headers['x-value']).toBe(value);
          }),
          { numRuns: 1_000 },
        );
      });
    });

    describe('origins', () => {
      it('neither drops nor renews the token for a 401 from a cross-origin redirect target, even an allowed one', async () => {
        const api = client({ origins: [a.origin, b.origin] });
        expect((await get(api, a.url('/warm'))).status).toBe(200);
        const reply = await get(api, redirect(a, b.url('/private')));
        expect(reply.status).toBe(401);
        expect(reply.headers['www-authenticate']).toBe('Bearer');
        expect(b.apiCalls).toHaveLength(1);
        expect(b.apiCalls[0]?.headers.authorization).toBeUndefined();
        expect(a.tokenRequests).toHaveLength(1);
        const again = await get(api, a.url('/members'));
        expect(JSON.parse(again.body)).toMatchObject({ authorization: 'Bearer tok-1' });
        expect(a.apiCalls.at(-1)?.headers.authorization).toBe('Bearer tok-1');
        expect(a.tokenRequests).toHaveLength(1);
      });

      it('neither drops nor renews the token for a 401 to a request that bounced off another origin back to the API (A → B → A)', async () => {
        const api = client({ origins: [a.origin, b.origin] });
        expect((await get(api, a.url('/warm'))).status).toBe(200);
        const reply = await get(api, redirect(a, redirect(b, a.url('/back'))));
        expect(reply.status).toBe(401);
        expect(a.apiCalls.at(-1)).toMatchObject({ path: '/back' });
        expect(a.apiCalls.at(-1)?.headers.authorization).toBeUndefined();
        expect(a.tokenRequests).toHaveLength(1);
        // No cool-down either: a genuine revocation is renewed at once.
        a.revokeAll();
        expect((await get(api, a.url('/members'))).status).toBe(200);
        expect(a.tokenRequests).toHaveLength(2);
      });

      it('sends nothing to, and retries nothing from, an origin outside origins', async () => {
        const reply = await get(client({ origins: [a.origin] }), b.url('/private'));
        expect(reply.status).toBe(401);
        expect(b.apiCalls).toHaveLength(1);
        expect(b.apiCalls[0]?.headers.authorization).toBeUndefined();
        expect(a.tokenRequests).toHaveLength(0);
      });
    });

    describe('bounded re-authorization', () => {
      it('costs at most 3 token requests for 20 sequential and 50 concurrent requests to distinct URLs of an always-401 API', async () => {
        const api = client();
        const statuses: number[] = [];
        for (let i = 0; i < 20; i++) {
          statuses.push((await get(api, a.url(`/always-401/sequential/${i}`))).status);
        }
        const sequential = a.tokenRequests.length;
        const concurrent = await Promise.all(
          Array.from({ length: 50 }, (_, i) => get(api, a.url(`/always-401/concurrent/${i}`))),
        );
        expect(statuses).toEqual(Array(20).fill(401));
        expect(concurrent.map((reply) => reply.status)).toEqual(Array(50).fill(401));
        expect({ sequential, total: a.tokenRequests.length }).toEqual({ sequential: 2, total: 2 });
      });

      it('shares the bound between clients of one manager: 20 requests alternating between two, distinct URLs', async () => {
        const first = client();
        const second = client({ headers: { 'X-Tenant-Id': 'acme' } });
        for (let i = 0; i < 20; i++) {
          const reply = await get(i % 2 === 0 ? first : second, a.url(`/always-401/shared/${i}`));
          expect(reply.status).toBe(401);
        }
        expect(a.tokenRequests).toHaveLength(2);
      });
    });

    describe('what the caller gets shows', () => {
      const tenantKey = 'tenant-key-91d2';
      const expectNoSecrets = (outcome: unknown): void => {
        expect(a.issued.length).toBeGreaterThan(0);
        // Every rendering, custom inspectors bypassed too (a logger may look past them).
        for (const rendering of renderings(outcome)) {
          for (const token of a.issued) expect(rendering).not.toContain(token);
          expect(rendering).not.toContain(tenantKey);
        }
      };

      it('a 401 after the one re-send shows neither the token nor the extra headers', async () => {
        const api = client({ headers: { 'X-Tenant-Key': tenantKey } });
        const outcome = await driver.outcome(api, { url: a.url('/always-401/members') });
        expect(driver.status(outcome)).toBe(401);
        expect(a.apiCalls.map((call) => call.headers.authorization)).toEqual([
          'Bearer tok-1',
          'Bearer tok-2',
        ]);
        expectNoSecrets(outcome);
      });

      it('a refused connection (nothing was sent) shows neither the token nor the extra headers', async () => {
        const closed = await closedPortOrigin();
        const api = client({ origins: [closed], headers: { 'X-Tenant-Key': tenantKey } });
        const outcome = await driver.outcome(api, { url: `${closed}/members` });
        expect(driver.isNetworkError(outcome)).toBe(true);
        expect(a.tokenRequests).toHaveLength(1); // the token was attached
        expectNoSecrets(outcome);
      });

      it('a connection dropped after the token was sent shows neither the token nor the extra headers', async () => {
        const api = client({ headers: { 'X-Tenant-Key': tenantKey } });
        const outcome = await driver.outcome(api, { url: a.url('/drop') });
        expect(driver.isNetworkError(outcome)).toBe(true);
        expect(a.apiCalls[0]?.headers.authorization).toBe('Bearer tok-1');
        expectNoSecrets(outcome);
      });
    });
  });
}
