/**
 * A manager's entry in its token store: the store operations. Without a store, the manager's
 * memory is the only cache: reads miss, writes do nothing, every such manager shares one entry
 * (it holds nothing for it), and the code of the store operations (timeouts, health, checks of
 * what a read returns: `shared-store-entry.ts`) is never loaded; with one, it loads with the
 * first operation.
 *
 * @module
 */
import type { StoreErrorEvent } from '../events/token-event.ts';
import type { Closable } from '../internal/lifetime.ts';
import type { StartTimer } from '../internal/timers.ts';
import type { Token } from '../token.ts';
import type { TokenStore } from '../token-store.ts';
import { storeKey } from './cache-key.ts';
import { type EventsHolder, eventsFor } from './lazy-events.ts';
import type { SharedStoreEntry, StoreEntryOwner } from './shared-store-entry.ts';

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
 * A manager's entry in its store. Each operation takes the timer its wait runs on: an awaited
 * one for a caller's work, a detached one for work nobody awaits (it does not keep the process
 * alive).
 *
 * @example
 * ```ts
 * const entry = storeEntryOf(readManagerOptions({ flow, store: redisStore }), lifetime);
 * const token = await entry.get(awaitedTimer); // undefined after 1 s if Redis hangs
 * ```
 */
export interface StoreEntry {
  /** True when the store can lock (it has `lock`). */
  readonly locks: boolean;
  /** The valid token in the entry, or `undefined` (no store, a miss, a failure, a bad entry). */
  get(startTimer: StartTimer): Promise<Token | undefined>;
  /** Stores `token` for as long as it is worth keeping; nothing without a store. */
  set(token: Token, startTimer: StartTimer): Promise<void>;
  /** Deletes the entry; nothing without a store. */
  delete(startTimer: StartTimer): Promise<void>;
  /**
   * Takes the entry's lock: its release, or `undefined` when another holder has it. No store
   * lock, or a store that is down, fails or does not answer in time: a release that does nothing.
   */
  lock(ttlMs: number, startTimer: StartTimer): Promise<Release | undefined>;
}

/**
 * The entry of every manager without a store: reads miss, writes do nothing, the lock is no lock.
 *
 * @example
 * ```ts
 * await noStoreEntry.get(awaitedTimer); // undefined
 * ```
 */
const noStoreEntry: StoreEntry = /* @__PURE__ */ Object.freeze({
  locks: false,
  get: () => Promise.resolve(undefined),
  set: () => Promise.resolve(),
  delete: () => Promise.resolve(),
  lock: () => Promise.resolve(noLock),
});

/**
 * The entry of a manager: in its store, or {@link noStoreEntry} without one.
 *
 * @example
 * ```ts
 * const entry = storeEntryOf(settings, lifetime);
 * ```
 */
export function storeEntryOf(settings: StoreEntrySettings, closed: Closable): StoreEntry {
  const { store } = settings;
  return store === undefined ? noStoreEntry : new ConfiguredStoreEntry(settings, store, closed);
}

/** The entry of a manager in its configured store. */
class ConfiguredStoreEntry implements StoreEntry, StoreEntryOwner {
  readonly #settings: StoreEntrySettings;
  readonly #store: TokenStore;
  readonly #closed: Closable;
  #loading: Promise<SharedStoreEntry> | undefined;
  #shared: SharedStoreEntry | undefined;

  constructor(settings: StoreEntrySettings, store: TokenStore, closed: Closable) {
    this.#settings = settings;
    this.#store = store;
    this.#closed = closed;
  }

  get locks(): boolean {
    return typeof this.#store.lock === 'function';
  }

  /** The store key (see {@link storeKey}), worked out once. */
  key(): Promise<string> {
    return storeKey(this.#settings);
  }

  /** Reports a failed operation as a `store.error` event, when someone listens. */
  reportStoreError(operation: StoreErrorEvent['operation'], error: unknown): void {
    eventsFor(this.#settings, 'store.error')?.storeError(operation, error);
  }

  get(startTimer: StartTimer): Promise<Token | undefined> {
    return this.#withStore((shared) => shared.get(startTimer));
  }

  set(token: Token, startTimer: StartTimer): Promise<void> {
    return this.#withStore((shared) => shared.set(token, startTimer));
  }

  delete(startTimer: StartTimer): Promise<void> {
    return this.#withStore((shared) => shared.delete(startTimer));
  }

  lock(ttlMs: number, startTimer: StartTimer): Promise<Release | undefined> {
    if (!this.locks) return Promise.resolve(noLock);
    return this.#withStore((shared) => shared.lock(ttlMs, startTimer));
  }

  /**
   * `operation` on the store operations (loaded with the first of them; from then on called at
   * once, as if they were this class's).
   */
  #withStore<T>(operation: (shared: SharedStoreEntry) => Promise<T>): Promise<T> {
    if (this.#shared !== undefined) return operation(this.#shared);
    this.#loading ??= import('./shared-store-entry.ts').then(({ SharedStoreEntry }) => {
      this.#shared = new SharedStoreEntry(this.#settings, this.#store, this.#closed, this);
      return this.#shared;
    });
    return this.#loading.then(operation);
  }
}
