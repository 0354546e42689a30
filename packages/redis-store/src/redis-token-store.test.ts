import { inspect } from 'node:util';
import type { Token } from '@tokenwise/core';
import { createClient as createClient6 } from 'redis';
import { createClient as createClient5 } from 'redis5';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isRedisStoreError, RedisStoreError, RedisStoreErrorCode } from './errors.ts';
import type { RedisClientLike } from './redis-client.ts';
import { RedisTokenStore } from './redis-token-store.ts';
import {
  type RedisServer,
  startRedisServer,
  stopAllRedisServers,
} from './test-support/redis-server.ts';

const secretAccess = 'access-9c1f0e7a-do-not-leak';
const secretRefresh = 'refresh-51d2b8aa-do-not-leak';
const token: Token = {
  accessToken: secretAccess,
  tokenType: 'Bearer',
  expiresAt: 1_900_000_000_000,
  issuedAt: 1_899_999_000_000,
  refreshToken: secretRefresh,
  scope: 'api:read api:write',
  raw: { access_token: secretAccess, refresh_token: secretRefresh, expires_in: 1000 },
};
const aesKey = new Uint8Array(32).fill(7);
const otherKey = new Uint8Array(32).fill(9);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(stopAllRedisServers);

type AnyClient = RedisClientLike & {
  connect(): Promise<unknown>;
  close(): Promise<unknown>;
  flushDb(): Promise<unknown>;
  pTTL(key: string): Promise<number>;
  on(event: 'error', listener: (error: unknown) => void): unknown;
};

const clients: [string, (url: string) => AnyClient][] = [
  ['redis 6', (url) => createClient6({ url }) as unknown as AnyClient],
  ['redis 5', (url) => createClient5({ url }) as unknown as AnyClient],
];

