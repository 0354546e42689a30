import type { Token } from './token.ts';

/**
 * Where a {@link TokenManager} keeps tokens. All methods are async so remote stores (Redis) fit.
 * `lock` is optional: a store that has it lets one process of a fleet fetch while the others wait
 * for the stored result.
 *
 * @example
 * ```ts
 * const store: TokenStore = new MemoryTokenStore();
 * ```
 */
export interface TokenStore {
  get(key: string): Promise<Token | undefined>;
  /** `ttlMs`: how long the entry is worth keeping; undefined = no expiry. */
  set(key: string, token: Token, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Takes the lock for `key`; resolves to a release function, or `undefined` if it is held elsewhere. */
  lock?(key: string, ttlMs: number): Promise<(() => Promise<void>) | undefined>;
}

/**
 * The default store: a `Map` in this process. Entries past their TTL are dropped on read.
 *
 * @example
 * ```ts
 * const store = new MemoryTokenStore();
 * const a = createTokenManager({ flow, store });
 * const b = createTokenManager({ flow, store }); // shares a's token
 * ```
 */
export class MemoryTokenStore implements TokenStore {
  readonly #entries = new Map<string, { token: Token; expiresAt: number }>();
  readonly #now: () => number;

  /** @param options.now the clock, for tests. @default Date.now */
  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  async get(key: string): Promise<Token | undefined> {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (this.#now() >= entry.expiresAt) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.token;
  }

  async set(key: string, token: Token, ttlMs?: number): Promise<void> {
    this.#entries.set(key, {
      token,
      expiresAt: ttlMs === undefined ? Number.POSITIVE_INFINITY : this.#now() + ttlMs,
    });
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
  }
}
