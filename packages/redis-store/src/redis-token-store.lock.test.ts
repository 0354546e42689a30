/**
 * RedisTokenStore's lock: one owner at a time, a random fencing value per acquisition, expiry by
 * TTL, and a release that never deletes another owner's lock.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { RedisTokenStore } from './redis-token-store.ts';
import { describeEachRedisClient } from './test-support/redis-clients.ts';

describeEachRedisClient((redis) => {
  describe('lock', () => {
    it('is held by one owner at a time and freed by its release', async () => {
      const one = new RedisTokenStore({ client: redis.client });
      const two = new RedisTokenStore({ client: redis.client });
      const release = await one.lock('tokenwise:k', 60_000);
      expect(release).toBeTypeOf('function');
      expect(await two.lock('tokenwise:k', 60_000)).toBeUndefined();
      expect(await one.lock('tokenwise:k', 60_000)).toBeUndefined();
      await release?.();
      expect(await redis.client.get('{tokenwise:k}:lock')).toBeNull();
      const next = await two.lock('tokenwise:k', 60_000);
      expect(next).toBeTypeOf('function');
      await next?.();
    });

    it('takes a fresh random fencing value on every acquisition, with the TTL asked for', async () => {
      const store = new RedisTokenStore({ client: redis.client });
      const values = new Set<unknown>();
      for (let i = 0; i < 3; i++) {
        const release = await store.lock('tokenwise:k', 5_000);
        values.add(await redis.client.get('{tokenwise:k}:lock'));
        const ttl = await redis.pTTL('{tokenwise:k}:lock');
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(5_000);
        await release?.();
      }
      expect(values.size).toBe(3);
    });

    it('expires by itself, so a crashed holder does not block the fleet', async () => {
      const store = new RedisTokenStore({ client: redis.client });
      expect(await store.lock('tokenwise:k', 20)).toBeTypeOf('function');
      await sleep(40);
      const release = await store.lock('tokenwise:k', 60_000);
      expect(release).toBeTypeOf('function');
      await release?.();
    });

    it("never deletes another owner's lock: a late release reports the lost lock", async () => {
      const store = new RedisTokenStore({ client: redis.client });
      const late = await store.lock('tokenwise:k', 20);
      await sleep(40);
      const current = await store.lock('tokenwise:k', 60_000);
      const owner = await redis.client.get('{tokenwise:k}:lock');
      const error = await late?.().catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'RedisStoreError', code: 'ERR_REDIS_STORE_LOCK_LOST' });
      expect(await redis.client.get('{tokenwise:k}:lock')).toBe(owner);
      await current?.();
      expect(await redis.client.get('{tokenwise:k}:lock')).toBeNull();
    });

    it('does nothing on a second release', async () => {
      const store = new RedisTokenStore({ client: redis.client });
      const release = await store.lock('tokenwise:k', 60_000);
      await release?.();
      const other = await store.lock('tokenwise:k', 60_000);
      await expect(release?.()).resolves.toBeUndefined();
      expect(await redis.client.get('{tokenwise:k}:lock')).not.toBeNull();
      await other?.();
    });

    it('rejects a TTL below 1 ms', async () => {
      const store = new RedisTokenStore({ client: redis.client });
      await expect(store.lock('tokenwise:k', 0)).rejects.toThrow(RangeError);
      await expect(store.lock('tokenwise:k', Number.NaN)).rejects.toThrow(RangeError);
    });
  });
});
