/**
 * The operations on a configured token store, loaded with the first of them (a manager without a
 * store never loads this). The store is a cache, so it never fails, hangs or corrupts a token
 * request: every operation is bounded by a timeout and by the manager's close; operations run
 * side by side (a hung one delays no other); a failure or timeout is reported and answered from
 * memory (a read misses, a lock is no lock, a write keeps the token in this process), and marks
 * the store down (see {@link StoreHealth}). While it is down, reads and locks are not sent, and
 * writes are sent without waiting for them: a write that lands brings the store back and
 * replaces whatever bad entry was there. What a read returns is checked ({@link readStoredToken}).
 *
 * @module
 */
import type { Closable } from '../internal/lifetime.ts';
import { detachedTimer, type StartTimer } from '../internal/timers.ts';
import type { Token } from '../token.ts';
import type { TokenStore } from '../token-store.ts';
import type { Release, StoreEntrySettings } from './store-entry.ts';
import { StoreHealth } from './store-health.ts';
import { boundedStoreOperation } from './store-operation.ts';
import { readStoredToken } from './stored-token.ts';

/** The release of no lock (the store down, failing or too slow): nothing to free. */
const noLock: Release = async () => {};

/** The store operations, as `store.error` events name them. */
type StoreOperationName = 'get' | 'set' | 'delete' | 'lock' | 'release';

/**
 * The entry a {@link SharedStoreEntry} works for: it knows the store key, and reports a failed
 * operation as a `store.error` event of its manager.
 *
 * @example
 * ```ts
 * const owner: StoreEntryOwner = { key: () => Promise.resolve('tenant-a'), reportStoreError: () => {} };
 * ```
 */
export interface StoreEntryOwner {
  key(): Promise<string>;
  reportStoreError(operation: StoreOperationName, error: unknown): void;
}

/**
 * A manager's entry in its configured store. Each operation takes the timer its wait runs on: an
 * awaited one for a caller's work, a detached one for work nobody awaits.
 *
 * @example
 * ```ts
 * const shared = new SharedStoreEntry(settings, redisStore, lifetime, entry);
 * const token = await shared.get(awaitedTimer); // undefined after 1 s if Redis hangs
 * ```
 */
export class SharedStoreEntry {
  readonly #settings: StoreEntrySettings;
  readonly #store: TokenStore;
  readonly #closed: Closable;
  readonly #owner: StoreEntryOwner;
  #health: StoreHealth | undefined;

  constructor(
    settings: StoreEntrySettings,
    store: TokenStore,
    closed: Closable,
    owner: StoreEntryOwner,
  ) {
    this.#settings = settings;
    this.#store = store;
    this.#closed = closed;
    this.#owner = owner;
  }

  /** The valid token in the entry, or `undefined` (a miss, a failure, a bad entry, the store down). */
  async get(startTimer: StartTimer): Promise<Token | undefined> {
    const store = this.#store;
    const { onError } = this.#settings;
    const admission = this.#health?.admit() ?? 'up';
    if (admission === 'skip') return undefined;
    const key = await this.#owner.key();
    const value = await this.#run('get', () => store.get(key), undefined, admission, startTimer);
    if (value === undefined || value === null) return undefined;
    const { token, problem } = readStoredToken(value);
    if (problem !== undefined) {
      onError?.(new TypeError(`The token store returned an entry that is not a token: ${problem}`));
    }
    return token;
  }

  /**
   * Stores `token` for as long as it is worth keeping (until its refresh token expires, else the
   * token itself); while the store is down the write is sent and not waited for.
   */
  async set(token: Token, startTimer: StartTimer): Promise<void> {
    const store = this.#store;
    const { now } = this.#settings;
    const until = token.refreshToken !== undefined ? token.refreshTokenExpiresAt : token.expiresAt;
    const ttlMs = until === undefined ? undefined : Math.max(1, until - now());
    const key = await this.#owner.key();
    return this.#write('set', () => store.set(key, token, ttlMs), startTimer);
  }

  /** Deletes the entry; while the store is down the delete is sent and not waited for. */
  async delete(startTimer: StartTimer): Promise<void> {
    const store = this.#store;
    const key = await this.#owner.key();
    return this.#write('delete', () => store.delete(key), startTimer);
  }

  /**
   * Takes the entry's lock: its release, or `undefined` when another holder has it. A store that
   * is down, fails or does not answer in time gives a release that does nothing (no lock: fetch
   * anyway); a lock that arrives after its timeout is freed at once.
   */
  async lock(ttlMs: number, startTimer: StartTimer): Promise<Release | undefined> {
    const store = this.#store;
    const lock = store.lock;
    const admission = this.#health?.admit() ?? 'up';
    if (lock === undefined || admission === 'skip') return noLock;
    const key = await this.#owner.key();
    const release = await this.#run(
      'lock',
      () => lock.call(store, key, ttlMs),
      noLock,
      admission,
      startTimer,
      (late) => late?.().catch(() => {}),
    );
    if (release === undefined || release === noLock) return release;
    return () => this.#write('release', release, startTimer);
  }

  async #write(name: StoreOperationName, operation: () => Promise<void>, startTimer: StartTimer) {
    if (!this.#health?.isDown) return this.#run(name, operation, undefined, 'up', startTimer);
    // Sent, not awaited: it brings the store back (and replaces a bad entry) if it lands.
    this.#run(name, operation, undefined, 'up', detachedTimer).catch(() => {});
  }

  /** One operation, bounded; its success or failure updates the store's health. */
  #run<T>(
    name: StoreOperationName,
    operation: () => Promise<T>,
    fallback: T,
    admission: 'up' | 'probe',
    startTimer: StartTimer,
    late?: (result: T) => unknown,
  ): Promise<T> {
    const { storeTimeoutMs, onError, now } = this.#settings;
    return boundedStoreOperation(operation, {
      name,
      timeoutMs: storeTimeoutMs,
      closed: this.#closed,
      startTimer,
      fallback,
      late,
      succeeded: () => this.#health?.succeeded(),
      failed: (error) => {
        this.#health ??= new StoreHealth(now);
        this.#health.failed(admission);
        this.#owner.reportStoreError(name, error);
        onError?.(error);
      },
    });
  }
}
