/** RedisTokenStore's TTLs: the manager's TTL becomes the key's, none keeps it, 0 deletes it. */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { RedisTokenStore } from './redis-token-store.ts';
import { describeEachRedisClient } from './test-support/redis-clients.ts';
import { sampleToken } from './test-support/sample-token.ts';

describeEachRedisClient((redis) => {
  describe('TTL', () => {
    it('gives the key the TTL the manager passes, rounded up to whole ms', async () => {
      const store = new RedisTokenStore({ client: redis.client });
      await store.set('tokenwise:k', sampleToken, 30_000.4);
      const ttl = await redis.pTTL('{tokenwise:k}:token');
      expect(ttl).toBeGreaterThan(25_000);
      expect(ttl).toBeLessThanOrEqual(30_001);
    });

    it('keeps a token without TTL, and clears an earlier TTL on replace', async () => {
      const store = new RedisTokenStore({ client: redis.client });
      await store.set('tokenwise:k', sampleToken, 30_000);
      await store.set('tokenwise:k', sampleToken);
      expect(await redis.pTTL('{tokenwise:k}:token')).toBe(-1);
      await store.set('tokenwise:j', sampleToken, Number.POSITIVE_INFINITY);
      expect(await redis.pTTL('{tokenwise:j}:token')).toBe(-1);
    });

    it('lets Redis drop the entry when the TTL has passed', async () => {
      const store = new RedisTokenStore({ client: redis.client });
      await store.set('tokenwise:k', sampleToken, 20);
      await sleep(40);
      expect(await store.get('tokenwise:k')).toBeUndefined();
    });

    it('deletes the entry for a TTL of 0 or less, and rejects NaN', async () => {
      const store = new RedisTokenStore({ client: redis.client });
      await store.set('tokenwise:k', sampleToken, 60_000);
      await store.set('tokenwise:k', sampleToken, 0);
      expect(await redis.client.get('{tokenwise:k}:token')).toBeNull();
      await expect(store.set('tokenwise:k', sampleToken, Number.NaN)).rejects.toThrow(RangeError);
    });
  });
});
