import type { TokenStore } from '@tokenwise/core';
import { Cluster, Redis } from 'ioredis';
import { Cluster as Cluster5, Redis as Redis5 } from 'ioredis5';
import { createClient, createClientPool, createCluster } from 'redis';
import { createClient as createClient5, createCluster as createCluster5 } from 'redis5';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type IoRedisClientLike,
  isRedisStoreError,
  type RedisClientLike,
  RedisStoreError,
  type RedisStoreErrorCode,
  RedisTokenStore,
  type RedisTokenStoreOptions,
} from './index.ts';

describe('RedisTokenStore', () => {
  it('takes a node-redis 6 or 5 client as is', () => {
    new RedisTokenStore({ client: createClient() });
    new RedisTokenStore({ client: createClient({ RESP: 2 }) });
    new RedisTokenStore({ client: createClient5() });
    new RedisTokenStore({ client: createClient5({ RESP: 3 }) });
    new RedisTokenStore({ client: createClientPool() });
    new RedisTokenStore({ client: createCluster({ rootNodes: [] }) });
    new RedisTokenStore({ client: createCluster5({ rootNodes: [] }) });
  });

  it('takes an ioredis 6 or 5 client or cluster as is', () => {
    new RedisTokenStore({ client: new Redis() });
    new RedisTokenStore({ client: new Redis5() });
    new RedisTokenStore({ client: new Cluster([{ host: '127.0.0.1', port: 7000 }]) });
    new RedisTokenStore({ client: new Cluster5([{ host: '127.0.0.1', port: 7000 }]) });
    const client: IoRedisClientLike = new Redis({ keyPrefix: 'svc:' });
    new RedisTokenStore({ client });
  });

  it('is a TokenStore with a lock', () => {
    const store = new RedisTokenStore({ client: createClient() });
    expectTypeOf(store).toMatchTypeOf<TokenStore>();
    expectTypeOf(store.lock).returns.resolves.toEqualTypeOf<(() => Promise<void>) | undefined>();
  });

  it('takes the documented options', () => {
    const client: RedisClientLike = createClient();
    new RedisTokenStore({ client, prefix: 'svc:', timeoutMs: 500 });
    new RedisTokenStore({ client, encryptionKey: new Uint8Array(32) });
    new RedisTokenStore({ client, encryptionKey: Buffer.alloc(16) });
    new RedisTokenStore({ client, encryptionKey: {} as CryptoKey });
    expectTypeOf<RedisTokenStoreOptions['prefix']>().toEqualTypeOf<string | undefined>();
  });

  it('rejects wrong options', () => {
    // @ts-expect-error client is required
    new RedisTokenStore({});
    // @ts-expect-error a URL is not a client
    new RedisTokenStore({ client: 'redis://localhost:6379' });
    // @ts-expect-error prefix is a string
    new RedisTokenStore({ client: createClient(), prefix: 1 });
    // @ts-expect-error a passphrase string is not a key
    new RedisTokenStore({ client: createClient(), encryptionKey: 'secret' });
    // @ts-expect-error unknown option
    new RedisTokenStore({ client: createClient(), ttl: 5 });
  });
});

describe('RedisStoreError', () => {
  it('has a literal code and a guard', () => {
    const error: unknown = new Error();
    if (isRedisStoreError(error)) expectTypeOf(error.code).toEqualTypeOf<RedisStoreErrorCode>();
    expectTypeOf<RedisStoreErrorCode>().toEqualTypeOf<
      | 'ERR_REDIS_STORE_TIMEOUT'
      | 'ERR_REDIS_STORE_DECRYPT'
      | 'ERR_REDIS_STORE_ENTRY'
      | 'ERR_REDIS_STORE_LOCK_LOST'
    >();
    expectTypeOf(new RedisStoreError('ERR_REDIS_STORE_TIMEOUT', 'x')).toMatchTypeOf<Error>();
  });
});
