/**
 * The manager through a store outage: it works from memory with single-flight while the store is
 * down, skips the store during the back-off, and shares tokens through it again once it is back.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  cacheKey,
  callers,
  FaultyStore,
  manage,
  tokenEndpoint,
  tokenRequestMs,
  useFakeTimersEachTest,
} from './test-support/faulty-store.ts';
import { MemoryTokenStore } from './token-store.ts';

useFakeTimersEachTest();

describe('a store that is down, then back', () => {
  it('works from memory with single-flight while down, skips the store during the back-off, and shares through it again after', async () => {
    const endpoint = tokenEndpoint();
    const shared = new MemoryTokenStore({ now: () => Date.now() });
    const store = new FaultyStore(shared);
    store.mode = 'hang';
    const onError = vi.fn();
    const one = manage({ store, fetch: endpoint.fetch, onError, storeTimeoutMs: 1_000 });
    const first = callers(one, 20);
    await vi.advanceTimersByTimeAsync(1_200);
    expect(new Set((await first.results).map((t) => t.accessToken))).toEqual(new Set(['access-1']));
    expect(endpoint.requests()).toBe(1);
    expect(onError).toHaveBeenCalled();

    // Within the back-off a renewal does not ask the store at all: no second timeout to wait.
    const reads = store.calls.get;
    const forced = one.getToken({ forceRefresh: true });
    await vi.advanceTimersByTimeAsync(tokenRequestMs);
    expect((await forced).accessToken).toBe('access-2');
    expect(store.calls.get).toBe(reads);

    // Back up: after the back-off the next renewal probes, and its token reaches the store.
    store.mode = 'up';
    await vi.advanceTimersByTimeAsync(1_000);
    const renewed = one.getToken({ forceRefresh: true });
    await vi.advanceTimersByTimeAsync(tokenRequestMs);
    expect((await renewed).accessToken).toBe('access-3');
    expect((await shared.get(cacheKey))?.accessToken).toBe('access-3');
    const two = manage({ store, fetch: endpoint.fetch });
    expect((await two.getToken()).accessToken).toBe('access-3');
    expect(endpoint.requests()).toBe(3);
  });
});
