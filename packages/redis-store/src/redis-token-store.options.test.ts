/** new RedisTokenStore(): a missing client and bad options are refused by name. */
import { describe, expect, it } from 'vitest';
import { RedisTokenStore } from './redis-token-store.ts';

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
