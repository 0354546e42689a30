/**
 * A manager over a token store with a lock (one token request across processes) and over a
 * failing store (never fails a request).
 */
import { describe, expect, it, vi } from 'vitest';
import { TokenEndpointError } from './errors.ts';
import { isPending, until } from './test-support/async.ts';
import { clock, hour, manage, server, useManagerFixture } from './test-support/manager-fixture.ts';
import type { Token } from './token.ts';
import { MemoryTokenStore, type TokenStore } from './token-store.ts';

useManagerFixture();

/** An in-memory store with a lock, and a way to hold the lock "in another process". */
class LockingStore implements TokenStore {
  readonly #inner: MemoryTokenStore;
  readonly #now: () => number;
  #holder: { id: number; until: number } | undefined;
  #ids = 0;
  lockCalls = 0;
  releases = 0;
  /** A lock that never frees (a broken store). */
  stuck = false;

  constructor(now: () => number) {
    this.#now = now;
    this.#inner = new MemoryTokenStore({ now });
  }
  get(key: string): Promise<Token | undefined> {
    return this.#inner.get(key);
  }
  set(key: string, token: Token, ttlMs?: number): Promise<void> {
    return this.#inner.set(key, token, ttlMs);
  }
  delete(key: string): Promise<void> {
    return this.#inner.delete(key);
  }
  get held(): boolean {
    return this.#holder !== undefined && this.#now() < this.#holder.until;
  }
  holdElsewhere(ttlMs: number): void {
    this.#holder = { id: ++this.#ids, until: this.#now() + ttlMs };
  }
  async lock(_key: string, ttlMs: number): Promise<(() => Promise<void>) | undefined> {
    this.lockCalls++;
    if (this.stuck || this.held) return undefined;
    const mine = { id: ++this.#ids, until: this.#now() + ttlMs };
    this.#holder = mine;
    return async () => {
      this.releases++;
      if (this.#holder === mine) this.#holder = undefined;
    };
  }
}

describe('store with a lock', () => {
  const elsewhere = (): Token => ({
    accessToken: 'from-another-process',
    tokenType: 'Bearer',
    expiresAt: clock.now() + hour,
    issuedAt: clock.now(),
    raw: {},
  });

  it('waits for the lock holder’s stored result instead of fetching', async () => {
    const store = new LockingStore(clock.now);
    store.holdElsewhere(30_000);
    const tokens = manage({ store });
    const pending = tokens.getToken();
    await until(() => store.lockCalls >= 3);
    expect(await isPending(pending)).toBe(true);
    await store.set(await tokens.cacheKey(), elsewhere());
    expect((await pending).accessToken).toBe('from-another-process');
    expect(server.tokenRequests).toHaveLength(0);
  });

  it('fetches itself once the lock of a holder that never writes expires (lock TTL)', async () => {
    const store = new LockingStore(clock.now);
    store.holdElsewhere(1_000);
    const tokens = manage({ store, lockTtlMs: 1_000 });
    const pending = tokens.getToken();
    await until(() => store.lockCalls >= 2);
    clock.advance(999);
    const calls = store.lockCalls;
    await until(() => store.lockCalls >= calls + 2);
    expect(await isPending(pending)).toBe(true);
    expect(server.tokenRequests).toHaveLength(0);
    clock.advance(1);
    expect((await pending).accessToken).toBe(server.issued[0]);
    expect(server.tokenRequests).toHaveLength(1);
    expect(store.releases).toBe(1);
    expect(store.held).toBe(false);
  });

  it('fetches anyway after two lock lifetimes when the lock never frees', async () => {
    const store = new LockingStore(clock.now);
    store.stuck = true;
    const tokens = manage({ store, lockTtlMs: 1_000 });
    const pending = tokens.getToken();
    await until(() => store.lockCalls >= 2);
    clock.advance(2_000);
    const calls = store.lockCalls;
    await until(() => store.lockCalls >= calls + 2);
    expect(await isPending(pending)).toBe(true);
    clock.advance(1);
    expect((await pending).accessToken).toBe(server.issued[0]);
    expect(server.tokenRequests).toHaveLength(1);
  });

  it('makes one token request for two cold managers sharing the store, and releases the lock', async () => {
    const store = new LockingStore(clock.now);
    const one = manage({ store });
    const two = manage({ store });
    const [a, b] = await Promise.all([one.getToken(), two.getToken()]);
    expect(b?.accessToken).toBe(a?.accessToken);
    expect(server.tokenRequests).toHaveLength(1);
    expect(store.releases).toBe(1);
    expect(store.held).toBe(false);
  });

  it('releases the lock when the token request fails', async () => {
    const store = new LockingStore(clock.now);
    server.script({ status: 400, body: { error: 'invalid_client' } });
    const tokens = manage({ store });
    await expect(tokens.getToken()).rejects.toBeInstanceOf(TokenEndpointError);
    expect(store.releases).toBe(1);
    expect(store.held).toBe(false);
  });
});

describe('a failing store', () => {
  const broken = (): TokenStore => ({
    get: async () => {
      throw new Error('store get: connection lost');
    },
    set: async () => {
      throw new Error('store set: connection lost');
    },
    delete: async () => {
      throw new Error('store delete: connection lost');
    },
  });

  it('never fails a request: reads miss, the token lives in memory, errors go to onError', async () => {
    const onError = vi.fn();
    const tokens = manage({ store: broken(), onError });
    const results = await Promise.all(Array.from({ length: 10 }, () => tokens.getToken()));
    expect(new Set(results.map((t) => t.accessToken))).toEqual(new Set([server.issued[0]]));
    expect(server.tokenRequests).toHaveLength(1);
    expect((await tokens.getToken()).accessToken).toBe(server.issued[0]);
    expect(await tokens.invalidate(server.issued[0] ?? '')).toBe(true);
    expect((await tokens.getToken()).accessToken).toBe(server.issued[1]);
    const messages = onError.mock.calls.map(([error]) => (error as Error).message);
    expect(messages).toContain('store get: connection lost');
    expect(messages).toContain('store set: connection lost');
  });

  it('fetches without the lock when taking it fails', async () => {
    const onError = vi.fn();
    const inner = new MemoryTokenStore({ now: clock.now });
    const store: TokenStore = {
      get: (key) => inner.get(key),
      set: (key, token, ttlMs) => inner.set(key, token, ttlMs),
      delete: (key) => inner.delete(key),
      lock: async () => {
        throw new Error('store lock: connection lost');
      },
    };
    const tokens = manage({ store, onError });
    expect((await tokens.getToken()).accessToken).toBe(server.issued[0]);
    expect(server.tokenRequests).toHaveLength(1);
    expect(onError.mock.calls.map(([error]) => (error as Error).message)).toContain(
      'store lock: connection lost',
    );
  });
});