describe.each(clients)('RedisTokenStore with %s', (_name, createClient) => {
  let client: AnyClient;
  beforeAll(async () => {
    client = createClient(server.url);
    client.on('error', () => {});
    await client.connect();
  });
  afterAll(async () => {
    await client.close();
  });
  beforeEach(async () => {
    await client.flushDb();
  });

  describe('get / set / delete', () => {
    it('misses a key that was never set', async () => {
      const store = new RedisTokenStore({ client });
      expect(await store.get('tokenwise:none')).toBeUndefined();
    });

    it('stores the token as JSON and reads every field back', async () => {
      const store = new RedisTokenStore({ client });
      await store.set('tokenwise:k', token, 60_000);
      expect(JSON.parse(String(await client.get('tokenwise:k')))).toEqual(token);
      const read = await store.get('tokenwise:k');
      expect(read).toEqual(token);
      expect(inspect(read)).not.toContain(secretAccess);
      expect(inspect(read)).not.toContain(secretRefresh);
    });

    it('replaces the token on a second set', async () => {
      const store = new RedisTokenStore({ client });
      await store.set('tokenwise:k', token, 60_000);
      await store.set('tokenwise:k', { ...token, accessToken: 'access-2' }, 60_000);
      expect((await store.get('tokenwise:k'))?.accessToken).toBe('access-2');
    });

    it('deletes the token', async () => {
      const store = new RedisTokenStore({ client });
      await store.set('tokenwise:k', token, 60_000);
      await store.delete('tokenwise:k');
      expect(await store.get('tokenwise:k')).toBeUndefined();
      expect(await client.get('tokenwise:k')).toBeNull();
    });

    it('rejects a value that is not a token, without quoting it', async () => {
      const store = new RedisTokenStore({ client });
      for (const value of [`not json ${secretAccess}`, JSON.stringify({ token: secretAccess })]) {
        await client.set('tokenwise:k', value);
        const error = await store.get('tokenwise:k').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RedisStoreError);
        expect(error).toMatchObject({ code: RedisStoreErrorCode.Entry });
        expect(String(error)).toContain('tokenwise:k');
        expect(inspect(error)).not.toContain(secretAccess);
      }
    });
  });

  describe('TTL', () => {
    it('gives the key the TTL the manager passes, rounded up to whole ms', async () => {
      const store = new RedisTokenStore({ client });
      await store.set('tokenwise:k', token, 30_000.4);
      const ttl = await client.pTTL('tokenwise:k');
      expect(ttl).toBeGreaterThan(25_000);
      expect(ttl).toBeLessThanOrEqual(30_001);
    });

    it('keeps a token without TTL, and clears an earlier TTL on replace', async () => {
      const store = new RedisTokenStore({ client });
      await store.set('tokenwise:k', token, 30_000);
      await store.set('tokenwise:k', token);
      expect(await client.pTTL('tokenwise:k')).toBe(-1);
      await store.set('tokenwise:j', token, Number.POSITIVE_INFINITY);
      expect(await client.pTTL('tokenwise:j')).toBe(-1);
    });

    it('lets Redis drop the entry when the TTL has passed', async () => {
      const store = new RedisTokenStore({ client });
      await store.set('tokenwise:k', token, 20);
      await sleep(40);
      expect(await store.get('tokenwise:k')).toBeUndefined();
    });

    it('deletes the entry for a TTL of 0 or less, and rejects NaN', async () => {
      const store = new RedisTokenStore({ client });
      await store.set('tokenwise:k', token, 60_000);
      await store.set('tokenwise:k', token, 0);
      expect(await client.get('tokenwise:k')).toBeNull();
      await expect(store.set('tokenwise:k', token, Number.NaN)).rejects.toThrow(RangeError);
    });
  });

  describe('prefix', () => {
    it('puts the token under <prefix><key> and the lock under <prefix><key>:lock', async () => {
      const store = new RedisTokenStore({ client, prefix: 'billing:' });
      await store.set('tokenwise:k', token, 60_000);
      const release = await store.lock('tokenwise:k', 60_000);
      expect(await client.get('billing:tokenwise:k')).not.toBeNull();
      expect(await client.get('billing:tokenwise:k:lock')).toMatch(/^[0-9a-f-]{36}$/);
      expect(await client.get('tokenwise:k')).toBeNull();
      await release?.();
    });

    it('keeps stores with different prefixes apart, tokens and locks', async () => {
      const a = new RedisTokenStore({ client, prefix: 'a:' });
      const b = new RedisTokenStore({ client, prefix: 'b:' });
      await a.set('tokenwise:k', token, 60_000);
      expect(await b.get('tokenwise:k')).toBeUndefined();
      const releaseA = await a.lock('tokenwise:k', 60_000);
      const releaseB = await b.lock('tokenwise:k', 60_000);
      expect(releaseA).toBeTypeOf('function');
      expect(releaseB).toBeTypeOf('function');
      await releaseA?.();
      await releaseB?.();
    });
  });

  describe('encryption at rest', () => {
    it('round-trips the token and leaves no token in clear in Redis', async () => {
      const store = new RedisTokenStore({ client, encryptionKey: aesKey });
      await store.set('tokenwise:k', token, 60_000);
      const stored = String(await client.get('tokenwise:k'));
      expect(stored).not.toContain(secretRefresh);
      expect(stored).not.toContain(secretAccess);
      expect(stored).not.toContain('refresh');
      expect(Object.keys(JSON.parse(stored))).toEqual(['iv', 'ct']);
      expect(await store.get('tokenwise:k')).toEqual(token);
    });

    it('uses a random IV per write', async () => {
      const store = new RedisTokenStore({ client, encryptionKey: aesKey });
      await store.set('tokenwise:k', token, 60_000);
      const first = JSON.parse(String(await client.get('tokenwise:k')));
      await store.set('tokenwise:k', token, 60_000);
      const second = JSON.parse(String(await client.get('tokenwise:k')));
      expect(second.iv).not.toBe(first.iv);
      expect(second.ct).not.toBe(first.ct);
    });

    it('accepts an AES-GCM CryptoKey', async () => {
      const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
        'encrypt',
        'decrypt',
      ]);
      const store = new RedisTokenStore({ client, encryptionKey: key });
      await store.set('tokenwise:k', token, 60_000);
      expect(await store.get('tokenwise:k')).toEqual(token);
    });

    it('fails clearly with the wrong key, naming the key and no token', async () => {
      await new RedisTokenStore({ client, encryptionKey: aesKey }).set(
        'tokenwise:k',
        token,
        60_000,
      );
      const error = await new RedisTokenStore({ client, encryptionKey: otherKey })
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
      const store = new RedisTokenStore({ client, encryptionKey: aesKey });
      await store.set('tokenwise:k', token, 60_000);
      const sealed = JSON.parse(String(await client.get('tokenwise:k')));
      await client.set('tokenwise:copy', JSON.stringify(sealed));
      await expect(store.get('tokenwise:copy')).rejects.toMatchObject({
        code: 'ERR_REDIS_STORE_DECRYPT',
      });
      const ct = Buffer.from(sealed.ct, 'base64');
      ct[0] = (ct[0] ?? 0) ^ 1;
      await client.set('tokenwise:k', JSON.stringify({ ...sealed, ct: ct.toString('base64') }));
      await expect(store.get('tokenwise:k')).rejects.toMatchObject({
        code: 'ERR_REDIS_STORE_DECRYPT',
      });
    });

    it('says so when an encrypted entry is read without a key, or a plain one with a key', async () => {
      await new RedisTokenStore({ client, encryptionKey: aesKey }).set(
        'tokenwise:k',
        token,
        60_000,
      );
      await expect(new RedisTokenStore({ client }).get('tokenwise:k')).rejects.toThrow(
        /is encrypted, but this RedisTokenStore has no encryptionKey/,
      );
      await new RedisTokenStore({ client }).set('tokenwise:k', token, 60_000);
      await expect(
        new RedisTokenStore({ client, encryptionKey: aesKey }).get('tokenwise:k'),
      ).rejects.toThrow(/is not encrypted, but this RedisTokenStore has an encryptionKey/);
    });

    it('rejects a key of the wrong size or kind, naming the option', async () => {
      expect(() => new RedisTokenStore({ client, encryptionKey: new Uint8Array(20) })).toThrow(
        /encryptionKey must be a CryptoKey or the 16 or 32 bytes/,
      );
      const hmac = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, [
        'sign',
      ]);
      expect(() => new RedisTokenStore({ client, encryptionKey: hmac })).toThrow(
        /encryptionKey must be an AES-GCM CryptoKey/,
      );
      expect(
        () => new RedisTokenStore({ client, encryptionKey: 'secret' as unknown as Uint8Array }),
      ).toThrow(TypeError);
    });
  });

  describe('lock', () => {
    it('is held by one owner at a time and freed by its release', async () => {
      const one = new RedisTokenStore({ client });
      const two = new RedisTokenStore({ client });
      const release = await one.lock('tokenwise:k', 60_000);
      expect(release).toBeTypeOf('function');
      expect(await two.lock('tokenwise:k', 60_000)).toBeUndefined();
      expect(await one.lock('tokenwise:k', 60_000)).toBeUndefined();
      await release?.();
      expect(await client.get('tokenwise:k:lock')).toBeNull();
      const next = await two.lock('tokenwise:k', 60_000);
      expect(next).toBeTypeOf('function');
      await next?.();
    });

    it('takes a fresh random fencing value on every acquisition, with the TTL asked for', async () => {
      const store = new RedisTokenStore({ client });
      const values = new Set<unknown>();
      for (let i = 0; i < 3; i++) {
        const release = await store.lock('tokenwise:k', 5_000);
        values.add(await client.get('tokenwise:k:lock'));
        const ttl = await client.pTTL('tokenwise:k:lock');
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(5_000);
        await release?.();
      }
      expect(values.size).toBe(3);
    });

    it('expires by itself, so a crashed holder does not block the fleet', async () => {
      const store = new RedisTokenStore({ client });
      expect(await store.lock('tokenwise:k', 20)).toBeTypeOf('function');
      await sleep(40);
      const release = await store.lock('tokenwise:k', 60_000);
      expect(release).toBeTypeOf('function');
      await release?.();
    });

    it("never deletes another owner's lock: a late release reports the lost lock", async () => {
      const store = new RedisTokenStore({ client });
      const late = await store.lock('tokenwise:k', 20);
      await sleep(40);
      const current = await store.lock('tokenwise:k', 60_000);
      const owner = await client.get('tokenwise:k:lock');
      const error = await late?.().catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'RedisStoreError', code: 'ERR_REDIS_STORE_LOCK_LOST' });
      expect(await client.get('tokenwise:k:lock')).toBe(owner);
      await current?.();
      expect(await client.get('tokenwise:k:lock')).toBeNull();
    });

    it('does nothing on a second release', async () => {
      const store = new RedisTokenStore({ client });
      const release = await store.lock('tokenwise:k', 60_000);
      await release?.();
      const other = await store.lock('tokenwise:k', 60_000);
      await expect(release?.()).resolves.toBeUndefined();
      expect(await client.get('tokenwise:k:lock')).not.toBeNull();
      await other?.();
    });

    it('rejects a TTL below 1 ms', async () => {
      const store = new RedisTokenStore({ client });
      await expect(store.lock('tokenwise:k', 0)).rejects.toThrow(RangeError);
      await expect(store.lock('tokenwise:k', Number.NaN)).rejects.toThrow(RangeError);
    });
  });
});

