/**
 * On a Redis Cluster, the token and the lock of one cache key live in one hash slot (a hash tag
 * around the cache key), so one node owns both, whatever braces the prefix or the key contain.
 * Checked with the key names the store actually wrote and the cluster's own `CLUSTER KEYSLOT`.
 */
import { describe, expect, it } from 'vitest';
import { RedisTokenStore } from './redis-token-store.ts';
import { describeEachRedisClient } from './test-support/redis-clients.ts';
import { sampleToken } from './test-support/sample-token.ts';

const prefixes = ['', 'billing:', 'svc{eu}:', 'odd{', 'odd}:'];
const cacheKeys = Array.from({ length: 12 }, (_, i) => `tokenwise:tenant-${i}`).concat([
  'tokenwise:{braced}',
  'tokenwise:}closing',
]);

describeEachRedisClient((redis) => {
  describe('hash slots', () => {
    it('keeps the token and the lock of each cache key on one node, in one slot', async () => {
      const releases: (() => Promise<void>)[] = [];
      for (const prefix of prefixes) {
        const store = new RedisTokenStore({ client: redis.client, prefix });
        for (const key of cacheKeys) {
          await store.set(key, sampleToken, 60_000);
          const release = await store.lock(key, 60_000);
          expect(release, `${prefix}${key}`).toBeTypeOf('function');
          if (release) releases.push(release);
          expect(await store.get(key)).toEqual(sampleToken);
        }
      }
      const byNode = await redis.keysByNode();
      const written = byNode.flat();
      expect(written).toHaveLength(2 * prefixes.length * cacheKeys.length);
      for (const tokenKey of written.filter((key) => key.endsWith(':token'))) {
        const lockKey = tokenKey.replace(/:token$/, ':lock');
        const node = byNode.findIndex((keys) => keys.includes(tokenKey));
        expect(byNode[node], tokenKey).toContain(lockKey);
        expect(await redis.keySlot(lockKey), tokenKey).toBe(await redis.keySlot(tokenKey));
      }
      // On the cluster the entries spread over the nodes: the client routed every command.
      if (redis.cluster) expect(byNode.filter((keys) => keys.length > 0).length).toBe(3);
      await Promise.all(releases.map((release) => release()));
      expect((await redis.keysByNode()).flat().filter((key) => key.endsWith(':lock'))).toEqual([]);
      // The control: without the tag (the layout `<key>` and `<key>:lock`) the slots differ.
      expect(await redis.keySlot('tokenwise:tenant-0:lock')).not.toBe(
        await redis.keySlot('tokenwise:tenant-0'),
      );
    });
  });
});
