import {
  clientCredentials,
  createTokenManager,
  TokenEndpointError,
  type TokenManager,
} from '@tokenwise/core';
import {
  clientId,
  clientSecret,
  closeAllServers,
  type LoopbackServer,
  startServer,
} from '@tokenwise/test-kit';
import ky2 from 'ky';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type KyAuthDefaults, type KyAuthOptions, kyAuth } from './index.ts';

/** The part of a ky instance the tests use. */
type Api = (input: string | Request, options?: Record<string, unknown>) => Promise<Response>;

function createApi(defaults: KyAuthDefaults, extra: Record<string, unknown> = {}): Api {
  const instance = ky2.create({ ...defaults, ...extra });
  return (input, options) => instance(input, options);
}

describe('kyAuth', () => {
  let server: LoopbackServer;
  let tokens: TokenManager;

  beforeEach(async () => {
    server = await startServer();
    tokens = createTokenManager({
      flow: clientCredentials({ tokenUrl: server.tokenUrl, clientId, clientSecret }),
      failureBackoffMs: 0,
    });
  });

  afterEach(async () => {
    await tokens.close();
    await closeAllServers();
  });

  /** An instance whose base URL is the test server. */
  const api = (options: Partial<KyAuthOptions> = {}, extra: Record<string, unknown> = {}): Api =>
    createApi(kyAuth({ tokens, ...options }), {
      prefix: server.origin,
      ...extra,
    });

  describe('attaching', () => {
    it('carries the token on ky’s own retries (beforeRequest runs only once)', async () => {
      server.failPath('/flaky', 503);
      const res = await api({}, { retry: { limit: 1, delay: () => 0 } })('flaky');
      expect(res.status).toBe(200);
      expect(server.apiCalls.map((call) => call.headers.authorization)).toEqual([
        'Bearer tok-1',
        'Bearer tok-1',
      ]);
      expect(server.tokenRequests).toHaveLength(1);
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
      expect(server.apiCalls[0]?.headers.authorization).toBe('Bearer tok-1');
    });
  });

  describe('abort, timeout and errors', () => {
    it('ky’s timeout covers the wait for the token', async () => {
      server.holdTokens(); // released when the server closes
      const pending = api({}, { timeout: 50, retry: 0 })('echo');
      await expect(pending).rejects.toMatchObject({ name: 'TimeoutError' });
    });

    it('the manager’s TokenEndpointError reaches the caller unchanged, without a ky retry', async () => {
      const refusal = {
        status: 400,
        body: { error: 'invalid_client', error_description: 'bad secret' },
      };
      server.failTokens(refusal, refusal, refusal);
      const error = await api(
        {},
        { retry: { limit: 2, delay: () => 0 } },
      )('echo').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenEndpointError);
      expect(error).toMatchObject({ status: 400, error: 'invalid_client' });
      expect(server.tokenRequests).toHaveLength(1);
      expect(server.apiCalls).toHaveLength(0);
    });

    it('leaves no token on the Request that ky’s HTTPError carries (it may be logged)', async () => {
      const error = (await api({ headers: { 'X-Tenant-Id': 'acme' } })('always-401').catch(
        (e: unknown) => e,
      )) as { name: string; request: Request };
      expect(error.name).toBe('HTTPError');
      expect(server.apiCalls.at(-1)?.headers.authorization).toBe('Bearer tok-2');
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
      expect(server.apiCalls.map((call) => call.headers.authorization)).toEqual(
        Array(4).fill('Bearer tok-1'),
      );
    });
  });
});

describe('kyAuth options', () => {
  it('throws a TypeError naming the bad option', async () => {
    const tokens = createTokenManager({
      flow: clientCredentials({ tokenUrl: 'http://127.0.0.1:1/token', clientId, clientSecret }),
    });
    const withFetch = { tokens, fetch: globalThis.fetch } as KyAuthOptions;
    expect(() => kyAuth(withFetch)).toThrow(/pass fetch to ky/);
    await tokens.close();
  });
});
