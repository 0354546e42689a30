/** new RedisTokenStore(): a missing client, a client of neither library and bad options are refused by name. */
import { describe, expect, it } from 'vitest';
import { RedisTokenStore } from './redis-token-store.ts';

const expected =
  /client must be a connected node-redis client \(createClient, createCluster\) or ioredis client \(new Redis, new Cluster\)/;

describe('new RedisTokenStore', () => {
  it('rejects a missing client, or one that is neither node-redis nor ioredis, naming both', () => {
    expect(() => new RedisTokenStore({} as never)).toThrow(TypeError);
    expect(() => new RedisTokenStore({} as never)).toThrow(expected);
    expect(() => new RedisTokenStore({ client: 'redis://localhost:6379' } as never)).toThrow(
      /got a string \(no get\(\)\)/,
    );
    class Memcached {
      get = async () => null;
      set = async () => true;
    }
    expect(() => new RedisTokenStore({ client: new Memcached() } as never)).toThrow(
      /got a Memcached \(no del\(\)\)/,
    );
    const client = { get: async () => null, set: async () => 'OK', del: async () => 1 };
    expect(() => new RedisTokenStore({ client } as never)).toThrow(/got an object \(no eval\(\)\)/);
  });

  it('rejects bad options, naming them', () => {
    const client = {
      get: async () => null,
      set: async () => 'OK',
      del: async () => 1,
      eval: async () => 1,
    };
    expect(() => new RedisTokenStore({ client, prefix: 1 as never })).toThrow(
      /prefix must be a string/,
    );
    expect(() => new RedisTokenStore({ client, timeoutMs: 0 })).toThrow(/timeoutMs must be/);
  });
});
