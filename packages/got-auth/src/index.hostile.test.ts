/**
 * gotAuth against broken and hostile peers, with got 14 and got 16: header values that cannot be
 * sent unchanged, 401s from hosts that never saw the token, an API that rejects every token, and
 * what the error the caller gets shows when it is logged.
 */
import { inspect } from 'node:util';
import { clientCredentials, createTokenManager, type TokenManager } from '@tokenwise/core';
import fc from 'fast-check';
import got, { type ExtendOptions, type Got, HTTPError, type Options } from 'got';
import got14, { HTTPError as HTTPError14 } from 'got14';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GotAuthOptions, gotAuth } from './index.ts';
import { invalidHeaders, validHeaderValue } from './test-support/header-values.ts';
import {
  clientId,
  clientSecret,
  closedPortOrigin,
  type LoopbackServer,
  startServer,
} from './test-support/loopback-server.ts';

const majors: [string, Got, typeof HTTPError][] = [
  ['got 14', got14 as unknown as Got, HTTPError14 as unknown as typeof HTTPError],
  ['got 16', got, HTTPError],
];

describe.each(majors)('%s', (_major, base, HttpError) => {
  let a: LoopbackServer; // 127.0.0.1: token endpoint and API
  let b: LoopbackServer; // localhost: another origin
  let tokens: TokenManager;

  beforeEach(async () => {
    [a, b] = await Promise.all([startServer(), startServer('localhost')]);
    tokens = createTokenManager({
      flow: clientCredentials({ tokenUrl: a.tokenUrl, clientId, clientSecret }),
      retry: false,
    });
  });
  afterEach(async () => {
    await tokens.close();
    await Promise.all([a.close(), b.close()]);
  });

  const api = (auth: Partial<GotAuthOptions> = {}, defaults: ExtendOptions = {}): Got =>
    base.extend(
      { prefixUrl: a.origin, retry: { limit: 0 }, ...defaults },
      gotAuth({ tokens, ...auth }),
    );

  describe('header hygiene', () => {
    it.each(invalidHeaders)(
      'refuses static headers with $case at gotAuth(), naming the header',
      ({ headers, name }) => {
        expect(() => gotAuth({ tokens, headers })).toThrow(TypeError);
        expect(() => gotAuth({ tokens, headers })).toThrow(name);
      },
    );

    it.each(invalidHeaders)(
      'rejects a request whose header function returns $case with that TypeError, sending nothing',
      async ({ headers, name }) => {
        const error = await api({ headers: () => headers })('api/me').catch(
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(TypeError);
        expect(error).not.toHaveProperty('options'); // not wrapped in got's RequestError
        expect(String(error)).toContain(name);
        expect(a.apiCalls).toHaveLength(0);
      },
    );

    it('sends every valid value byte for byte (1,000 values, static and from a function)', async () => {
      await fc.assert(
        fc.asyncProperty(validHeaderValue, fc.boolean(), async (value, fromFunction) => {
          const headers = { 'X-Value': value };
          await api({ headers: fromFunction ? () => headers : headers })('api/me');
          expect(a.apiCalls.at(-1)?.headers['x-value']).toBe(value);
        }),
        { numRuns: 1_000 },
      );
    });
  });

  describe('origins', () => {
    const redirect = (to: string): string =>
      `redirect?${new URLSearchParams({ to, status: '302' })}`;

    it('neither drops nor renews the token for a 401 from a cross-origin redirect target, even an allowed one', async () => {
      const client = api({ origins: [a.origin, b.origin] });
      await client('api/warm');
      const response = await client(redirect(b.url('/private')), { throwHttpErrors: false });
      expect(response.statusCode).toBe(401);
      expect(b.apiCalls[0]?.headers.authorization).toBeUndefined();
      expect(a.tokenRequests).toHaveLength(1);
      await client('api/me');
      expect(a.apiCalls.at(-1)?.headers.authorization).toBe('Bearer tok-1');
      expect(a.tokenRequests).toHaveLength(1);
    });

    it('neither drops nor renews the token for a 401 to a request that bounced off another origin back to the API (A → B → A)', async () => {
      const client = api({ origins: [a.origin, b.origin] });
      await client('api/warm');
      const response = await client(redirect(b.url(`/${redirect(a.url('/back'))}`)), {
        throwHttpErrors: false,
      });
      expect(response.statusCode).toBe(401);
      expect(a.apiCalls.at(-1)).toMatchObject({ path: '/back' });
      expect(a.apiCalls.at(-1)?.headers.authorization).toBeUndefined();
      expect(a.tokenRequests).toHaveLength(1);
      // No cool-down either: a genuine revocation is renewed at once.
      a.revokeAll();
      expect((await client('api/me')).statusCode).toBe(200);
      expect(a.tokenRequests).toHaveLength(2);
    });

    it('retries nothing from an origin outside origins', async () => {
      const client = base.extend({ retry: { limit: 0 } }, gotAuth({ tokens, origins: [a.origin] }));
      const response = await client(b.url('/private'), { throwHttpErrors: false });
      expect(response.statusCode).toBe(401);
      expect(b.apiCalls[0]?.headers.authorization).toBeUndefined();
      expect(a.tokenRequests).toHaveLength(0);
    });
  });

  describe('bounded re-authorization', () => {
    it('costs at most 3 token requests for 20 sequential and 50 concurrent requests to distinct URLs of an always-401 API', async () => {
      const client = api({}, { throwHttpErrors: false });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) {
        statuses.push((await client(`always-401/sequential/${i}`)).statusCode);
      }
      const sequential = a.tokenRequests.length;
      const concurrent = await Promise.all(
        Array.from({ length: 50 }, (_, i) => client(`always-401/concurrent/${i}`)),
      );
      expect(statuses).toEqual(Array(20).fill(401));
      expect(concurrent.map((response) => response.statusCode)).toEqual(Array(50).fill(401));
      expect({ sequential, total: a.tokenRequests.length }).toEqual({ sequential: 2, total: 2 });
    });

    it('gives a request sent again with error.options (after the re-send failed) a re-send of its own', async () => {
      const client = api();
      await client('api/warm');
      a.failApi(401, 503); // the re-send with tok-2 fails for another reason
      const error = await client('api/me').catch((caught: unknown) => caught);
      expect(error).toMatchObject({ response: { statusCode: 503 } });
      expect(a.tokenRequests).toHaveLength(2);
      a.revokeAll(); // tok-2 is refused from now on: a genuine revocation
      const { options } = error as HTTPError;
      const again = await base(undefined, undefined, options as Options).json<{
        authorization: string;
      }>();
      expect(again.authorization).toBe('Bearer tok-3');
      expect(a.tokenRequests).toHaveLength(3);
    });

    it('shares the bound between instances of one manager: 20 requests alternating between two, distinct URLs', async () => {
      const first = api({}, { throwHttpErrors: false });
      const second = api({ headers: { 'X-Tenant-Id': 'acme' } }, { throwHttpErrors: false });
      for (let i = 0; i < 20; i++) {
        const response = await (i % 2 === 0 ? first : second)(`always-401/shared/${i}`);
        expect(response.statusCode).toBe(401);
      }
      expect(a.tokenRequests).toHaveLength(2);
    });
  });

  describe('what the error the caller gets shows', () => {
    const tenantKey = 'tenant-key-91d2';
    const renderings = (error: unknown): string[] => [
      String(error),
      JSON.stringify(error),
      inspect(error, { depth: Infinity }),
      inspect(error, { depth: Infinity, showHidden: true }),
    ];

    it('an HTTP error shows neither the token nor the extra headers, and its options can be sent again', async () => {
      const client = api({ headers: { 'X-Tenant-Key': tenantKey } });
      await client('api/warm');
      a.failApi(401, 401);
      const error = await client('api/me').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(HttpError);
      for (const rendering of renderings(error)) {
        for (const token of ['tok-1', 'tok-2']) expect(rendering).not.toContain(token);
        expect(rendering).not.toContain(tenantKey);
      }
      const { options } = error as HTTPError;
      const again = await base(undefined, undefined, options as Options).json<{
        authorization: string;
        tenant: string | null;
      }>();
      expect(again.authorization).toBe('Bearer tok-2');
      expect(a.apiCalls.at(-1)?.headers['x-tenant-key']).toBe(tenantKey);
    });

    it('a refused connection (nothing was sent) shows neither the token nor the extra headers', async () => {
      const closed = await closedPortOrigin();
      const client = api({ origins: [closed], headers: { 'X-Tenant-Key': tenantKey } });
      const error = await client(`${closed}/api/me`, { prefixUrl: '' }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({ code: 'ECONNREFUSED' });
      expect(a.tokenRequests).toHaveLength(1); // the token was attached
      for (const rendering of renderings(error)) {
        expect(rendering).not.toContain('tok-1');
        expect(rendering).not.toContain(tenantKey);
      }
    });

    it('a network error shows neither the token nor the extra headers', async () => {
      const client = api({ headers: { 'X-Tenant-Key': tenantKey } });
      await client('api/warm');
      const error = await client('hang', { timeout: { request: 50 } }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({ name: 'TimeoutError' });
      for (const rendering of renderings(error)) {
        expect(rendering).not.toContain('tok-1');
        expect(rendering).not.toContain(tenantKey);
      }
    });
  });
});
