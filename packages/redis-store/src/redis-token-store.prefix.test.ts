/**
 * RedisTokenStore's key layout: `<prefix>{<cache key>}:token` and `:lock`, so stores with
 * different prefixes stay apart.
 */
import { describe, expect, it } from 'vitest';
import { RedisTokenStore } from './redis-token-store.ts';
import { describeEachRedisClient } from './test-support/redis-clients.ts';
import { sampleToken } from './test-support/sample-token.ts';

describeEachRedisClient((redis) => {
  describe('prefix', () => {
    it('puts the token under <prefix>{<key>}:token and the lock under <prefix>{<key>}:lock', async () => {
      const store = new RedisTokenStore({ client: redis.client, prefix: 'billing:' });
      await store.set('tokenwise:k', sampleToken, 60_000);
      const release = await store.lock('tokenwise:k', 60_000);
      expect(await redis.client.get('billing:{tokenwise:k}:token')).not.toBeNull();
      expect(await redis.client.get('billing:{tokenwise:k}:lock')).toMatch(/^[0-9a-f-]{36}$/);
      expect(await redis.client.get('{tokenwise:k}:token')).toBeNull();
      await release?.();
    });

    it('keeps stores with different prefixes apart, tokens and locks', async () => {
      const a = new RedisTokenStore({ client: redis.client, prefix: 'a:' });
      const b = new RedisTokenStore({ client: redis.client, prefix: 'b:' });
      await a.set('tokenwise:k', sampleToken, 60_000);
      expect(await b.get('tokenwise:k')).toBeUndefined();
      const releaseA = await a.lock('tokenwise:k', 60_000);
      const releaseB = await b.lock('tokenwise:k', 60_000);
      expect(releaseA).toBeTypeOf('function');
      expect(releaseB).toBeTypeOf('function');
      await releaseA?.();
      await releaseB?.();
    });
  });
});
