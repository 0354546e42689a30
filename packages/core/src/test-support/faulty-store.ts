/**
 * What the `store-faults.*.test.ts` files share: a token endpoint that answers after a fixed
 * (fake) time, a store that can be switched to hang or throw, and a manager over them. Timings
 * are exact because the store timeout and the manager's clock both run on fake timers.
 */
import { afterEach, beforeAll, beforeEach, vi } from 'vitest';
import { clientCredentials } from '../flows/client-credentials.ts';
import { withRenewalCode } from '../manager/lazy-renewal.ts';
import type { Token } from '../token.ts';
import {
  createTokenManager,
  type TokenManager,
  type TokenManagerOptions,
} from '../token-manager.ts';
import { MemoryTokenStore, type TokenStore } from '../token-store.ts';

export const flow = clientCredentials({
  tokenUrl: 'https://auth.example.com/token',
  clientId: 'c',
  clientSecret: 's',
});
export const cacheKey = 'tokenwise:test';
/** How long (fake ms) the token endpoint takes to answer. */
export const tokenRequestMs = 200;

/** A token endpoint that answers after `tokenRequestMs` (fake time), counting requests. */
export function tokenEndpoint(): { fetch: typeof globalThis.fetch; requests: () => number } {
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

/** A promise that never settles: a store operation that hangs. */
export const never = <T>(): Promise<T> => new Promise<T>(() => {});

/** A store over `inner` that can be switched to hang or throw, per operation; counts calls. */
export class FaultyStore implements TokenStore {
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

/**
 * Fakes the timers and `Date` (from 2026-01-01) for each test of the file. The code a manager
 * loads on first use (renewal, store operations) is loaded first, as in a process that has
 * renewed a token once: a first load is real I/O, which fake time does not wait for, and these
 * tests time each caller to the fake millisecond.
 */
export function useFakeTimersEachTest(): void {
  beforeAll(() =>
    Promise.all([
      withRenewalCode(async () => {}, new AbortController().signal),
      import('../manager/shared-store-entry.ts'),
    ]),
  );
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}

/** A manager over `store` on the fake clock, without jitter. */
export function manage(
  options: Partial<TokenManagerOptions> & { store: TokenStore },
): TokenManager {
  return createTokenManager({ flow, cacheKey, now: () => Date.now(), random: () => 0, ...options });
}

/** Starts `n` getToken calls and records, in fake ms from now, when each settles. */
export function callers(
  tokens: { getToken(): Promise<Token> },
  n: number,
): { settledAt: number[]; results: Promise<Token[]> } {
  const start = Date.now();
  const settledAt: number[] = [];
  const results = Array.from({ length: n }, () =>
    tokens.getToken().finally(() => settledAt.push(Date.now() - start)),
  );
  return { settledAt, results: Promise.all(results) };
}
