/**
 * kyAuth against broken and hostile peers: header values that cannot be sent
 * unchanged, 401s from hosts that never saw the token, an API that rejects every token, and what
 * the error the caller gets shows when it is logged.
 */
import { inspect } from 'node:util';
import { clientCredentials, createTokenManager, type TokenManager } from '@tokenwise/core';
import fc from 'fast-check';
import ky2 from 'ky';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type KyAuthOptions, kyAuth } from './index.ts';
import { invalidHeaders, validHeaderValue } from './test-support/header-values.ts';
import { clientId, clientSecret, startServer, type TestServer } from './test-support/server.ts';

type Api = (input: string, options?: Record<string, unknown>) => Promise<Response>;

function createApi(options: KyAuthOptions, base: string | undefined): Api {
  const instance = ky2.create({ ...kyAuth(options), ...(base && { prefix: base }) });
  return (input, init) => instance(input, init);
}

describe('kyAuth', () => {
  let server: TestServer;
  let other: TestServer;
  let tokens: TokenManager;

  beforeEach(async () => {
    server = await startServer();
    other = await startServer();
    tokens = createTokenManager({
      flow: clientCredentials({ tokenUrl: `${server.origin}/token`, clientId, clientSecret }),
      retry: false,
    });
  });
  afterEach(async () => {
    await tokens.close();
    await Promise.all([server.close(), other.close()]);
  });

  /** An instance whose base URL is the test server. */
  const api = (options: Partial<KyAuthOptions> = {}): Api =>
    createApi({ tokens, ...options }, server.origin);

  describe('header hygiene', () => {
    it.each(invalidHeaders)(
      'refuses static headers with $case at kyAuth(), naming the header',
      ({ headers, name }) => {
        expect(() => kyAuth({ tokens, headers })).toThrow(TypeError);
        expect(() => kyAuth({ tokens, headers })).toThrow(name);
      },
    );

    it.each(invalidHeaders)(
      'rejects a request whose header function returns $case with that TypeError, sending nothing',
      async ({ headers, name }) => {
        const error = await api({ headers: () => headers })('echo').catch(
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(TypeError);
        expect(String(error)).toContain(name);
        expect(server.seen).toHaveLength(0);
      },
    );

    it('sends every valid value byte for byte (1,000 values, static and from a function)', async () => {
      await fc.assert(
        fc.asyncProperty(validHeaderValue, fc.boolean(), async (value, fromFunction) => {
          const headers = { 'X-Value': value };
          await api({ headers: fromFunction ? () => headers : headers })('echo');
          expect(server.seen.at(-1)?.headers['x-value']).toBe(value);
        }),
        { numRuns: 1_000 },
      );
    });
  });

  describe('origins', () => {
    const redirect = (to: string): string =>
      `redirect?${new URLSearchParams({ to, status: '302' })}`;

    it('neither drops nor renews the token for a 401 from a cross-origin redirect target, even an allowed one', async () => {
      const client = api({ origins: [server.origin, other.origin] });
      await client('echo');
      const response = await client(redirect(`${other.origin}/private`), {
        throwHttpErrors: false,
      });
      expect(response.status).toBe(401);
      expect(other.seen[0]?.authorization).toBeUndefined();
      expect(server.tokenRequests()).toBe(1);
      await client('echo');
      expect(server.seen.at(-1)?.authorization).toBe('Bearer tok-1');
      expect(server.tokenRequests()).toBe(1);
    });

    it('neither drops nor renews the token for a 401 to a request that bounced off another origin back to the API (A → B → A)', async () => {
      const client = api({ origins: [server.origin, other.origin] });
      await client('echo');
      const response = await client(
        redirect(`${other.origin}/${redirect(`${server.origin}/back`)}`),
        {
          throwHttpErrors: false,
        },
      );
      expect(response.status).toBe(401);
      expect(server.seen.at(-1)).toMatchObject({ path: '/back', authorization: undefined });
      expect(server.tokenRequests()).toBe(1);
      // No cool-down either: a genuine revocation is renewed at once.
      server.revokeAll();
      expect((await client('echo')).status).toBe(200);
      expect(server.tokenRequests()).toBe(2);
    });

    it('retries nothing from an origin outside origins', async () => {
      const client = createApi({ tokens, origins: [server.origin] }, undefined);
      const response = await client(`${other.origin}/private`, { throwHttpErrors: false });
      expect(response.status).toBe(401);
      expect(other.seen[0]?.authorization).toBeUndefined();
      expect(server.tokenRequests()).toBe(0);
    });
  });

  describe('bounded re-authorization', () => {
    it('costs at most 3 token requests for 20 sequential and 50 concurrent requests to distinct URLs of an always-401 API', async () => {
      const client = api();
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) {
        statuses.push(
          (await client(`always-401/sequential/${i}`, { throwHttpErrors: false })).status,
        );
      }
      const sequential = server.tokenRequests();
      const concurrent = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          client(`always-401/concurrent/${i}`, { throwHttpErrors: false }),
        ),
      );
      expect(statuses).toEqual(Array(20).fill(401));
      expect(concurrent.map((response) => response.status)).toEqual(Array(50).fill(401));
      expect({ sequential, total: server.tokenRequests() }).toEqual({ sequential: 2, total: 2 });
    });

    it('shares the bound between instances of one manager: 20 requests alternating between two, distinct URLs', async () => {
      const first = api();
      const second = api({ headers: { 'X-Tenant-Id': 'acme' } });
      for (let i = 0; i < 20; i++) {
        const response = await (i % 2 === 0 ? first : second)(`always-401/shared/${i}`, {
          throwHttpErrors: false,
        });
        expect(response.status).toBe(401);
      }
      expect(server.tokenRequests()).toBe(2);
    });
  });

  describe('what the error the caller gets shows', () => {
    const tenantKey = 'tenant-key-91d2';

    it('an HTTPError shows neither the token nor the extra headers', async () => {
      const error = await api({ headers: { 'X-Tenant-Key': tenantKey } })('always-401/x').catch(
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({ name: 'HTTPError' });
      expect(server.seen.map((seen) => seen.authorization)).toEqual([
        'Bearer tok-1',
        'Bearer tok-2',
      ]);
      for (const rendering of [
        String(error),
        JSON.stringify(error),
        inspect(error, { depth: Infinity }),
      ]) {
        for (const token of ['tok-1', 'tok-2']) expect(rendering).not.toContain(token);
        expect(rendering).not.toContain(tenantKey);
      }
    });
  });
});
