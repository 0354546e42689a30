/** RedisTokenStore's get, set and delete: the token as JSON under its key, every field kept. */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { RedisStoreError, RedisStoreErrorCode } from './errors.ts';
import { RedisTokenStore } from './redis-token-store.ts';
import { describeEachRedisClient } from './test-support/redis-clients.ts';
import { sampleToken, secretAccess, secretRefresh } from './test-support/sample-token.ts';

describeEachRedisClient((redis) => {
  describe('get / set / delete', () => {
    it('misses a key that was never set', async () => {
      const store = new RedisTokenStore({ client: redis.client });
      expect(await store.get('tokenwise:none')).toBeUndefined();
    });

    it('stores the token as JSON and reads every field back', async () => {
      const store = new RedisTokenStore({ client: redis.client });
      await store.set('tokenwise:k', sampleToken, 60_000);
      expect(JSON.parse(String(await redis.client.get('{tokenwise:k}:token')))).toEqual(
        sampleToken,
      );
      const read = await store.get('tokenwise:k');
      expect(read).toEqual(sampleToken);
      expect(inspect(read)).not.toContain(secretAccess);
      expect(inspect(read)).not.toContain(secretRefresh);
    });

    it('replaces the token on a second set', async () => {
      const store = new RedisTokenStore({ client: redis.client });
      await store.set('tokenwise:k', sampleToken, 60_000);
      await store.set('tokenwise:k', { ...sampleToken, accessToken: 'access-2' }, 60_000);
      expect((await store.get('tokenwise:k'))?.accessToken).toBe('access-2');
    });

    it('deletes the token', async () => {
      const store = new RedisTokenStore({ client: redis.client });
      await store.set('tokenwise:k', sampleToken, 60_000);
      await store.delete('tokenwise:k');
      expect(await store.get('tokenwise:k')).toBeUndefined();
      expect(await redis.client.get('{tokenwise:k}:token')).toBeNull();
    });

    it('rejects a value that is not a token, without quoting it', async () => {
      const store = new RedisTokenStore({ client: redis.client });
      for (const value of [`not json ${secretAccess}`, JSON.stringify({ token: secretAccess })]) {
        await redis.client.set('{tokenwise:k}:token', value);
        const error = await store.get('tokenwise:k').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RedisStoreError);
        expect(error).toMatchObject({ code: RedisStoreErrorCode.Entry });
        expect(String(error)).toContain('tokenwise:k');
        expect(inspect(error)).not.toContain(secretAccess);
      }
    });
  });
});
