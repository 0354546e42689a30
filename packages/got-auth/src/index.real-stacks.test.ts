/**
 * gotAuth configured as real services use it, with got 14 and got 16: several registrations on one
 * instance (one per vendor), got's own retries, the user's hooks before and after ours, and a
 * service whose header function reads the tenant from an AsyncLocalStorage store.
 */
import { readFileSync } from 'node:fs';
import { clientCredentials, createTokenManager, type TokenManager } from '@tokenwise/core';
import { clientId, clientSecret, type LoopbackServer, startServer } from '@tokenwise/test-kit';
import got, { type ExtendOptions, type Got, type Hooks, HTTPError } from 'got';
import got14, { HTTPError as HTTPError14 } from 'got14';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gotAuth } from './index.ts';
import { createVendorClient, getMember, withTenant } from './test-support/fastify-recipe.ts';

const majors: [string, Got, typeof HTTPError][] = [
  ['got 14', got14 as unknown as Got, HTTPError14 as unknown as typeof HTTPError],
  ['got 16', got, HTTPError],
];

interface Echo {
  authorization: string | null;
  tenant: string | null;
}

/** got's retry on 503 only, without waiting (got's backoff is capped at 1 ms, no noise). */
const retryOn503 = (limit: number) =>
  ({ retry: { limit, statusCodes: [503], backoffLimit: 1, noise: 0 } }) satisfies ExtendOptions;

const managerOf = (server: LoopbackServer): TokenManager =>
  createTokenManager({
    flow: clientCredentials({ tokenUrl: server.tokenUrl, clientId, clientSecret }),
  });

