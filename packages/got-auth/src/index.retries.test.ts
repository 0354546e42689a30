/**
 * gotAuth's re-send after a 401 is its own, not one of the caller's retries, and got's
 * `timeout.request` covers the wait for a token; gotAuth refuses what is not its options. With
 * got 14 and got 16.
 */
import { clientCredentials, createTokenManager, type TokenManager } from '@tokenwise/core';
import {
  clientId,
  clientSecret,
  dpopRoute,
  type LoopbackServer,
  renderings,
  startServer,
} from '@tokenwise/test-kit';
import got, { type Got } from 'got';
import got14 from 'got14';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gotAuth } from './index.ts';

const majors: [string, Got][] = [
  ['got 14', got14 as unknown as Got],
  ['got 16', got],
];

describe.each(majors)('%s', (_major, base) => {
  let a: LoopbackServer;
  let tokens: TokenManager;

  beforeEach(async () => {
    a = await startServer();
    tokens = createTokenManager({
      flow: clientCredentials({ tokenUrl: a.tokenUrl, clientId, clientSecret }),
      retry: false,
    });
  });
  afterEach(async () => {
    await tokens.close();
    await a.close();
  });

  it('the caller’s calculateDelay and beforeRetry neither see nor count the re-send after a 401', async () => {
    const seen: string[] = [];
    const api = base.extend(
      {
        prefixUrl: a.origin,
        retry: {
          limit: 2,
          statusCodes: [503],
          calculateDelay: ({ attemptCount, error, retryOptions, computedValue }) => {
            seen.push(`delay ${error.name} attempt ${attemptCount} of ${retryOptions.limit}`);
            return computedValue > 0 ? 1 : 0;
          },
        },
        hooks: { beforeRetry: [(error, count) => void seen.push(`retry ${count} ${error.name}`)] },
      },
      gotAuth({ tokens }),
    );
    a.failApi(401, 503, 503); // then the API answers 200 to a valid token
    expect((await api('api/me')).statusCode).toBe(200);
    expect(a.apiCalls.map((call) => call.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-2', // the re-send
      'Bearer tok-2', // the caller's retry 1
      'Bearer tok-2', // the caller's retry 2
    ]);
    expect(seen).toEqual([
      'delay HTTPError attempt 1 of 2',
      'retry 1 HTTPError',
      'delay HTTPError attempt 2 of 2',
      'retry 2 HTTPError',
    ]);
  });

  it('the caller’s calculateDelay and beforeRetry neither see nor count a DPoP nonce re-send, nor a re-send after it', async () => {
    a.tokenType = 'DPoP';
    const proving = createTokenManager({
      flow: clientCredentials({ tokenUrl: a.tokenUrl, clientId, clientSecret }),
      retry: false,
      dpop: true,
    });
    const seen: string[] = [];
    const api = base.extend(
      {
        prefixUrl: a.origin,
        retry: {
          limit: 2,
          statusCodes: [503],
          calculateDelay: ({ attemptCount, retryOptions, computedValue }) => {
            seen.push(`delay attempt ${attemptCount} of ${retryOptions.limit}`);
            return computedValue > 0 ? 1 : 0;
          },
        },
        hooks: { beforeRetry: [(_error, count) => void seen.push(`retry ${count}`)] },
      },
      gotAuth({ tokens: proving }),
    );
    // A nonce challenge, a re-send after a rejected token, then two 503s for got's own retries.
    const route = dpopRoute(a, '/dpop/items', [
      'nonce',
      'invalid_token',
      'unavailable',
      'unavailable',
    ]);
    expect((await api('dpop/items')).statusCode).toBe(200);
    expect(a.apiCalls).toHaveLength(5);
    expect(route.accepted).toHaveLength(1);
    expect(seen).toEqual(['delay attempt 1 of 2', 'retry 1', 'delay attempt 2 of 2', 'retry 2']);
    await proving.close();
  });

  it('timeout.request covers the wait for a token: got’s TimeoutError, nothing sent', async () => {
    const release = a.holdTokens();
    const api = base.extend({ prefixUrl: a.origin, retry: { limit: 0 } }, gotAuth({ tokens }));
    const started = Date.now();
    const error = await api('api/me', { timeout: { request: 100 } }).catch(
      (caught: unknown) => caught,
    );
    release();
    expect(error).toMatchObject({ name: 'TimeoutError', code: 'ETIMEDOUT', event: 'request' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(a.apiCalls).toHaveLength(0);
  });

  it('a timeout while waiting for the re-send’s token shows no earlier token', async () => {
    await tokens.getToken();
    const release = a.holdTokens();
    a.failPath('/api/me', 401);
    const api = base.extend({ prefixUrl: a.origin, retry: { limit: 0 } }, gotAuth({ tokens }));
    const error = await api('api/me', { timeout: { request: 300 } }).catch(
      (caught: unknown) => caught,
    );
    release();
    expect(error).toMatchObject({ name: 'TimeoutError', code: 'ETIMEDOUT' });
    expect(a.apiCalls.map((call) => call.headers.authorization)).toEqual([`Bearer ${a.issued[0]}`]);
    for (const rendering of renderings(error)) expect(rendering).not.toContain(a.issued[0]);
  });

  it('refuses a got instance where its options or a token manager belong', () => {
    expect(() => gotAuth(base as never)).toThrow(TypeError);
    expect(() => gotAuth(base as never)).toThrow(
      /^gotAuth: auth options must be an object, got a function/,
    );
    expect(() => gotAuth({ tokens: base as never })).toThrow(
      /^gotAuth: tokens must be a token manager from createTokenManager\(\) or a function of the request returning one, got a function.* \(an HTTP client\)$/,
    );
  });
});
