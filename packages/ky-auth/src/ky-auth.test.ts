import {
  clientCredentials,
  createTokenManager,
  TokenEndpointError,
  type TokenManager,
} from '@tokenwise/core';
import ky2 from 'ky';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type KyAuthDefaults, type KyAuthOptions, kyAuth } from './index.ts';
import { clientId, clientSecret, startServer, type TestServer } from './test-support/server.ts';

/** The part of a ky instance the tests use. */
type Api = (input: string | Request, options?: Record<string, unknown>) => Promise<Response>;

function createApi(defaults: KyAuthDefaults, extra: Record<string, unknown> = {}): Api {
  const instance = ky2.create({ ...defaults, ...extra });
  return (input, options) => instance(input, options);
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
      failureBackoffMs: 0,
    });
  });

  afterEach(async () => {
    await tokens.close();
    await Promise.all([server.close(), other.close()]);
  });

  /** An instance whose base URL is the test server. */
  const api = (options: Partial<KyAuthOptions> = {}, extra: Record<string, unknown> = {}): Api =>
    createApi(kyAuth({ tokens, ...options }), {
      prefix: server.origin,
      ...extra,
    });

  const httpStatus = async (promise: Promise<unknown>): Promise<number> => {
    const error = await promise.then(
      () => expect.unreachable('expected an HTTPError'),
      (e: unknown) => e as { name: string; response: Response },
    );
    expect(error.name).toBe('HTTPError');
    return error.response.status;
  };

  describe('attaching', () => {
    it('sends Authorization: Bearer <token> and the static extra headers', async () => {
      const res = await api({ headers: { 'X-Tenant-Id': 'acme' } })('echo');
      expect(res.status).toBe(200);
      expect(server.seen).toMatchObject([{ authorization: 'Bearer tok-1', tenant: 'acme' }]);
    });

    it('computes extra headers from the request URL, possibly async', async () => {
      const headers = vi.fn(async (url: URL) => ({ 'X-Tenant-Id': url.pathname.slice(1) }));
      await api({ headers })('tenant-7');
      expect(headers).toHaveBeenCalledWith(new URL(`${server.origin}/tenant-7`));
      expect(server.seen[0]?.tenant).toBe('tenant-7');
    });

    it('shares one token request among 100 parallel cold requests', async () => {
      const client = api();
      const results = await Promise.all(Array.from({ length: 100 }, () => client('echo')));
      expect(results.every((res) => res.status === 200)).toBe(true);
      expect(server.tokenRequests()).toBe(1);
      expect(new Set(server.seen.map((s) => s.authorization))).toEqual(new Set(['Bearer tok-1']));
    });

    it('carries the token on ky’s own retries (beforeRequest runs only once)', async () => {
      const res = await api({}, { retry: { limit: 1, delay: () => 0 } })('flaky');
      expect(res.status).toBe(200);
      expect(server.seen.map((s) => s.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1']);
      expect(server.tokenRequests()).toBe(1);
    });

    it('passes ky’s fetch-only options to the fetch given to ky', async () => {
      const fetch = vi.fn((input: string | URL | Request, init?: RequestInit) =>
        globalThis.fetch(input, init),
      );
      await api({}, { fetch })('echo', { marker: 'kept' });
      expect(fetch).toHaveBeenCalledWith(
        expect.any(Request),
        expect.objectContaining({ marker: 'kept' }),
      );
      expect(server.seen[0]?.authorization).toBe('Bearer tok-1');
    });
  });

  describe('401', () => {
    it('a 401 storm after revocation causes one token request and every request succeeds', async () => {
      const client = api();
      await client('echo');
      server.revokeAll();
      const results = await Promise.all(Array.from({ length: 50 }, () => client('echo')));
      expect(results.every((res) => res.status === 200)).toBe(true);
      expect(server.tokenRequests()).toBe(2);
      expect(server.seen.filter((s) => s.authorization === 'Bearer tok-2')).toHaveLength(50);
    });

    it('an API that always answers 401: one re-send, the 401 surfaces, then 401s at once', async () => {
      const client = api();
      expect(await httpStatus(client('always-401'))).toBe(401);
      expect(server.seen).toHaveLength(2);
      expect(server.tokenRequests()).toBe(2);
      // The token fetched for the re-send was refused too: re-authorization cools down, later 401s
      // are returned without a re-send or a token request.
      for (let i = 1; i <= 2; i++) {
        expect(await httpStatus(client('always-401'))).toBe(401);
        expect(server.seen).toHaveLength(2 + i);
      }
      const res = await client('always-401', { throwHttpErrors: false });
      expect(res.status).toBe(401);
      expect(server.seen).toHaveLength(5);
      expect(server.tokenRequests()).toBe(2);
    });

    it('re-sends a POST with the identical body and headers', async () => {
      const client = api({ headers: { 'X-Tenant-Id': 'acme' } });
      await client('echo');
      server.revokeAll();
      const res = await client('orders', { method: 'post', json: { item: 'книга', qty: 2 } });
      expect(await res.json()).toEqual({ path: '/orders', body: '{"item":"книга","qty":2}' });
      const [first, second] = server.seen.slice(1);
      expect(first).toMatchObject({ method: 'POST', authorization: 'Bearer tok-1' });
      expect(second).toMatchObject({
        method: 'POST',
        authorization: 'Bearer tok-2',
        tenant: 'acme',
      });
      expect(second?.body).toBe(first?.body);
      expect(second?.contentType).toBe(first?.contentType);
    });

    it('does not re-send a streamed body: the 401 surfaces and nothing is invalidated', async () => {
      const client = api();
      await client('echo');
      server.revokeAll();
      const body = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('chunk'));
          controller.close();
        },
      });
      expect(await httpStatus(client('upload', { method: 'post', body }))).toBe(401);
      expect(server.seen.slice(1)).toMatchObject([{ path: '/upload', body: 'chunk' }]);
      expect(server.tokenRequests()).toBe(1);
    });

    it('retryOn401: false returns the first 401', async () => {
      expect(await httpStatus(api({ retryOn401: false })('always-401'))).toBe(401);
      expect(server.seen).toHaveLength(1);
      expect(server.tokenRequests()).toBe(1);
    });
  });

  describe('origins and redirects', () => {
    it('keeps the token and extra headers on a same-origin redirect', async () => {
      const res = await api({ headers: { 'X-Tenant-Id': 'acme' } })('redirect?to=/echo');
      expect(res.status).toBe(200);
      expect(server.seen.map((s) => [s.path, s.authorization, s.tenant])).toEqual([
        ['/redirect', 'Bearer tok-1', 'acme'],
        ['/echo', 'Bearer tok-1', 'acme'],
      ]);
    });

    it('drops the token and extra headers on a cross-origin redirect (127.0.0.1 → localhost)', async () => {
      const to = encodeURIComponent(`${other.originAs('localhost')}/public`);
      for (const status of [302, 307]) {
        const res = await api({ headers: { 'X-Tenant-Id': 'acme' } })(
          `redirect?to=${to}&status=${status}`,
        );
        expect(res.status).toBe(200);
      }
      expect(server.seen.map((s) => [s.authorization, s.tenant])).toEqual([
        ['Bearer tok-1', 'acme'],
        ['Bearer tok-1', 'acme'],
      ]);
      expect(other.seen.map((s) => [s.path, s.authorization, s.tenant])).toEqual([
        ['/public', undefined, undefined],
        ['/public', undefined, undefined],
      ]);
    });

    it('sends no token to an origin other than the base URL’s', async () => {
      // A Request input is not prefixed: it goes to the other origin.
      const res = await api({ headers: { 'X-Tenant-Id': 'acme' } })(
        new Request(`${other.originAs('localhost')}/public`),
      );
      expect(res.status).toBe(200);
      expect(other.seen).toMatchObject([{ authorization: undefined, tenant: undefined }]);
      expect(server.tokenRequests()).toBe(0);
    });

    it('`origins` replaces the base URL as the allow-list', async () => {
      const client = api({ origins: [other.originAs('localhost')] });
      await client('public');
      await client(new Request(`${other.originAs('localhost')}/public`));
      expect(server.seen).toMatchObject([{ authorization: undefined }]);
      expect(other.seen).toMatchObject([{ authorization: 'Bearer tok-1' }]);
    });

    it('with no base URL and no `origins`, every request gets the token', async () => {
      const client = createApi(kyAuth({ tokens }));
      await client(`${other.originAs('localhost')}/public`);
      expect(other.seen).toMatchObject([{ authorization: 'Bearer tok-1' }]);
    });

    it('`context: { skipAuth: true }` sends the request without a token', async () => {
      const res = await api({ headers: { 'X-Tenant-Id': 'acme' } })('public', {
        context: { skipAuth: true },
      });
      expect(res.status).toBe(200);
      expect(server.seen).toMatchObject([{ authorization: undefined, tenant: undefined }]);
      expect(server.tokenRequests()).toBe(0);
    });
  });

  describe('abort, timeout and errors', () => {
    it('an abort while waiting for the token rejects with the AbortError', async () => {
      let release!: () => void;
      server.gate = new Promise((resolve) => {
        release = resolve;
      });
      const controller = new AbortController();
      const pending = api()('echo', { signal: controller.signal });
      await vi.waitFor(() => expect(server.tokenRequests()).toBe(1));
      controller.abort();
      await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
      release();
      expect(server.seen).toHaveLength(0);
    });

    it('an abort during the API call rejects with the AbortError', async () => {
      const controller = new AbortController();
      const pending = api()('hang', { signal: controller.signal });
      await vi.waitFor(() => expect(server.seen).toHaveLength(1));
      controller.abort();
      await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    });

    it('ky’s timeout covers the wait for the token', async () => {
      server.gate = new Promise(() => {});
      const pending = api({}, { timeout: 50, retry: 0 })('echo');
      await expect(pending).rejects.toMatchObject({ name: 'TimeoutError' });
    });

    it('the manager’s TokenEndpointError reaches the caller unchanged, without a ky retry', async () => {
      server.failNextToken(400, { error: 'invalid_client', error_description: 'bad secret' });
      server.failNextToken(400, { error: 'invalid_client', error_description: 'bad secret' });
      server.failNextToken(400, { error: 'invalid_client', error_description: 'bad secret' });
      const error = await api(
        {},
        { retry: { limit: 2, delay: () => 0 } },
      )('echo').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenEndpointError);
      expect(error).toMatchObject({ status: 400, error: 'invalid_client' });
      expect(server.tokenRequests()).toBe(1);
      expect(server.seen).toHaveLength(0);
    });

    it('leaves no token on the Request that ky’s HTTPError carries (it may be logged)', async () => {
      const error = (await api({ headers: { 'X-Tenant-Id': 'acme' } })('always-401').catch(
        (e: unknown) => e,
      )) as { name: string; request: Request };
      expect(error.name).toBe('HTTPError');
      expect(server.seen.at(-1)?.authorization).toBe('Bearer tok-2');
      expect(error.request.headers.has('authorization')).toBe(false);
      expect(error.request.headers.has('x-tenant-id')).toBe(false);
    });

    it('sends through the fetch given to ky, before or after kyAuth, redirect hops included', async () => {
      const sent: string[] = [];
      const fetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
        sent.push(new URL(input instanceof Request ? input.url : input).pathname);
        return globalThis.fetch(input, init);
      };
      const before = ky2.create({ fetch, prefix: server.origin }).extend(kyAuth({ tokens }));
      const after = ky2.create({ ...kyAuth({ tokens }), prefix: server.origin }).extend({ fetch });
      for (const client of [before, after])
        expect((await client('redirect?to=/echo')).status).toBe(200);
      expect(sent).toEqual(['/redirect', '/echo', '/redirect', '/echo']);
      expect(server.seen.map((s) => s.authorization)).toEqual(Array(4).fill('Bearer tok-1'));
    });
  });
});

