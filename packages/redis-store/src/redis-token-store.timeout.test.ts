/**
 * RedisTokenStore's `timeoutMs`: when Redis does not answer, commands fail; node-redis drops the
 * queued ones, and a lock that ioredis takes late (it replays its queue) is freed at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { createClient as createClient6 } from 'redis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisStoreErrorCode } from './errors.ts';
import { RedisTokenStore } from './redis-token-store.ts';
import { startRedisServer, stopAllRedisServers } from './test-support/redis-server.ts';
import { sampleToken } from './test-support/sample-token.ts';

afterAll(stopAllRedisServers);

describe('RedisTokenStore when Redis does not answer', () => {
  it('fails each command after timeoutMs, and drops commands queued meanwhile', async () => {
    const own = await startRedisServer();
    const client = createClient6({
      url: own.url,
      socket: { reconnectStrategy: () => 20 },
    });
    client.on('error', () => {});
    await client.connect();
    try {
      const store = new RedisTokenStore({ client, timeoutMs: 100 });
      await store.set('tokenwise:k', sampleToken, 60_000);
      await own.stop();
      const failures = await Promise.all([
        store.get('tokenwise:k').catch((e: unknown) => e),
        store.set('tokenwise:k', sampleToken, 60_000).catch((e: unknown) => e),
        store.lock('tokenwise:k', 60_000).catch((e: unknown) => e),
      ]);
      for (const failure of failures) {
        expect(failure).toMatchObject({ code: RedisStoreErrorCode.Timeout });
      }
      await own.start();
      while (!client.isReady) await sleep(10);
      // The queued SETs were dropped, not run once the client reconnected (Redis came back empty).
      expect(await client.get('{tokenwise:k}:lock')).toBeNull();
      expect(await client.get('{tokenwise:k}:token')).toBeNull();
      const release = await store.lock('tokenwise:k', 60_000);
      expect(release).toBeTypeOf('function');
      await release?.();
    } finally {
      await client.close().catch(() => {});
      await own.stop();
    }
  });

  it('frees a lock that ioredis sets after the timeout, once Redis is back', async () => {
    const own = await startRedisServer();
    const client = new Redis({ port: own.port, host: '127.0.0.1', retryStrategy: () => 20 });
    client.on('error', () => {});
    try {
      const store = new RedisTokenStore({ client, timeoutMs: 100 });
      await own.stop();
      const failure = await store.lock('tokenwise:k', 60_000).catch((e: unknown) => e);
      expect(failure).toMatchObject({ code: RedisStoreErrorCode.Timeout });
      await own.start();
      while (client.status !== 'ready') await sleep(10);
      // ioredis replays the queued `SET … NX PX 60000` on the new connection: the store frees it
      // rather than let it block every process for the lock's 60 s.
      let release: (() => Promise<void>) | undefined;
      for (let i = 0; i < 100 && release === undefined; i++) {
        release = await store.lock('tokenwise:k', 60_000);
        if (release === undefined) await sleep(20);
      }
      expect(release).toBeTypeOf('function');
      await release?.();
    } finally {
      client.disconnect();
      await own.stop();
    }
  });
});
