/**
 * The store as @tokenwise/core's token manager uses it, in one process: two managers on two
 * clients (redis 6 and redis 5) share one token request, and a lock TTL shorter than the token
 * request is reported.
 */
import { clientCredentials, createTokenManager, type TokenManager } from '@tokenwise/core';
import {
  clientId,
  clientSecret,
  closeAllServers,
  type LoopbackServer,
  startServer,
} from '@tokenwise/test-kit';
import { createClient as createClient6 } from 'redis';
import { createClient as createClient5 } from 'redis5';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RedisTokenStore } from './redis-token-store.ts';
import {
  type RedisServer,
  startRedisServer,
  stopAllRedisServers,
} from './test-support/redis-server.ts';

let redis: RedisServer;
let client6: ReturnType<typeof createClient6>;
let client5: ReturnType<typeof createClient5>;
let tokenServer: LoopbackServer;
const managers: TokenManager[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  client6 = createClient6({ url: redis.url });
  client5 = createClient5({ url: redis.url });
  await Promise.all([client6.connect(), client5.connect()]);
});
afterAll(async () => {
  await Promise.all([client6.close(), client5.close()]);
  await stopAllRedisServers();
});
beforeEach(async () => {
  await client6.flushDb();
  tokenServer = await startServer();
});
afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
  await closeAllServers();
});

function manager(
  store: RedisTokenStore,
  options: { lockTtlMs?: number; onError?: (e: unknown) => void } = {},
): TokenManager {
  const tokens = createTokenManager({
    flow: clientCredentials({ tokenUrl: tokenServer.tokenUrl, clientId, clientSecret }),
    store,
    ...options,
  });
  managers.push(tokens);
  return tokens;
}

describe('RedisTokenStore under createTokenManager', () => {
  it('lets two managers on redis 6 and redis 5 clients share one token request', async () => {
    tokenServer.tokenDelayMs = 100;
    const errors: unknown[] = [];
    const a = manager(new RedisTokenStore({ client: client6 }), { onError: (e) => errors.push(e) });
    const b = manager(new RedisTokenStore({ client: client5 }), { onError: (e) => errors.push(e) });
    const tokens = await Promise.all([a.getToken(), b.getToken(), a.getToken(), b.getToken()]);
    expect(new Set(tokens.map((token) => token.accessToken))).toEqual(new Set(['tok-1']));
    expect(tokenServer.tokenRequests).toHaveLength(1);
    expect(errors).toEqual([]);
    expect(await client5.get(`{${await a.cacheKey()}}:token`)).toMatch(/tok-1/);
    expect(await client5.get(`{${await a.cacheKey()}}:lock`)).toBeNull();
  });

  it('reports a lock that expired before the token arrived: the lock TTL must outlast the request', async () => {
    tokenServer.tokenDelayMs = 300;
    const errors: unknown[] = [];
    const tokens = manager(new RedisTokenStore({ client: client6 }), {
      lockTtlMs: 100,
      onError: (e) => errors.push(e),
    });
    expect((await tokens.getToken()).accessToken).toBe('tok-1');
    expect(errors).toEqual([
      expect.objectContaining({ name: 'RedisStoreError', code: 'ERR_REDIS_STORE_LOCK_LOST' }),
    ]);
  });
});
