/**
 * A manager's entry in its token store: the cache key, and the store operations. Without a store,
 * the manager's memory is the only cache: reads miss, writes do nothing, and the code of the
 * store operations (timeouts, health, checks of what a read returns: `shared-store-entry.ts`) is
 * never loaded; with one, it loads with the first operation.
 *
 * @module
 */
import type { Closable } from '../internal/lifetime.ts';
import type { StartTimer } from '../internal/timers.ts';
import type { Token } from '../token.ts';
import type { TokenStore } from '../token-store.ts';
import { storeKey } from './cache-key.ts';
import type { EventsHolder } from './lazy-events.ts';
import type { SharedStoreEntry } from './shared-store-entry.ts';

/** Frees a store lock. */
export type Release = () => Promise<void>;

/** What a {@link StoreEntry} needs from the manager's settings. */
export interface StoreEntrySettings extends EventsHolder {
  /** `undefined`: no store, the manager's memory is the only cache. */
  readonly store: TokenStore | undefined;
  /** How long one operation may take, in ms. */
  readonly storeTimeoutMs: number;
}

/** The release of no lock (the store cannot lock): nothing to free. */
const noLock: Release = async () => {};

/**
 * The manager's entry in its store. Each operation takes the timer its wait runs on: an awaited
 * one for a caller's work, a detached one for work nobody awaits (it does not keep the process
 * alive).
 *
 * @example
 * ```ts
 * const entry = new StoreEntry(readManagerOptions({ flow, store: redisStore }), lifetime);
 * const token = await entry.get(awaitedTimer); // undefined after 1 s if Redis hangs
 * ```
 */
export class StoreEntry {
  readonly #settings: StoreEntrySettings;
  readonly #closed: Closable;
  #key: Promise<string> | undefined;
  #loading: Promise<SharedStoreEntry> | undefined;
  #shared: SharedStoreEntry | undefined;

  constructor(settings: StoreEntrySettings, closed: Closable) {
    this.#settings = settings;
    this.#closed = closed;
  }

  /** True when the store can lock (it has `lock`). */
  get locks(): boolean {
    return typeof this.#settings.store?.lock === 'function';
  }

  /**
   * The store key: the user's, or `tokenwise:<grant>:<digest>`; with DPoP, followed by
   * `:dpop:<the key's JWK thumbprint>`.
   */
  key(): Promise<string> {
    if (this.#key !== undefined) return this.#key;
    const key = storeKey(this.#settings);
    this.#key = key;
    // A key that failed to be worked out (a key pair WebCrypto refused) is tried again next time.
    key.catch(() => {
      if (this.#key === key) this.#key = undefined;
    });
    return key;
  }

  /** The valid token in the entry, or `undefined` (no store, a miss, a failure, a bad entry). */
  get(startTimer: StartTimer): Promise<Token | undefined> {
    return this.#withStore(undefined, (shared) => shared.get(startTimer));
  }

  /** Stores `token` for as long as it is worth keeping; nothing without a store. */
  set(token: Token, startTimer: StartTimer): Promise<void> {
    return this.#withStore(undefined, (shared) => shared.set(token, startTimer));
  }

  /** Deletes the entry; nothing without a store. */
  delete(startTimer: StartTimer): Promise<void> {
    return this.#withStore(undefined, (shared) => shared.delete(startTimer));
  }

  /**
   * Takes the entry's lock: its release, or `undefined` when another holder has it. No store
   * lock, or a store that is down, fails or does not answer in time: a release that does nothing.
   */
  lock(ttlMs: number, startTimer: StartTimer): Promise<Release | undefined> {
    if (!this.locks) return Promise.resolve(noLock);
    return this.#withStore(noLock, (shared) => shared.lock(ttlMs, startTimer));
  }

  /**
   * `operation` on the store operations (loaded with the first of them; from then on called at
   * once, as if they were this class's), or `none` without a store.
   */
  #withStore<T>(none: T, operation: (shared: SharedStoreEntry) => Promise<T>): Promise<T> {
    const { store } = this.#settings;
    if (store === undefined) return Promise.resolve(none);
    if (this.#shared !== undefined) return operation(this.#shared);
    this.#loading ??= import('./shared-store-entry.ts').then(({ SharedStoreEntry }) => {
      this.#shared = new SharedStoreEntry(this.#settings, store, this.#closed, () => this.key());
      return this.#shared;
    });
    return this.#loading.then(operation);
  }
}
