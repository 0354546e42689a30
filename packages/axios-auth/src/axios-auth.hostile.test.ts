/**
 * axiosAuth against broken and hostile peers, through axios's http adapter and its fetch adapter:
 * header values that cannot be sent unchanged, 401s from hosts that never saw the token, an API
 * that rejects every token, and what the error the caller gets shows when it is logged.
 */
import { inspect } from 'node:util';
import { clientCredentials, createTokenManager, type TokenManager } from '@tokenwise/core';
import axios, { type AxiosInstance, isAxiosError } from 'axios';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AxiosAuthOptions, axiosAuth } from './axios-auth.ts';
import { invalidHeaders, validHeaderValue } from './test-support/header-values.ts';
import { closedPortOrigin, json, startServer, type TestServer } from './test-support/server.ts';

let server: TestServer;
/** Another origin: the same host, another port. */
let other: TestServer;
let tokens: TokenManager;

beforeEach(async () => {
  server = await startServer();
  other = await startServer();
  tokens = createTokenManager({
    flow: clientCredentials({ tokenUrl: `${server.url}/token`, clientId: 'c', clientSecret: 's' }),
    retry: false,
  });
});

afterEach(async () => {
  await tokens.close();
  await Promise.all([server.close(), other.close()]);
});

describe.each(['http', 'fetch'] as const)('with the %s adapter', (adapter) => {
  function client(options: Partial<AxiosAuthOptions> = {}): AxiosInstance {
    const api = axios.create({ baseURL: server.url, adapter });
    axiosAuth(api, { tokens, ...options });
    return api;
  }

  describe('header hygiene', () => {
    it.each(invalidHeaders)(
      'refuses static headers with $case at registration, naming the header',
      ({ headers, name }) => {
        const api = axios.create({ baseURL: server.url, adapter });
        expect(() => axiosAuth(api, { tokens, headers })).toThrow(TypeError);
        expect(() => axiosAuth(api, { tokens, headers })).toThrow(name);
      },
    );

    it.each(invalidHeaders)(
      'rejects a request whose header function returns $case with that TypeError, sending nothing',
      async ({ headers, name }) => {
        const error = await client({ headers: () => headers })
          .get('/members')
          .catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(TypeError);
        expect(String(error)).toContain(name);
        expect(server.calls).toHaveLength(0);
      },
    );

    it('sends every valid value byte for byte (1,000 values, static and from a function)', async () => {
      await fc.assert(
        fc.asyncProperty(validHeaderValue, fc.boolean(), async (value, fromFunction) => {
          const headers = { 'X-Value': value };
          await client({ headers: fromFunction ? () => headers : headers }).get('/members');
          expect(server.calls.at(-1)?.headers['x-value']).toBe(value);
        }),
        { numRuns: 1_000 },
      );
    });
  });

  describe('origins', () => {
    const redirectTo = (to: string): void =>
      server.route('/redirect', (_request, response) => {
        response.writeHead(302, { location: to });
        response.end();
      });

    it('neither drops nor renews the token for a 401 from a cross-origin redirect target, even an allowed one', async () => {
      const api = client({ origins: [server.url, other.url] });
      await api.get('/warm');
      redirectTo(`${other.url}/private`);
      const response = await api.get('/redirect', { validateStatus: () => true });
      expect(response.status).toBe(401);
      expect(other.calls[0]?.headers.authorization).toBeUndefined();
      expect(server.tokenRequests).toHaveLength(1);
      await api.get('/members');
      expect(server.calls.at(-1)?.headers.authorization).toBe('Bearer tok-1');
      expect(server.tokenRequests).toHaveLength(1);
    });

    it('neither drops nor renews the token for a 401 to a request that bounced off another origin back to the API (A → B → A)', async () => {
      const api = client({ origins: [server.url, other.url] });
      await api.get('/warm');
      redirectTo(`${other.url}/bounce`);
      other.route('/bounce', (_request, response) => {
        response.writeHead(302, { location: `${server.url}/back` });
        response.end();
      });
      const response = await api.get('/redirect', { validateStatus: () => true });
      expect(response.status).toBe(401);
      expect(server.calls.at(-1)).toMatchObject({ path: '/back' });
      expect(server.calls.at(-1)?.headers.authorization).toBeUndefined();
      expect(server.tokenRequests).toHaveLength(1);
      // No cool-down either: a genuine revocation is renewed at once.
      server.valid.clear();
      expect((await api.get('/members')).status).toBe(200);
      expect(server.tokenRequests).toHaveLength(2);
    });

    it('retries nothing from an origin outside origins', async () => {
      const api = client({ origins: [server.url] });
      const response = await api.get(`${other.url}/private`, { validateStatus: () => true });
      expect(response.status).toBe(401);
      expect(other.calls[0]?.headers.authorization).toBeUndefined();
      expect(server.tokenRequests).toHaveLength(0);
    });
  });

  describe('bounded re-authorization', () => {
    it('costs at most 3 token requests for 20 sequential and 50 concurrent requests to distinct URLs of an always-401 API', async () => {
      server.always401 = true;
      const api = client();
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) {
        statuses.push((await api.get(`/sequential/${i}`, { validateStatus: () => true })).status);
      }
      const sequential = server.tokenRequests.length;
      const concurrent = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          api.get(`/concurrent/${i}`).catch((error: unknown) => error),
        ),
      );
      expect(statuses).toEqual(Array(20).fill(401));
      expect(concurrent.map((error) => isAxiosError(error) && error.response?.status)).toEqual(
        Array(50).fill(401),
      );
      expect({ sequential, total: server.tokenRequests.length }).toEqual({
        sequential: 2,
        total: 2,
      });
    });

    it('shares the bound between instances of one manager: 20 requests alternating between two, distinct URLs', async () => {
      server.always401 = true;
      const first = client();
      const second = client({ headers: { 'X-Tenant-Id': 'acme' } });
      for (let i = 0; i < 20; i++) {
        const response = await (i % 2 === 0 ? first : second).get(`/shared/${i}`, {
          validateStatus: () => true,
        });
        expect(response.status).toBe(401);
      }
      expect(server.tokenRequests).toHaveLength(2);
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

    it('an HTTP error shows neither the token nor the extra headers, and its config can be sent again', async () => {
      const api = client({ headers: { 'X-Tenant-Key': tenantKey } });
      server.route('/flaky', (request, response) =>
        json(
          response,
          server.callsTo('/flaky').length > 2 && server.authorized(request) ? 200 : 401,
          {},
        ),
      );
      const error = await api.get('/flaky').catch((caught: unknown) => caught);
      expect(isAxiosError(error) && error.response?.status).toBe(401);
      for (const rendering of renderings(error)) {
        for (const token of ['tok-1', 'tok-2']) expect(rendering).not.toContain(token);
        expect(rendering).not.toContain(tenantKey);
      }
      if (!isAxiosError(error) || error.config === undefined) throw new Error('no config');
      const response = await api.request(error.config);
      expect(response.status).toBe(200);
      expect(server.calls.at(-1)?.headers.authorization).toBe('Bearer tok-2');
      expect(server.calls.at(-1)?.headers['x-tenant-key']).toBe(tenantKey);
    });

    it('a refused connection (nothing was sent) shows neither the token nor the extra headers', async () => {
      const closed = await closedPortOrigin();
      const api = client({ origins: [closed], headers: { 'X-Tenant-Key': tenantKey } });
      const error = await api.get(`${closed}/members`).catch((caught: unknown) => caught);
      expect(
        isAxiosError(error) && ['ECONNREFUSED', 'ERR_NETWORK'].includes(error.code ?? ''),
      ).toBe(true);
      expect(server.tokenRequests).toHaveLength(1); // the token was attached
      for (const rendering of renderings(error)) {
        expect(rendering).not.toContain('tok-1');
        expect(rendering).not.toContain(tenantKey);
      }
    });

    it('a network error shows neither the token nor the extra headers', async () => {
      const api = client({ headers: { 'X-Tenant-Key': tenantKey } });
      server.route('/drop', (_request, response) => {
        response.socket?.destroy();
      });
      const error = await api.get('/drop').catch((caught: unknown) => caught);
      expect(isAxiosError(error)).toBe(true);
      for (const rendering of renderings(error)) {
        expect(rendering).not.toContain('tok-1');
        expect(rendering).not.toContain(tenantKey);
      }
    });
  });
});
