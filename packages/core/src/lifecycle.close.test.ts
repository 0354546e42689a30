/**
 * `close()` stops every kind of wait (token request, background refresh, lock wait, store
 * operation) and rejects callers with ERR_MANAGER_CLOSED; `await using` closes.
 */
import { describe, expect, it, vi } from 'vitest';
import { TokenwiseError } from './errors.ts';
import { isPending, ticks } from './test-support/async.ts';
import { closed, heldFetch, manage, never } from './test-support/lifecycle-fakes.ts';
import type { Token } from './token.ts';
import type { TokenStore } from './token-store.ts';

const hangingStore = () => ({
  get: vi.fn(never<Token | undefined>),
  set: never<void>,
  delete: never<void>,
  lock: never<undefined>,
});

describe('close()', () => {
  it('rejects callers waiting on a hung store read at once, and resolves', async () => {
    const store = hangingStore();
    const tokens = manage({ store });
    const pending = tokens.getToken().catch((e: unknown) => e);
    await vi.waitFor(() => expect(store.get).toHaveBeenCalled());
    await tokens.close();
    const error = await pending;
    expect(error).toBeInstanceOf(TokenwiseError);
    expect(error).toMatchObject(closed);
  });

  it('rejects callers waiting on a hung lock() at once', async () => {
    const lock = vi.fn(never<undefined>);
    const tokens = manage({
      store: { get: async () => undefined, set: async () => {}, delete: async () => {}, lock },
    });
    const pending = tokens.getToken().catch((e: unknown) => e);
    await vi.waitFor(() => expect(lock).toHaveBeenCalledTimes(1));
    await tokens.close();
    expect(await pending).toMatchObject(closed);
  });

  it('rejects callers of an in-flight token request, and aborts the request', async () => {
    const fetch = vi.fn(heldFetch);
    const tokens = manage({ fetch });
    const pending = tokens.getToken().catch((e: unknown) => e);
    // In flight: the token request was sent (the cache key digest before it takes a few turns).
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    await tokens.close();
    expect(await pending).toMatchObject(closed);
    expect(fetch.mock.calls[0]?.[1]?.signal?.aborted).toBe(true);
  });

  it('stops a background refresh stuck on the store, without reporting it', async () => {
    let t = Date.UTC(2026, 0, 1);
    let reads = 0;
    const store: TokenStore = {
      get: () => (++reads === 1 ? Promise.resolve(undefined) : never()),
      set: async () => {},
      delete: async () => {},
    };
    const onError = vi.fn();
    const tokens = manage({ store, now: () => t, onError });
    const token = await tokens.getToken();
    t += 3_400_000; // stale: served while a background refresh starts, and hangs on the store
    expect(await tokens.getToken()).toBe(token);
    expect(reads).toBe(2);
    expect(await isPending(tokens.close(), 3)).toBe(false);
    expect(onError).not.toHaveBeenCalled();
  });

  it('makes later getToken and invalidate calls reject the same way; close is idempotent', async () => {
    const tokens = manage({});
    const token = await tokens.getToken();
    await tokens.close();
    await expect(tokens.getToken()).rejects.toMatchObject(closed);
    await expect(tokens.invalidate(token.accessToken)).rejects.toMatchObject(closed);
    await expect(tokens.close()).resolves.toBeUndefined();
  });
});

describe('await using', () => {
  it('closes the manager at the end of the block', async () => {
    let pending: Promise<unknown> | undefined;
    {
      await using tokens = manage({ fetch: heldFetch });
      pending = tokens.getToken().catch((e: unknown) => e);
      await ticks(2);
    }
    expect(await pending).toMatchObject(closed);
  });

  it('is close() itself', () => {
    const tokens = manage({});
    expect(tokens[Symbol.asyncDispose]).toBe(tokens.close);
  });
});
