/**
 * The token manager on a RedisTokenStore whose Redis is stopped, restarted, or holds corrupt
 * values written by hand: every caller gets a good token, in about one store timeout, and the
 * fleet shares through Redis again once it is back. Real redis-server, real node-redis client
 * (whose offline queue holds commands while the server is down: the manager's `storeTimeoutMs`
 * bounds that wait, even with a store timeout far longer).
 */
import { clientCredentials, createTokenManager, type TokenManager } from '@tokenwise/core';
import {
  clientId,
  clientSecret,
  closeAllServers,
  type LoopbackServer,
  startServer,
} from '@tokenwise/test-kit';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RedisTokenStore } from './redis-token-store.ts';
import {
  type RedisServer,
  startRedisServer,
  stopAllRedisServers,
} from './test-support/redis-server.ts';

const cacheKey = 'tokenwise:faults';
/** Where the store keeps the token of `cacheKey`. */
const tokenKey = `{${cacheKey}}:token`;
const storeTimeoutMs = 500;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let redis: RedisServer;
let client: ReturnType<typeof createClient>;
let tokenServer: LoopbackServer;
const managers: TokenManager[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  client = createClient({ url: redis.url });
  client.on('error', () => {}); // connection errors while the server is stopped
  await client.connect();
});
afterAll(async () => {
  client.destroy();
  await stopAllRedisServers();
});
beforeEach(async () => {
  tokenServer = await startServer();
});
afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
  await closeAllServers();
});

function manager(errors: unknown[] = []): TokenManager {
  const tokens = createTokenManager({
    flow: clientCredentials({ tokenUrl: tokenServer.tokenUrl, clientId, clientSecret }),
    // The store would wait a minute; the manager gives up after storeTimeoutMs.
    store: new RedisTokenStore({ client, timeoutMs: 60_000 }),
    cacheKey,
    storeTimeoutMs,
    onError: (error) => errors.push(error),
  });
  managers.push(tokens);
  return tokens;
}

async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; !(await condition()); i++) {
    if (i > 500) throw new Error('until: the condition never held');
    await sleep(10);
  }
}

describe('Redis stopped, then restarted', () => {
  it('answers 100 concurrent callers in about one store timeout plus one token request, then shares through Redis again', async () => {
    await client.flushDb();
    await redis.stop();
    const errors: unknown[] = [];
    const one = manager(errors);
    const started = performance.now();
    const got = await Promise.all(Array.from({ length: 100 }, () => one.getToken()));
    const elapsed = performance.now() - started;
    console.info(
      `100 callers, Redis down: all settled in ${Math.round(elapsed)} ms (storeTimeoutMs ${storeTimeoutMs})`,
    );
    expect(new Set(got.map((token) => token.accessToken))).toEqual(new Set(['tok-1']));
    expect(tokenServer.tokenRequests).toHaveLength(1);
    expect(elapsed).toBeGreaterThanOrEqual(storeTimeoutMs - 5); // it did wait for the store once
    expect(elapsed).toBeLessThan(storeTimeoutMs + 5_000); // generous: one timeout, not one per call
    expect(errors[0]).toMatchObject({ name: 'TimeoutError' });

    await redis.start();
    await until(async () => client.isReady);
    await sleep(1_100); // the manager's back-off before it asks the store again
    const renewed = await one.getToken({ forceRefresh: true });
    expect(renewed.accessToken).toBe('tok-2');
    expect(JSON.parse((await client.get(tokenKey)) ?? '{}').accessToken).toBe('tok-2');
    const two = manager();
    expect((await two.getToken()).accessToken).toBe('tok-2');
    expect(tokenServer.tokenRequests).toHaveLength(2);
  });
});

describe('corrupt values written by hand', () => {
  const token = { tokenType: 'Bearer', expiresAt: Date.now() + 3_600_000, raw: {} };
  const values: [string, string][] = [
    ['garbage', 'garbage'],
    ['a number accessToken', JSON.stringify({ ...token, accessToken: 42 })],
    [
      'an unparseable expiresAt',
      JSON.stringify({ ...token, accessToken: 'old', expiresAt: 'soon' }),
    ],
    ['a token with CR/LF', JSON.stringify({ ...token, accessToken: 'old\r\nX-Injected: 1' })],
  ];
  it('garbage, a number accessToken, an unparseable expiresAt, CR/LF: a miss, reported, never served, overwritten', async () => {
    await until(async () => client.isReady);
    for (const [name, value] of values) {
      await client.set(tokenKey, value);
      const errors: unknown[] = [];
      const tokens = manager(errors);
      const fresh = `tok-${tokenServer.tokenRequests.length + 1}`;
      expect((await tokens.getToken()).accessToken, name).toBe(fresh);
      expect(errors.length, name).toBeGreaterThan(0);
      await until(
        async () => JSON.parse((await client.get(tokenKey)) ?? '{}').accessToken === fresh,
      );
    }
  });
});
