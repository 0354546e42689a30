/**
 * RedisTokenStore's `encryptionKey`: AES-GCM at rest, a random IV per write, the entry bound to
 * its key, and clear errors for the wrong key, a missing key or a key of the wrong kind.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isRedisStoreError } from './errors.ts';
import { RedisTokenStore } from './redis-token-store.ts';
import { describeEachRedisClient } from './test-support/redis-clients.ts';
import { sampleToken, secretAccess, secretRefresh } from './test-support/sample-token.ts';

const aesKey = new Uint8Array(32).fill(7);
const otherKey = new Uint8Array(32).fill(9);

describeEachRedisClient((redis) => {
  describe('encryption at rest', () => {
    it('round-trips the token and leaves no token in clear in Redis', async () => {
      const store = new RedisTokenStore({ client: redis.client, encryptionKey: aesKey });
      await store.set('tokenwise:k', sampleToken, 60_000);
      const stored = String(await redis.client.get('{tokenwise:k}:token'));
      expect(stored).not.toContain(secretRefresh);
      expect(stored).not.toContain(secretAccess);
      expect(stored).not.toContain('refresh');
      expect(Object.keys(JSON.parse(stored))).toEqual(['iv', 'ct']);
      expect(await store.get('tokenwise:k')).toEqual(sampleToken);
    });

    it('uses a random IV per write', async () => {
      const store = new RedisTokenStore({ client: redis.client, encryptionKey: aesKey });
      await store.set('tokenwise:k', sampleToken, 60_000);
      const first = JSON.parse(String(await redis.client.get('{tokenwise:k}:token')));
      await store.set('tokenwise:k', sampleToken, 60_000);
      const second = JSON.parse(String(await redis.client.get('{tokenwise:k}:token')));
      expect(second.iv).not.toBe(first.iv);
      expect(second.ct).not.toBe(first.ct);
    });

    it('accepts an AES-GCM CryptoKey', async () => {
      const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
        'encrypt',
        'decrypt',
      ]);
      const store = new RedisTokenStore({ client: redis.client, encryptionKey: key });
      await store.set('tokenwise:k', sampleToken, 60_000);
      expect(await store.get('tokenwise:k')).toEqual(sampleToken);
    });

    it('fails clearly with the wrong key, naming the key and no token', async () => {
      await new RedisTokenStore({ client: redis.client, encryptionKey: aesKey }).set(
        'tokenwise:k',
        sampleToken,
        60_000,
      );
      const error = await new RedisTokenStore({ client: redis.client, encryptionKey: otherKey })
        .get('tokenwise:k')
        .catch((e: unknown) => e);
      expect(isRedisStoreError(error)).toBe(true);
      expect(error).toMatchObject({ name: 'RedisStoreError', code: 'ERR_REDIS_STORE_DECRYPT' });
      expect((error as Error).message).toMatch(
        /encryptionKey differs.*tokenwise:k|tokenwise:k.*encryptionKey differs/,
      );
      expect(inspect(error)).not.toContain(secretAccess);
      expect(inspect(error)).not.toContain(secretRefresh);
    });

    it('refuses an entry that was altered or copied under another key', async () => {
      const store = new RedisTokenStore({ client: redis.client, encryptionKey: aesKey });
      await store.set('tokenwise:k', sampleToken, 60_000);
      const sealed = JSON.parse(String(await redis.client.get('{tokenwise:k}:token')));
      await redis.client.set('{tokenwise:copy}:token', JSON.stringify(sealed));
      await expect(store.get('tokenwise:copy')).rejects.toMatchObject({
        code: 'ERR_REDIS_STORE_DECRYPT',
      });
      const ct = Buffer.from(sealed.ct, 'base64');
      ct[0] = (ct[0] ?? 0) ^ 1;
      await redis.client.set(
        '{tokenwise:k}:token',
        JSON.stringify({ ...sealed, ct: ct.toString('base64') }),
      );
      await expect(store.get('tokenwise:k')).rejects.toMatchObject({
        code: 'ERR_REDIS_STORE_DECRYPT',
      });
    });

    it('says so when an encrypted entry is read without a key, or a plain one with a key', async () => {
      await new RedisTokenStore({ client: redis.client, encryptionKey: aesKey }).set(
        'tokenwise:k',
        sampleToken,
        60_000,
      );
      await expect(
        new RedisTokenStore({ client: redis.client }).get('tokenwise:k'),
      ).rejects.toThrow(/is encrypted, but this RedisTokenStore has no encryptionKey/);
      await new RedisTokenStore({ client: redis.client }).set('tokenwise:k', sampleToken, 60_000);
      await expect(
        new RedisTokenStore({ client: redis.client, encryptionKey: aesKey }).get('tokenwise:k'),
      ).rejects.toThrow(/is not encrypted, but this RedisTokenStore has an encryptionKey/);
    });

    it('rejects a key of the wrong size or kind, naming the option', async () => {
      expect(
        () => new RedisTokenStore({ client: redis.client, encryptionKey: new Uint8Array(20) }),
      ).toThrow(/encryptionKey must be a CryptoKey or the 16 or 32 bytes/);
      const hmac = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, [
        'sign',
      ]);
      expect(() => new RedisTokenStore({ client: redis.client, encryptionKey: hmac })).toThrow(
        /encryptionKey must be an AES-GCM CryptoKey/,
      );
      expect(
        () =>
          new RedisTokenStore({
            client: redis.client,
            encryptionKey: 'secret' as unknown as Uint8Array,
          }),
      ).toThrow(TypeError);
    });
  });
});
