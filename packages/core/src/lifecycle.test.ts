/**
 * The manager's lifecycle: `close()` stops every kind of wait (token request, background refresh,
 * lock wait, store operation) and rejects callers with ERR_MANAGER_CLOSED; `await using` closes;
 * nothing the manager starts keeps a process alive.
 */
import { fileURLToPath } from 'node:url';
import { runScript } from '@tokenwise/test-kit';
import { describe, expect, it, vi } from 'vitest';
import { TokenwiseError } from './errors.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import { refreshToken } from './flows/refresh-token.ts';
import { deferred, isPending, ticks } from './test-support/async.ts';
import type { Token } from './token.ts';
import { createTokenManager, type TokenManagerOptions } from './token-manager.ts';
import type { TokenStore } from './token-store.ts';

const flow = clientCredentials({
  tokenUrl: 'https://auth.example.com/token',
  clientId: 'c',
  clientSecret: 's',
});
const never = <T>(): Promise<T> => new Promise<T>(() => {});
const answer = async (): Promise<Response> =>
  Response.json({ access_token: 'a', expires_in: 3600 });
/** A fetch that never answers, until its request is aborted. */
const heldFetch: typeof globalThis.fetch = (_input, init) =>
  new Promise((_resolve, reject) => {
    init?.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true });
  });
const hangingStore = () => ({
  get: vi.fn(never<Token | undefined>),
  set: never<void>,
  delete: never<void>,
  lock: never<undefined>,
});
const closed = {
  name: 'ManagerClosedError',
  code: 'ERR_MANAGER_CLOSED',
  message: 'The token manager is closed',
};

function manage(options: Partial<TokenManagerOptions>) {
  return createTokenManager({ flow, fetch: answer, storeTimeoutMs: 60_000, ...options });
}

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

describe('close() with user code that ignores the abort', () => {
  /** A fetch that ignores its signal and never answers (a wrapper that drops `init.signal`). */
  const deafFetch = vi.fn<typeof globalThis.fetch>(never);
  const rtFlow = refreshToken({
    tokenUrl: 'https://auth.example.com/token',
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

describe('process lifetime', () => {
  it('lets a process exit while a background refresh waits for another process’s lock', async () => {
    const here = fileURLToPath(new URL('.', import.meta.url));
    const entry = new URL('./index.ts', import.meta.url); // the sources: Node strips the types
    const script = `
      const { createTokenManager, clientCredentials } = await import(${JSON.stringify(entry.href)});
      const flow = clientCredentials({ tokenUrl: 'https://auth.example.com/token', clientId: 'c', clientSecret: 's' });
      let clock = Date.now();
      let locks = 0;
      const store = {
        get: async () => undefined, set: async () => {}, delete: async () => {},
        // The first lock is ours; then another process holds it and never writes.
        lock: async () => (++locks === 1 ? async () => {} : undefined),
      };
      const fetch = async () => Response.json({ access_token: 'a' + locks, expires_in: 60 });
      const tokens = createTokenManager({ flow, store, fetch, now: () => clock, lockTtlMs: 600_000 });
      const first = await tokens.getToken();
      clock += 40_000; // stale: a background refresh starts and polls the lock
      const second = await tokens.getToken();
      await new Promise((resolve) => setTimeout(resolve, 100));
      console.log(first === second, locks > 2);
    `;
    const { code, signal, stdout, stderr } = await runScript(script, [], {
      cwd: here,
      killAfterMs: 5_000,
    });
    expect({ code, signal, stdout }, stderr).toEqual({
      code: 0,
      signal: null,
      stdout: 'true true',
    });
  }, 10_000);

  it('lets a process exit with a background refresh stuck on a hung store', async () => {
    const here = fileURLToPath(new URL('.', import.meta.url));
    const entry = new URL('./index.ts', import.meta.url);
    const script = `
      const { createTokenManager, clientCredentials } = await import(${JSON.stringify(entry.href)});
      const flow = clientCredentials({ tokenUrl: 'https://auth.example.com/token', clientId: 'c', clientSecret: 's' });
      let clock = Date.now();
      let reads = 0;
      const store = {
        get: () => (++reads === 1 ? Promise.resolve(undefined) : new Promise(() => {})),
        set: async () => {}, delete: async () => {},
      };
      const fetch = async () => Response.json({ access_token: 'a', expires_in: 60 });
      const tokens = createTokenManager({ flow, store, fetch, now: () => clock, storeTimeoutMs: 60_000 });
      await tokens.getToken();
      clock += 40_000;
      await tokens.getToken();
      console.log(reads);
    `;
    const { code, signal, stdout, stderr } = await runScript(script, [], {
      cwd: here,
      killAfterMs: 5_000,
    });
    expect({ code, signal, stdout }, stderr).toEqual({ code: 0, signal: null, stdout: '2' });
  }, 10_000);
});