describe.each(majors)('%s', (_major, base, HttpError) => {
  let a: LoopbackServer;
  let tokens: TokenManager;

  beforeEach(async () => {
    a = await startServer();
    tokens = managerOf(a);
  });
  afterEach(async () => {
    await tokens.close();
    await a.close();
  });

  describe('several registrations on one instance', () => {
    let vendors: { server: LoopbackServer; tokens: TokenManager }[];
    beforeEach(async () => {
      const servers = await Promise.all([startServer(), startServer('localhost'), startServer()]);
      vendors = servers.map((server) => ({ server, tokens: managerOf(server) }));
    });
    afterEach(async () => {
      await Promise.all(
        vendors.map(async (v) => Promise.all([v.tokens.close(), v.server.close()])),
      );
    });

    /** One instance, one gotAuth per vendor, each with its own manager, origin and tenant. */
    const client = (): Got =>
      base.extend(
        retryOn503(0),
        ...vendors.map(({ server, tokens }, i) =>
          gotAuth({ tokens, origins: [server.origin], headers: { 'X-Tenant-Id': `vendor-${i}` } }),
        ),
      );

    it("renews the second vendor's revoked token with its own manager", async () => {
      const [first, second] = vendors as [(typeof vendors)[0], (typeof vendors)[0]];
      const api = client();
      await api(first.server.url('/api/warm'));
      await api(second.server.url('/api/warm'));
      second.server.revokeAll();
      const echo = await api(second.server.url('/api/after-revocation')).json<Echo>();
      expect(echo).toMatchObject({ authorization: 'Bearer tok-2', tenant: 'vendor-1' });
      expect(second.server.tokenRequests).toHaveLength(2);
      expect(first.server.tokenRequests).toHaveLength(1);
      expect((await first.tokens.getToken()).accessToken).toBe('tok-1');
      // The renewed token works at once: nothing cools down in either manager.
      second.server.revokeAll();
      expect((await api(second.server.url('/api/again')).json<Echo>()).authorization).toBe(
        'Bearer tok-3',
      );
    });

    it('keeps every vendor to its own token, headers and 401s, under concurrent revocations', async () => {
      const api = client();
      await Promise.all(vendors.map(({ server }) => api(server.url('/api/warm'))));
      for (const { server } of vendors) server.revokeAll();
      const echoes = await Promise.all(
        vendors.flatMap(({ server }) =>
          Array.from({ length: 10 }, (_, n) => api(server.url(`/api/${n}`)).json<Echo>()),
        ),
      );
      expect(echoes).toHaveLength(30);
      for (const [i, { server }] of vendors.entries()) {
        expect(server.tokenRequests).toHaveLength(2);
        // 1 warm-up + 10 refused + 10 re-sent, each with this vendor's header only.
        expect(server.apiCalls).toHaveLength(21);
        for (const call of server.apiCalls) expect(call.headers['x-tenant-id']).toBe(`vendor-${i}`);
        const sent = server.apiCalls.map((call) => call.headers.authorization);
        expect(sent.filter((value) => value === 'Bearer tok-1')).toHaveLength(11);
        expect(sent.filter((value) => value === 'Bearer tok-2')).toHaveLength(10);
      }
    });
  });

  describe("got's own retries", () => {
    it('answers 401, 503, 503 with the 200 that retry.limit 2 allows', async () => {
      const delays: string[] = [];
      const api = base.extend(
        { prefixUrl: a.origin },
        retryOn503(2),
        {
          retry: {
            calculateDelay: ({ attemptCount, error, computedValue }) => {
              delays.push(`${error.name} ${attemptCount}`);
              return computedValue;
            },
          },
        },
        gotAuth({ tokens }),
      );
      a.failApi(401, 503, 503);
      const echo = await api('api/flaky').json<Echo>();
      expect(echo.authorization).toBe('Bearer tok-2');
      expect(a.apiCalls.map((call) => call.headers.authorization)).toEqual([
        'Bearer tok-1',
        'Bearer tok-2',
        'Bearer tok-2',
        'Bearer tok-2',
      ]);
      expect(a.tokenRequests).toHaveLength(2);
      // The re-send is gotAuth's: calculateDelay is not asked about it, nor counts it.
      expect(delays).toEqual(['HTTPError 1', 'HTTPError 2']);

      // One re-authorization per call: a 401 on one of got's retries after the re-send is the answer.
      a.failApi(401, 503, 401);
      await expect(api('api/again')).rejects.toMatchObject({ response: { statusCode: 401 } });
      expect(a.apiCalls).toHaveLength(4 + 3);
      expect(a.tokenRequests).toHaveLength(3);
    });

    it('re-authorizes a call once, also when a 401 follows a got retry of the re-send', async () => {
      const own = managerOf(a); // a fresh manager: no per-manager bound hides a second renewal
      const api = base.extend({ prefixUrl: a.origin }, retryOn503(3), gotAuth({ tokens: own }));
      const before = { calls: a.apiCalls.length, tokens: a.tokenRequests.length };
      a.failApi(401, 503, 401);
      await expect(api('api/once')).rejects.toMatchObject({ response: { statusCode: 401 } });
      expect(a.apiCalls.length - before.calls).toBe(3); // first, the re-send, got's retry
      expect(a.tokenRequests.length - before.tokens).toBe(2); // the cold start, one renewal
    });

    it('bounds a call by retry.limit + 2 requests: the first, got’s retries and the one re-send', async () => {
      for (const limit of [0, 1, 2, 3]) {
        const own = managerOf(a); // each call's re-authorization is its manager's first
        const api = base.extend(
          { prefixUrl: a.origin },
          retryOn503(limit),
          gotAuth({ tokens: own }),
        );
        const before = { calls: a.apiCalls.length, tokens: a.tokenRequests.length };
        a.failApi(401, ...Array<number>(limit + 1).fill(503));
        const error: unknown = await api(`api/limit-${limit}`).catch((caught: unknown) => caught);
        await own.close();
        expect(error).toBeInstanceOf(HttpError);
        expect(error).toMatchObject({ response: { statusCode: 503 } });
        expect(a.apiCalls.length - before.calls).toBe(limit + 2);
        expect(a.tokenRequests.length - before.tokens).toBe(2); // the first token, and one renewal
      }
    });
  });

  describe("the user's hooks", () => {
    /** Hooks that log what they see, and make the final answer's body their own. */
    const logging = (log: string[]): Partial<Hooks> => ({
      beforeRequest: [(options) => void log.push(`request ${options.headers.authorization}`)],
      beforeRetry: [(error, count) => void log.push(`retry ${count} after ${error.name}`)],
      afterResponse: [
        (response) => {
          log.push(`response ${response.statusCode}`);
          response.body = `seen: ${String(response.body)}`;
          return response;
        },
      ],
      beforeError: [
        (error) => {
          log.push(`error ${error.name} ${String(error.options?.headers.authorization)}`);
          return error;
        },
      ],
    });

    const stacks: [string, (log: string[]) => Got][] = [
      [
        'after gotAuth, in the same extend()',
        (log) =>
          base.extend({ prefixUrl: a.origin }, retryOn503(2), gotAuth({ tokens }), {
            hooks: logging(log),
          }),
      ],
      [
        'after gotAuth, in a later extend()',
        (log) =>
          base
            .extend({ prefixUrl: a.origin }, retryOn503(2), gotAuth({ tokens }))
            .extend({ hooks: logging(log) }),
      ],
    ];

    it.each(stacks)(
      'registered %s: see each request once and only the final answer, and shape what the caller gets',
      async (_where, stack) => {
        const log: string[] = [];
        const api = stack(log);
        a.failApi(401, 503, 503);
        const response = await api('api/me');
        expect(response.statusCode).toBe(200);
        expect(response.body).toMatch(/^seen: \{"authorization":"Bearer tok-2"/);
        expect(log).toEqual([
          'request Bearer tok-1',
          // The re-send is gotAuth's: beforeRetry neither sees it nor counts it.
          'request Bearer tok-2',
          'response 503',
          'retry 1 after HTTPError',
          'request Bearer tok-2',
          'response 503',
          'retry 2 after HTTPError',
          'request Bearer tok-2',
          'response 200',
        ]);

        // A refused re-send and a token failure: errors arrive redacted, or as the manager's own.
        log.length = 0;
        await expect(api('always-401')).rejects.toBeInstanceOf(HttpError);
        expect(log.slice(-2)).toEqual(['response 401', 'error HTTPError [redacted]']);
        await tokens.invalidate((await tokens.getToken()).accessToken);
        a.failTokens({ status: 400, body: { error: 'invalid_client' } });
        await expect(api('api/me')).rejects.toMatchObject({ name: 'TokenEndpointError' });
        expect(log.at(-1)).toBe('error TokenEndpointError undefined');
      },
    );

    it('registered before gotAuth: also see the 401 it answers, the stale token, and errors unredacted', async () => {
      const log: string[] = [];
      const api = base
        .extend({ prefixUrl: a.origin, hooks: logging(log) }, retryOn503(2))
        .extend(gotAuth({ tokens }));
      a.failApi(401, 503, 503);
      const response = await api('api/me');
      expect(response.body).toMatch(/^seen: \{"authorization":"Bearer tok-2"/);
      expect(log).toEqual([
        'request undefined',
        'response 401',
        'request Bearer tok-1',
        'response 503',
        'retry 1 after HTTPError',
        'request Bearer tok-2',
        'response 503',
        'retry 2 after HTTPError',
        'request Bearer tok-2',
        'response 200',
      ]);
      log.length = 0;
      const error: unknown = await api('always-401').catch((caught: unknown) => caught);
      expect(log.at(-1)).toBe('error HTTPError Bearer tok-3');
      // What the caller gets is redacted all the same.
      expect(error).toMatchObject({ options: { headers: { authorization: '[redacted]' } } });
      await tokens.invalidate('tok-3');
      a.failTokens({ status: 400, body: { error: 'invalid_client' } });
      await expect(api('api/me')).rejects.toMatchObject({ name: 'TokenEndpointError' });
      expect(log.at(-1)).toBe('error RequestError undefined');
    });
  });

  describe('a service with the tenant in AsyncLocalStorage (docs/recipes/fastify.md)', () => {
    it('gives each of many concurrent requests its own tenant, through re-sends and retries', async () => {
      const { vendor, tokens: vendorTokens } = createVendorClient({
        apiUrl: a.origin,
        tokenUrl: a.tokenUrl,
        clientId,
        clientSecret,
        backoffLimitMs: 1,
      });
      try {
        /** What Fastify does for each request: the onRequest hook, then the route handler. */
        const serve = (tenant: string, memberId: string): Promise<unknown> =>
          new Promise((resolve, reject) => {
            withTenant({ headers: { 'x-tenant-id': tenant } }, {}, () => {
              getMember(vendor, memberId).then(resolve, reject);
            });
          });
        await serve('warm', 'warm');
        a.revokeAll();
        const calls = Array.from({ length: 20 }, (_, i) => [`tenant-${i % 5}`, `m${i}`] as const);
        // Every first attempt is refused; then each re-send and got's next retry get a 503.
        for (const [, member] of calls) a.failAuthorized(`/members/${member}`, 503, 503);
        const echoes = (await Promise.all(
          calls.map(([tenant, member]) => serve(tenant, member)),
        )) as Echo[];
        expect(echoes.map((echo) => echo.tenant)).toEqual(calls.map(([tenant]) => tenant));
        expect(a.apiCalls).toHaveLength(1 + 4 * calls.length);
        for (const call of a.apiCalls.slice(1)) {
          const member = call.path.split('/').at(-1);
          const tenant = calls.find(([, m]) => m === member)?.[0];
          expect(call.headers['x-tenant-id']).toBe(tenant);
        }
        expect(a.tokenRequests).toHaveLength(2);
        // Outside a request there is no tenant: the call fails before anything is sent.
        await expect(getMember(vendor, 'm0')).rejects.toThrow(/no tenant/);
        expect(a.apiCalls).toHaveLength(1 + 4 * calls.length);
        const refused: (Error | undefined)[] = [];
        withTenant({ headers: {} }, {}, (error) => void refused.push(error));
        expect(refused).toMatchObject([{ message: 'X-Tenant-Id is required', statusCode: 400 }]);
      } finally {
        await vendorTokens.close();
      }
    });
  });
});

describe('docs/recipes/fastify.md', () => {
  it('quotes src/test-support/fastify-recipe.ts verbatim', () => {
    const page = readFileSync(new URL('../../../docs/recipes/fastify.md', import.meta.url), 'utf8');
    const source = readFileSync(new URL('test-support/fastify-recipe.ts', import.meta.url), 'utf8');
    const block = /^```ts title="fastify-recipe\.ts"\n([\s\S]*?)^```$/m.exec(page)?.[1];
    expect(block).toBe(source);
  });
});
