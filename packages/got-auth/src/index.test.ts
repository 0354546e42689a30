import { pipeline } from 'node:stream/promises';
import { inspect } from 'node:util';
import { clientCredentials, createTokenManager, type TokenManager } from '@tokenwise/core';
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

  it('leaves nothing in `context` that shows the token when logged', async () => {
    const response = await api({ headers: { 'X-Tenant-Id': 'tenant-1' } })('api/me');
    expect(response.request.options.headers.authorization).toBe('Bearer tok-1');
    const { context } = response.request.options;
    expect(inspect(context, { depth: 4 })).not.toContain('tok-1');
    expect(JSON.stringify(context)).not.toContain('tok-1');
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

  it('drops the token and extra headers when only the scheme changes (same host and port)', async () => {
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
