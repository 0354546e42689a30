import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { inspect } from 'node:util';
import {
  clientCredentials,
  createTokenManager,
  TokenEndpointError,
  type TokenManager,
} from '@tokenwise/core';
import { clientId, clientSecret, type LoopbackServer, startServer } from '@tokenwise/test-kit';
import got, { type ExtendOptions, type Got, HTTPError } from 'got';
import got14, { HTTPError as HTTPError14 } from 'got14';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GotAuthOptions, gotAuth } from './index.ts';

/** Both tested majors behind got 16's types (the runtime is the real got 14 for the first). */
const majors: [string, Got, typeof HTTPError][] = [
  ['got 14', got14 as unknown as Got, HTTPError14 as unknown as typeof HTTPError],
  ['got 16', got, HTTPError],
];

interface Echo {
  authorization: string | null;
  tenant: string | null;
  method: string;
  body: string;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

describe.each(majors)('%s', (_major, base, HttpError) => {
  let a: LoopbackServer; // 127.0.0.1: token endpoint and API
  let b: LoopbackServer; // localhost: another origin
  let tokens: TokenManager;

  beforeEach(async () => {
    [a, b] = await Promise.all([startServer(), startServer('localhost')]);
    tokens = createTokenManager({
      flow: clientCredentials({ tokenUrl: a.tokenUrl, clientId, clientSecret }),
    });
  });
  afterEach(async () => {
    await tokens.close();
    await Promise.all([a.close(), b.close()]);
  });

  /** An instance on server A with got's own retries off, unless `defaults` says otherwise. */
  const api = (auth: Partial<GotAuthOptions> = {}, defaults: ExtendOptions = {}): Got =>
    base.extend(
      { prefixUrl: a.origin, retry: { limit: 0 }, ...defaults },
      gotAuth({ tokens, ...auth }),
    );

  it('attaches the bearer token and the extra headers', async () => {
    const echo = await api({ headers: { 'X-Tenant-Id': 'tenant-1' } })('api/me').json<Echo>();
    expect(echo).toMatchObject({ authorization: 'Bearer tok-1', tenant: 'tenant-1' });
  });

  it('leaves nothing in `context` that shows the token when logged', async () => {
    const response = await api({ headers: { 'X-Tenant-Id': 'tenant-1' } })('api/me');
    expect(response.request.options.headers.authorization).toBe('Bearer tok-1');
    const { context } = response.request.options;
    expect(inspect(context, { depth: 4 })).not.toContain('tok-1');
    expect(JSON.stringify(context)).not.toContain('tok-1');
  });

  it('computes extra headers from the request URL and normalises "BEARER"', async () => {
    a.tokenType = 'BEARER';
    const seen: string[] = [];
    const headers = async (url: URL) => {
      seen.push(url.pathname);
      return { 'X-Tenant-Id': url.pathname.split('/')[2] ?? '' };
    };
    const echo = await api({ headers })('api/acme/members').json<Echo>();
    expect(echo).toMatchObject({ authorization: 'Bearer tok-1', tenant: 'acme' });
    expect(seen).toEqual(['/api/acme/members']);
  });

  it('shares one token request between 100 cold concurrent requests', async () => {
    let waiting = 0;
    const counted: TokenManager = {
      ...tokens,
      getToken: (options) => {
        waiting++;
        return tokens.getToken(options);
      },
    };
    const release = a.holdTokens();
    const client = api({ tokens: counted });
    const responses = Array.from({ length: 100 }, (_, i) => client(`api/${i}`).json<Echo>());
    await until(() => waiting === 100);
    release();
    const echoes = await Promise.all(responses);
    expect(a.tokenRequests).toHaveLength(1);
    expect(new Set(echoes.map((echo) => echo.authorization))).toEqual(new Set(['Bearer tok-1']));
  });

  it('answers a 401 storm after revocation with one token request, and all succeed', async () => {
    const client = api();
    await client('api/warm');
    a.revokeAll();
    const echoes = await Promise.all(
      Array.from({ length: 100 }, (_, i) => client(`api/${i}`).json<Echo>()),
    );
    expect(a.tokenRequests).toHaveLength(2);
    expect(new Set(echoes.map((echo) => echo.authorization))).toEqual(new Set(['Bearer tok-2']));
    expect(a.apiCalls).toHaveLength(1 + 200);
  });

  it('re-sends exactly once when the API always answers 401, and surfaces the 401', async () => {
    const client = api();
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => client(`always-401?n=${i}`)),
    );
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason;
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HTTPError).response.statusCode).toBe(401);
    }
    expect(a.apiCalls).toHaveLength(10);
    // The first 401s invalidate tok-1 once; the 401s to the re-sent requests invalidate nothing.
    expect(a.tokenRequests).toHaveLength(2);
    // tok-2 was refused on a re-send: re-authorization cools down, later 401s are returned at
    // once, without a re-send or a token request, with or without HTTPErrors.
    await expect(client('always-401')).rejects.toBeInstanceOf(HttpError);
    expect(a.apiCalls).toHaveLength(11);
    const lenientClient = api({}, { throwHttpErrors: false });
    expect((await lenientClient('always-401')).statusCode).toBe(401);
    expect(a.apiCalls).toHaveLength(12);
    expect(a.tokenRequests).toHaveLength(2);
  });

  it('does not re-send with retryOn401: false', async () => {
    await expect(api({ retryOn401: false })('always-401')).rejects.toMatchObject({
      response: { statusCode: 401 },
    });
    expect(a.apiCalls).toHaveLength(1);
    expect(a.tokenRequests).toHaveLength(1);
  });

  it('re-sends a POST with an identical body', async () => {
    const client = api();
    await client('api/warm');
    a.revokeAll();
    const echo = await client.post('api/items', { json: { name: 'Ada', n: 1 } }).json<Echo>();
    expect(echo).toMatchObject({ authorization: 'Bearer tok-2', method: 'POST' });
    const [first, second] = a.apiCalls.slice(1);
    expect(first?.headers.authorization).toBe('Bearer tok-1');
    expect(second?.body).toBe('{"name":"Ada","n":1}');
    expect(second?.body).toBe(first?.body);
    expect(second?.headers['content-type']).toBe(first?.headers['content-type']);
    expect(second?.headers['content-length']).toBe(first?.headers['content-length']);

    a.revokeAll();
    const bytes = Buffer.from('raw \u00e9 bytes');
    await client.put('api/raw', { body: bytes });
    const [third, fourth] = a.apiCalls.slice(3);
    expect(third?.body).toBe('raw \u00e9 bytes');
    expect(fourth?.body).toBe(third?.body);
    expect(fourth?.headers.authorization).toBe('Bearer tok-3');
  });

  it('does not re-send a streamed request body', async () => {
    const client = api();
    await client('api/warm');
    a.revokeAll();
    const error: unknown = await client
      .post('api/upload', { body: Readable.from(['chunk-1', 'chunk-2']) })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ response: { statusCode: 401 } });
    expect(a.apiCalls).toHaveLength(2);
    expect(a.apiCalls[1]?.body).toBe('chunk-1chunk-2');
    // Like the reference fetch adapter: no re-send, so the token is not invalidated either.
    expect((await tokens.getToken()).accessToken).toBe('tok-1');
    expect(a.tokenRequests).toHaveLength(1);
  });

  it('attaches the token to got.stream() but never re-sends it', async () => {
    const client = api();
    const read = async (path: string): Promise<string> => {
      const chunks: Buffer[] = [];
      await pipeline(client.stream(path), async (source: AsyncIterable<Buffer>) => {
        for await (const chunk of source) chunks.push(chunk);
      });
      return Buffer.concat(chunks).toString();
    };
    expect(JSON.parse(await read('api/stream'))).toMatchObject({ authorization: 'Bearer tok-1' });
    a.revokeAll();
    await expect(read('api/stream')).rejects.toBeInstanceOf(HttpError);
    expect(a.apiCalls).toHaveLength(2);
    expect(a.tokenRequests).toHaveLength(1);
  });

  it('drops the token and extra headers on a cross-origin redirect, and does not re-send', async () => {
    const client = api({ headers: { 'X-Tenant-Id': 'tenant-1' } });
    const to = encodeURIComponent(b.url('/api/elsewhere'));
    const error: unknown = await client(`redirect?to=${to}`).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ response: { statusCode: 401 } });
    expect(a.apiCalls[0]?.headers.authorization).toBe('Bearer tok-1');
    expect(b.apiCalls).toHaveLength(1);
    expect(b.apiCalls[0]?.headers.authorization).toBeUndefined();
    expect(b.apiCalls[0]?.headers['x-tenant-id']).toBeUndefined();
    expect(a.tokenRequests).toHaveLength(1);
  });

  it('drops them when only the scheme changes (same host and port)', async () => {
    const sentOnHops: Record<string, string | string[] | undefined>[] = [];
    const client = base.extend(
      { prefixUrl: a.origin, retry: { limit: 0 } },
      gotAuth({ tokens, headers: { 'X-Tenant-Id': 'tenant-1' } }),
      { hooks: { beforeRequest: [(options) => void sentOnHops.push({ ...options.headers })] } },
    );
    const to = encodeURIComponent(a.url('/api/secure').replace('http:', 'https:'));
    await expect(client(`redirect?to=${to}`)).rejects.toThrow(); // TLS to a plain HTTP port
    expect(sentOnHops).toHaveLength(2);
    expect(sentOnHops[0]).toMatchObject({
      authorization: 'Bearer tok-1',
      'x-tenant-id': 'tenant-1',
    });
    expect(sentOnHops[1]?.authorization).toBeUndefined();
    expect(sentOnHops[1]?.['x-tenant-id']).toBeUndefined();
  });

  it('does not re-add them after a cross-origin redirect, even to another allowed origin', async () => {
    const client = api({ origins: [a.origin, b.origin], headers: { 'X-Tenant-Id': 'tenant-1' } });
    await client(`redirect?to=${encodeURIComponent(b.url('/public/next'))}`);
    expect(b.apiCalls[0]?.headers.authorization).toBeUndefined();
    expect(b.apiCalls[0]?.headers['x-tenant-id']).toBeUndefined();
  });

  it('keeps the token and extra headers on a same-origin redirect', async () => {
    const client = api({ headers: { 'X-Tenant-Id': 'tenant-1' } });
    const echo = await client(`redirect?to=${encodeURIComponent('/api/moved')}`).json<Echo>();
    expect(echo).toMatchObject({ authorization: 'Bearer tok-1', tenant: 'tenant-1' });
    expect(a.apiCalls).toHaveLength(2);
  });

  it('re-sends after a 401 that follows a same-origin redirect', async () => {
    const client = api({ headers: { 'X-Tenant-Id': 'tenant-1' } });
    await client('api/warm');
    a.revokeAll();
    const echo = await client(`redirect?to=${encodeURIComponent('/api/moved')}`).json<Echo>();
    expect(echo).toMatchObject({ authorization: 'Bearer tok-2', tenant: 'tenant-1' });
    expect(a.tokenRequests).toHaveLength(2);
  });

  it('attaches the token only to the listed origins', async () => {
    const client = base.extend({ retry: { limit: 0 } }, gotAuth({ tokens, origins: [a.origin] }));
    expect(await client(a.url('/api/in')).json<Echo>()).toMatchObject({
      authorization: 'Bearer tok-1',
    });
    await client(b.url('/public/out'));
    expect(b.apiCalls[0]?.headers.authorization).toBeUndefined();
  });

  it("defaults to the origin of the instance's prefixUrl, even when a request overrides it", async () => {
    const client = api({ headers: { 'X-Tenant-Id': 'tenant-1' } });
    await client(b.url('/public/absolute'), { prefixUrl: '' });
    await client('public/other-base', { prefixUrl: b.origin });
    expect(b.apiCalls).toHaveLength(2);
    for (const call of b.apiCalls) {
      expect(call.headers.authorization).toBeUndefined();
      expect(call.headers['x-tenant-id']).toBeUndefined();
    }
    expect(a.tokenRequests).toHaveLength(0);
  });

  it('finds the prefixUrl whichever extend() sets it', async () => {
    const client = base.extend(gotAuth({ tokens })).extend({ prefixUrl: a.origin });
    expect(await client('api/in').json<Echo>()).toMatchObject({ authorization: 'Bearer tok-1' });
    await client(b.url('/public/out'), { prefixUrl: '' });
    expect(b.apiCalls[0]?.headers.authorization).toBeUndefined();
  });

  it('attaches the token to every request without prefixUrl or origins', async () => {
    const client = base.extend({ retry: { limit: 0 } }, gotAuth({ tokens }));
    await client(b.url('/public/anywhere'));
    expect(b.apiCalls[0]?.headers.authorization).toBe('Bearer tok-1');
  });

  it('sends a request without the token when context.skipAuth is true', async () => {
    const client = api({ headers: { 'X-Tenant-Id': 'tenant-1' } });
    await client('public/health', { context: { skipAuth: true } });
    expect(a.apiCalls[0]?.headers.authorization).toBeUndefined();
    expect(a.apiCalls[0]?.headers['x-tenant-id']).toBeUndefined();
    expect(a.tokenRequests).toHaveLength(0);
  });

  it('honours an AbortSignal while waiting for the token', async () => {
    const release = a.holdTokens();
    const controller = new AbortController();
    const pending = api()('api/slow', { signal: controller.signal });
    await a.tokenRequestsReached(1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    release();
    expect(a.apiCalls).toHaveLength(0);
  });

  it("rejects with the manager's TokenEndpointError when no token can be obtained", async () => {
    a.failTokens({ status: 400, body: { error: 'invalid_client', error_description: 'nope' } });
    const error: unknown = await api()('api/me').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({ status: 400, error: 'invalid_client' });
    expect(a.apiCalls).toHaveLength(0);
  });

  it("leaves got's timeout to got: the timed-out request is not re-sent", async () => {
    const error: unknown = await api()('hang', { timeout: { request: 50 } }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(a.apiCalls).toHaveLength(1);
    expect(a.tokenRequests).toHaveLength(1);
  });

  it("leaves got's own retries alone: a 503 is retried with the same token", async () => {
    a.failApi(503);
    const client = api({}, { retry: { limit: 1, backoffLimit: 1, noise: 0 } });
    const echo = await client('api/flaky').json<Echo>();
    expect(echo.authorization).toBe('Bearer tok-1');
    expect(a.apiCalls.map((call) => call.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-1',
    ]);
    expect(a.tokenRequests).toHaveLength(1);
  });
});

describe('got 16 absolute URLs', () => {
  it('does not attach the token to an absolute URL on another origin than prefixUrl', async () => {
    const [a, b] = await Promise.all([startServer(), startServer('localhost')]);
    const tokens = createTokenManager({
      flow: clientCredentials({ tokenUrl: a.tokenUrl, clientId, clientSecret }),
    });
    try {
      const client = got.extend({ prefixUrl: a.origin }, gotAuth({ tokens }));
      await client(b.url('/public/absolute'));
      expect(b.apiCalls[0]?.headers.authorization).toBeUndefined();
      expect(a.tokenRequests).toHaveLength(0);
    } finally {
      await tokens.close();
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('gotAuth options', () => {
  it('rejects invalid options with a TypeError', () => {
    expect(() => gotAuth({} as GotAuthOptions)).toThrow(TypeError);
    expect(() => gotAuth({ tokens: {} as TokenManager })).toThrow(/tokens/);
  });
});