describe('RedisTokenStore when Redis does not answer', () => {
  it('fails each command after timeoutMs, and drops commands queued meanwhile', async () => {
    const own = await startRedisServer();
    const client = createClient6({
      url: own.url,
      socket: { reconnectStrategy: () => 20 },
    }) as unknown as AnyClient;
    client.on('error', () => {});
    await client.connect();
    try {
      const store = new RedisTokenStore({ client, timeoutMs: 100 });
      await store.set('tokenwise:k', token, 60_000);
      await own.stop();
      const failures = await Promise.all([
        store.get('tokenwise:k').catch((e: unknown) => e),
        store.set('tokenwise:k', token, 60_000).catch((e: unknown) => e),
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

describe('new RedisTokenStore', () => {
  it('rejects a missing client and bad options, naming them', () => {
    expect(() => new RedisTokenStore({} as never)).toThrow(
      /client must be a connected node-redis client/,
    );
    const client = { get: async () => null, set: async () => 'OK', del: async () => 1 };
    expect(() => new RedisTokenStore({ client } as never)).toThrow(/no eval\(\)/);
    const full = { ...client, eval: async () => 1 };
    expect(() => new RedisTokenStore({ client: full, prefix: 1 as never })).toThrow(
      /prefix must be a string/,
    );
    expect(() => new RedisTokenStore({ client: full, timeoutMs: 0 })).toThrow(/timeoutMs must be/);
  });
});
