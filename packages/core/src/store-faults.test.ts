/**
 * The manager against broken stores: a store that hangs, throws, answers slowly or holds corrupt
 * entries never makes a caller hang, fail or get a bad token. Faked at the boundary: custom
 * stores, an injected fetch, and fake timers (the store timeout and the manager's clock move
 * together, so timings are exact, not wall-clock thresholds).
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clientCredentials } from './flows/client-credentials.ts';
import type { Token } from './token.ts';
import { createTokenManager, type TokenManagerOptions } from './token-manager.ts';
import { MemoryTokenStore, type TokenStore } from './token-store.ts';

const flow = clientCredentials({
  tokenUrl: 'https://auth.example.com/token',
  clientId: 'c',
  clientSecret: 's',
});
const cacheKey = 'tokenwise:test';
const tokenRequestMs = 200;

/** A token endpoint that answers after `tokenRequestMs` (fake time), counting requests. */
function tokenEndpoint(): { fetch: typeof globalThis.fetch; requests: () => number } {
  let requests = 0;
  return {
    fetch: async () => {
      const n = ++requests;
      await new Promise((resolve) => setTimeout(resolve, tokenRequestMs));
      return Response.json({ access_token: `access-${n}`, expires_in: 3600 });
    },
    requests: () => requests,
  };
}

const never = <T>(): Promise<T> => new Promise<T>(() => {});

/** A store over `inner` that can be switched to hang or throw, per operation; counts calls. */
class FaultyStore implements TokenStore {
  mode: 'up' | 'hang' | 'throw' = 'up';
  readonly calls = { get: 0, set: 0, delete: 0, lock: 0 };
  readonly inner: MemoryTokenStore;
  constructor(inner = new MemoryTokenStore({ now: () => Date.now() })) {
    this.inner = inner;
  }
  #fault<T>(name: string, operation: () => Promise<T>): Promise<T> {
    if (this.mode === 'hang') return never();
    if (this.mode === 'throw') return Promise.reject(new Error(`store ${name}: connection lost`));
    return operation();
  }
  get(key: string): Promise<Token | undefined> {
    this.calls.get++;
    return this.#fault('get', () => this.inner.get(key));
  }
  set(key: string, token: Token, ttlMs?: number): Promise<void> {
    this.calls.set++;
    return this.#fault('set', () => this.inner.set(key, token, ttlMs));
  }
  delete(key: string): Promise<void> {
    this.calls.delete++;
    return this.#fault('delete', () => this.inner.delete(key));
  }
  lock(): Promise<(() => Promise<void>) | undefined> {
    this.calls.lock++;
    return this.#fault('lock', async () => async () => {});
  }
}

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
});
afterEach(() => {
  vi.useRealTimers();
});

function manage(options: Partial<TokenManagerOptions> & { store: TokenStore }) {
  return createTokenManager({ flow, cacheKey, now: () => Date.now(), random: () => 0, ...options });
}

/** Starts `n` getToken calls and records, in fake ms from now, when each settles. */
function callers(tokens: { getToken(): Promise<Token> }, n: number) {
  const start = Date.now();
  const settledAt: number[] = [];
  const results = Array.from({ length: n }, () =>
    tokens.getToken().finally(() => settledAt.push(Date.now() - start)),
  );
  return { settledAt, results: Promise.all(results) };
}

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

describe('corrupt store entries', () => {
  const valid = {
    accessToken: 'stored-token',
    tokenType: 'Bearer',
    expiresAt: Date.UTC(2100, 0, 1),
    issuedAt: Date.UTC(2026, 0, 1),
    refreshToken: 'r',
    scope: 'a b',
    raw: {},
  };
  const notAnObject = fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.array(fc.anything()),
    fc.constant(new Map()),
    fc.constant(new Date()),
  );
  const unsendable = fc.oneof(
    fc.constant(''),
    fc.string().map((s) => `${s}\r\nX-Injected: 1`),
    fc.string().map((s) => ` ${s}x`),
    fc.string().map((s) => `x${s} `),
    fc.string().map((s) => `x\u0000${s}`),
    fc.string().map((s) => `tok\u00e9n${s}`),
    fc.string().map((s) => `x\t${s}y`),
  );
  const notAString = fc.oneof(
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.object(),
    fc.array(fc.string()),
  );
  const notATime = fc.oneof(
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, null, true),
    fc.string(),
    fc.object(),
  );
  const corrupt: fc.Arbitrary<unknown> = fc.oneof(
    notAnObject,
    fc.oneof(unsendable, notAString).map((accessToken) => ({ ...valid, accessToken })),
    fc
      .oneof(notAString, fc.constantFrom('', 'Bearer x', 'Bearer\r\n', 'DPoP', 'MAC', 'PoP', 'N_A'))
      .map((tokenType) => ({ ...valid, tokenType })),
    fc
      .tuple(fc.constantFrom('expiresAt', 'issuedAt', 'refreshTokenExpiresAt'), notATime)
      .map(([field, value]) => ({ ...valid, [field]: value })),
    fc
      .tuple(fc.constantFrom('refreshToken', 'scope'), notAString)
      .map(([field, value]) => ({ ...valid, [field]: value })),
    fc
      .oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.anything()))
      .map((raw) => ({ ...valid, raw })),
  );

  it('are a miss, reported, never served, and overwritten with the new token (1,000 generated entries)', async () => {
    vi.useRealTimers(); // no timer involved: the endpoint answers at once
    // The check lets real tokens through: a valid entry is served, nothing reported.
    const store = new MemoryTokenStore();
    await store.set(cacheKey, valid);
    const control = createTokenManager({
      flow,
      cacheKey,
      store,
      onError: (e) => {
        throw e;
      },
      fetch: () => {
        throw new Error('no request expected');
      },
    });
    expect(await control.getToken()).toEqual(valid);
    // So does an entry of another realm or class (a store may build its own objects), in any case.
    class StoredToken {
      constructor(
        readonly accessToken: string,
        readonly tokenType: string,
        readonly raw: object,
      ) {}
    }
    await store.set(cacheKey, new StoredToken('class-token', 'bearer', {}) as never);
    await control.invalidate('stored-token');
    expect(await control.getToken()).toMatchObject({
      accessToken: 'class-token',
      tokenType: 'Bearer',
    });
    await fc.assert(
      fc.asyncProperty(corrupt, async (entry) => {
        const inner = new MemoryTokenStore();
        await inner.set(cacheKey, entry as Token);
        const onError = vi.fn();
        const tokens = createTokenManager({
          flow,
          cacheKey,
          store: inner,
          onError,
          fetch: async () => Response.json({ access_token: 'fresh', expires_in: 3600 }),
        });
        const token = await tokens.getToken();
        expect(token.accessToken).toBe('fresh');
        expect((await inner.get(cacheKey))?.accessToken).toBe('fresh');
        expect(onError).toHaveBeenCalledWith(expect.any(TypeError));
        // The report names what is wrong, never the entry's value.
        const [[reported]] = onError.mock.calls as [[Error]];
        expect(reported.message).toMatch(
          /^The token store returned an entry that is not a token: /,
        );
        const stored = (entry as { accessToken?: unknown }).accessToken;
        if (typeof stored === 'string' && stored.length > 2)
          expect(reported.message).not.toContain(stored);
        await tokens.close();
      }),
      { numRuns: 1_000 },
    );
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
