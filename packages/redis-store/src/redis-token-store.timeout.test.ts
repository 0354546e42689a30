/** RedisTokenStore's `timeoutMs`: when Redis does not answer, commands fail and are dropped. */
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient as createClient6 } from 'redis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisStoreErrorCode } from './errors.ts';
import { RedisTokenStore } from './redis-token-store.ts';
import type { TestRedisClient } from './test-support/redis-clients.ts';
import { startRedisServer, stopAllRedisServers } from './test-support/redis-server.ts';
import { sampleToken } from './test-support/sample-token.ts';

afterAll(stopAllRedisServers);

describe('RedisTokenStore when Redis does not answer', () => {
  it('fails each command after timeoutMs, and drops commands queued meanwhile', async () => {
    const own = await startRedisServer();
    const client = createClient6({
      url: own.url,
      socket: { reconnectStrategy: () => 20 },
    }) as unknown as TestRedisClient;
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
      while (!(client as unknown as { isReady: boolean }).isReady) await sleep(10);
      // The queued SETs were dropped, not run once the client reconnected (Redis came back empty).
      expect(await client.get('tokenwise:k:lock')).toBeNull();
      expect(await client.get('tokenwise:k')).toBeNull();
      const release = await store.lock('tokenwise:k', 60_000);
      expect(release).toBeTypeOf('function');
      await release?.();
    } finally {
      await client.close().catch(() => {});
      await own.stop();
    }
  });
});
