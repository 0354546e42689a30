/**
 * The manager against a store that hangs: no caller waits longer than the store timeout plus one
 * token request, store operations do not queue behind a hung one, and a lock granted late is freed.
 * Also: the store timeout option itself.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  cacheKey,
  callers,
  FaultyStore,
  manage,
  never,
  tokenEndpoint,
  tokenRequestMs,
  useFakeTimersEachTest,
} from './test-support/faulty-store.ts';
import { MemoryTokenStore, type TokenStore } from './token-store.ts';

useFakeTimersEachTest();

describe('a store that hangs', () => {
  it('lets 100 concurrent callers settle after one store timeout plus one token request, with one token request', async () => {
    const endpoint = tokenEndpoint();
    const store = new FaultyStore();
    store.mode = 'hang';
    const onError = vi.fn();
    const tokens = manage({ store, fetch: endpoint.fetch, onError, storeTimeoutMs: 1_000 });
    const { settledAt, results } = callers(tokens, 100);
    await vi.advanceTimersByTimeAsync(1_000 + tokenRequestMs - 1);
    expect(settledAt).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(settledAt).toEqual(Array.from({ length: 100 }, () => 1_000 + tokenRequestMs));
    const tokensGot = await results;
    expect(new Set(tokensGot.map((token) => token.accessToken))).toEqual(new Set(['access-1']));
    expect(endpoint.requests()).toBe(1);
    // One read timed out; the lock and the write were not waited for.
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ name: 'TimeoutError' });
    expect(store.calls).toMatchObject({ get: 1, lock: 0 });
  });

  it('uses the default store timeout of 1 s', async () => {
    const endpoint = tokenEndpoint();
    const store = new FaultyStore();
    store.mode = 'hang';
    const { settledAt } = callers(manage({ store, fetch: endpoint.fetch }), 3);
    await vi.advanceTimersByTimeAsync(1_000 + tokenRequestMs);
    expect(settledAt).toEqual([1_200, 1_200, 1_200]);
  });

  it('does not queue store operations: a hung read delays no other', async () => {
    const endpoint = tokenEndpoint();
    const inner = new MemoryTokenStore({ now: () => Date.now() });
    let reads = 0;
    const store: TokenStore = {
      get: (key) => (++reads === 1 ? never() : inner.get(key)),
      set: (key, token, ttlMs) => inner.set(key, token, ttlMs),
      delete: (key) => inner.delete(key),
    };
    const tokens = manage({ store, fetch: endpoint.fetch, storeTimeoutMs: 5_000 });
    const invalidating = tokens.invalidate('some-token'); // its read hangs
    const { settledAt } = callers(tokens, 10);
    await vi.advanceTimersByTimeAsync(tokenRequestMs);
    expect(settledAt).toEqual(Array.from({ length: 10 }, () => tokenRequestMs));
    expect((await inner.get(cacheKey))?.accessToken).toBe('access-1');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await invalidating).toBe(false);
  });

  it('treats a hung lock() as no lock after the timeout, and frees a lock granted late', async () => {
    const endpoint = tokenEndpoint();
    const inner = new MemoryTokenStore({ now: () => Date.now() });
    const release = vi.fn(async () => {});
    const store: TokenStore = {
      get: (key) => inner.get(key),
      set: (key, token, ttlMs) => inner.set(key, token, ttlMs),
      delete: (key) => inner.delete(key),
      lock: () => new Promise((resolve) => setTimeout(() => resolve(release), 3_000)),
    };
    const onError = vi.fn();
    const { settledAt, results } = callers(
      manage({ store, fetch: endpoint.fetch, onError, storeTimeoutMs: 1_000 }),
      5,
    );
    await vi.advanceTimersByTimeAsync(1_000 + tokenRequestMs);
    expect(settledAt).toHaveLength(5);
    expect((await results)[0]?.accessToken).toBe('access-1');
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ name: 'TimeoutError' });
    expect(release).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(2_000); // the lock is granted after all: it is freed
    expect(release).toHaveBeenCalledTimes(1);
  });
});

describe('storeTimeoutMs', () => {
  it('is validated like the other numeric options', () => {
    const store = new MemoryTokenStore();
    expect(() => manage({ store, storeTimeoutMs: 0 })).toThrow(RangeError);
    expect(() => manage({ store, storeTimeoutMs: 60_001 })).toThrow(
      /storeTimeoutMs must be a number from 1 to 60000/,
    );
    expect(() => manage({ store, storeTimeoutMs: Number.NaN })).toThrow(RangeError);
    expect(() => manage({ store, storeTimeoutMs: '5' as never })).toThrow(
      new TypeError('createTokenManager: storeTimeoutMs must be a number, got string'),
    );
    expect(() => manage({ store, storeTimeoutMs: 1 })).not.toThrow();
    expect(() => manage({ store, storeTimeoutMs: 60_000 })).not.toThrow();
  });
});