describe('ky 2 baseUrl', () => {
  it('is the default allowed origin', async () => {
    const server = await startServer();
    const tokens = createTokenManager({
      flow: clientCredentials({ tokenUrl: `${server.origin}/token`, clientId, clientSecret }),
    });
    try {
      const api = ky2.create({ ...kyAuth({ tokens }), baseUrl: `${server.origin}/v1/` });
      await api('echo');
      await api(`${server.originAs('localhost')}/public`);
      expect(server.seen.map((s) => [s.path, s.authorization])).toEqual([
        ['/v1/echo', 'Bearer tok-1'],
        ['/public', undefined],
      ]);
    } finally {
      await tokens.close();
      await server.close();
    }
  });
});

describe('kyAuth options', () => {
  it('throws a TypeError naming the bad option', async () => {
    const tokens = createTokenManager({
      flow: clientCredentials({ tokenUrl: 'http://127.0.0.1:1/token', clientId, clientSecret }),
    });
    expect(() => kyAuth({} as KyAuthOptions)).toThrow(/tokens/);
    expect(() => kyAuth({ tokens, origins: ['not a url'] })).toThrow(/origins/);
    const withFetch = { tokens, fetch: globalThis.fetch } as KyAuthOptions;
    expect(() => kyAuth(withFetch)).toThrow(/pass fetch to ky/);
    await tokens.close();
  });
});
