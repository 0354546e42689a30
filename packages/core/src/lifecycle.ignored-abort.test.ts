/**
 * `close()` resolves, and rejects the callers, even while user code ignores the abort: a fetch
 * that drops its signal, an `onTokenChange` or a store write that never settles.
 */
import { describe, expect, it, vi } from 'vitest';
import { refreshToken } from './flows/refresh-token.ts';
import { deferred, isPending } from './test-support/async.ts';
import { closed, manage, never } from './test-support/lifecycle-fakes.ts';
import { offlineTokenUrl } from './test-support/offline-token-endpoint.ts';

describe('close() with user code that ignores the abort', () => {
  /** A fetch that ignores its signal and never answers (a wrapper that drops `init.signal`). */
  const deafFetch = vi.fn<typeof globalThis.fetch>(never);
  const rtFlow = refreshToken({
    tokenUrl: offlineTokenUrl,
    clientId: 'c',
    clientSecret: 's',
    refreshToken: 'rt-start',
  });

  it('resolves while a fetch ignores its signal, and rejects the callers', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(never);
    const tokens = manage({ fetch });
    const pending = tokens.getToken().catch((e: unknown) => e);
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    expect(await isPending(tokens.close(), 3)).toBe(false);
    expect(await pending).toMatchObject(closed);
  });

  it('resolves while onTokenChange never settles, and rejects the callers', async () => {
    const onTokenChange = vi.fn(never<void>);
    const tokens = manage({ flow: rtFlow, onTokenChange });
    const pending = tokens.getToken().catch((e: unknown) => e);
    await vi.waitFor(() => expect(onTokenChange).toHaveBeenCalledTimes(1));
    expect(await isPending(tokens.close(), 3)).toBe(false);
    expect(await pending).toMatchObject(closed);
  });

  it('resolves while a background refresh waits on onTokenChange, without reporting it', async () => {
    let t = Date.UTC(2026, 0, 1);
    let calls = 0;
    const onTokenChange = vi.fn(() => (++calls === 1 ? undefined : never<void>()));
    const onError = vi.fn();
    const tokens = manage({ flow: rtFlow, onTokenChange, onError, now: () => t });
    const token = await tokens.getToken();
    t += 3_400_000; // stale: served while a background refresh starts, and hangs in the handler
    expect(await tokens.getToken()).toBe(token);
    await vi.waitFor(() => expect(onTokenChange).toHaveBeenCalledTimes(2));
    expect(await isPending(tokens.close(), 3)).toBe(false);
    expect(onError).not.toHaveBeenCalled();
  });

  it('resolves while a store write never settles, and rejects the callers', async () => {
    const set = vi.fn(never<void>);
    const tokens = manage({ store: { get: async () => undefined, set, delete: never } });
    const pending = tokens.getToken().catch((e: unknown) => e);
    await vi.waitFor(() => expect(set).toHaveBeenCalledTimes(1));
    expect(await isPending(tokens.close(), 3)).toBe(false);
    expect(await pending).toMatchObject(closed);
  });

  it('ends a token request whose fetch ignores its signal at the per-attempt timeout', async () => {
    const tokens = manage({ fetch: deafFetch, timeoutMs: 5, retry: false });
    await expect(tokens.getToken()).rejects.toMatchObject({ code: 'ERR_TOKEN_TIMEOUT' });
    expect(deafFetch).toHaveBeenCalledTimes(1);
  });

  it('lets an `await using` block exit while a fetch ignores its signal', async () => {
    const sent = deferred();
    const fetch = vi.fn<typeof globalThis.fetch>(() => {
      sent.resolve();
      return never();
    });
    let pending: Promise<unknown> | undefined;
    const block = (async (): Promise<void> => {
      await using tokens = manage({ fetch });
      pending = tokens.getToken().catch((e: unknown) => e);
      await sent.promise; // the block ends with the token request in flight
    })();
    await sent.promise;
    expect(await isPending(block, 3)).toBe(false);
    expect(await pending).toMatchObject(closed);
  });
});
