/**
 * kyAuth's re-send after a 401 is its own, not one of the caller's retries: the caller's forced
 * retries, `beforeRetry` hooks and `timeout` behave as if kyAuth were not there. And kyAuth
 * refuses what is not its options.
 */
import { clientCredentials, createTokenManager, type TokenManager } from '@tokenwise/core';
import {
  clientId,
  clientSecret,
  type LoopbackServer,
  renderings,
  startServer,
} from '@tokenwise/test-kit';
import ky, { type BeforeRetryState } from 'ky';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kyAuth } from './index.ts';

let server: LoopbackServer;
let tokens: TokenManager;

beforeEach(async () => {
  server = await startServer();
  tokens = createTokenManager({
    flow: clientCredentials({ tokenUrl: `${server.origin}/token`, clientId, clientSecret }),
  });
});

afterEach(async () => {
  await tokens.close();
  await server.close();
});

describe('the caller’s retries', () => {
  it('a forced ky.retry() of the caller’s own gets no attempt beyond retry.limit', async () => {
    const api = ky.create({ ...kyAuth({ tokens }), prefix: server.origin }).extend({
      retry: { limit: 1 },
      hooks: { afterResponse: [() => ky.retry({ delay: 0, code: 'MINE' })] },
    });
    const error = await api('public').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'ForceRetryError', code: 'MINE' });
    expect(server.apiCalls).toHaveLength(2); // the request and the one retry its limit allows
  });

  it('the caller’s beforeRetry hooks neither see nor count the re-send after a 401', async () => {
    server.failPath('/busy', 401, 503); // then the path answers 200 to a valid token
    const seen: Pick<BeforeRetryState, 'retryCount'>[] = [];
    const api = ky.create({ ...kyAuth({ tokens }), prefix: server.origin }).extend({
      retry: { limit: 2, delay: () => 0 },
      hooks: {
        beforeRetry: [({ error, retryCount }) => void seen.push({ retryCount, ...error })],
      },
    });
    expect((await api('busy')).status).toBe(200);
    expect(server.apiCalls.map((call) => call.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-2', // the re-send: 503
      'Bearer tok-2', // the caller's first retry: 200
    ]);
    expect(seen).toEqual([expect.objectContaining({ retryCount: 1, name: 'HTTPError' })]);
  });
});

describe('ky’s timeout', () => {
  it('covers the redirect hops kyAuth follows', async () => {
    const api = ky.create({ ...kyAuth({ tokens }), prefix: server.origin, retry: 0 });
    await api('echo'); // a token at hand
    const started = Date.now();
    const error = await api('redirect?to=/hang', { timeout: 200 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(server.apiCalls.map((call) => call.path)).toEqual(['/echo', '/redirect', '/hang']);
  });
});

describe('what kyAuth takes', () => {
  it('refuses a client or a fetch wrapper where its options or a token manager belong', () => {
    const api = ky.create({});
    expect(() => kyAuth(api as never)).toThrow(TypeError);
    expect(() => kyAuth(api as never)).toThrow(
      /^kyAuth: auth options must be an object, got a function/,
    );
    expect(() => kyAuth({ tokens: api as never })).toThrow(
      /^kyAuth: tokens must be a token manager from createTokenManager\(\) or a function of the request returning one, got a function.* \(an HTTP client\)$/,
    );
  });

  it('keeps nothing in the call’s context that shows the token when logged', async () => {
    let context: unknown;
    const api = ky.create({ ...kyAuth({ tokens }), prefix: server.origin }).extend({
      hooks: {
        afterResponse: [
          ({ options }) => {
            context = options.context;
          },
        ],
      },
    });
    server.failPath('/echo', 401); // a re-send, with a fresh token
    await api('echo');
    expect(server.apiCalls.map((call) => call.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-2',
    ]);
    for (const rendering of renderings(context)) {
      expect(rendering).not.toContain('tok-1');
      expect(rendering).not.toContain('tok-2');
    }
  });
});
