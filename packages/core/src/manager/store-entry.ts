/**
 * A manager's entry in its token store. The store is a cache, so it never fails, hangs or
 * corrupts a token request: every operation is bounded by a timeout and by the manager's close;
 * operations run side by side (a hung one delays no other); a failure or timeout is reported and
 * answered from memory (a read misses, a lock is no lock, a write keeps the token in this
 * process), and marks the store down (see {@link StoreHealth}). While it is down, reads and locks
 * are not sent, and writes are sent without waiting for them: a write that lands brings the store
 * back and replaces whatever bad entry was there. What a read returns is checked
 * ({@link readStoredToken}). Without a store, the manager's memory is the only cache: reads miss
 * and writes do nothing.
 *
 * @module
 */
import type { TokenEvents } from '../events/token-events.ts';
import type { Flow } from '../flows/flow.ts';
import type { Closable } from '../internal/lifetime.ts';
import { detachedTimer, type StartTimer } from '../internal/timers.ts';
import type { Token } from '../token.ts';
import type { TokenStore } from '../token-store.ts';
import { digestCacheKey } from './cache-key.ts';
import { StoreHealth } from './store-health.ts';
import { boundedStoreOperation } from './store-operation.ts';
import { readStoredToken } from './stored-token.ts';

/** Frees a store lock. */
export type Release = () => Promise<void>;

/** What a {@link StoreEntry} needs from the manager's settings. */
export interface StoreEntrySettings {
  readonly flow: Flow;
  /** `undefined`: no store, the manager's memory is the only cache. */
  readonly store: TokenStore | undefined;
  /** The key the user chose; `undefined`: a digest of the flow's key material. */
  readonly cacheKey: string | undefined;
  /** How long one operation may take, in ms. */
  readonly storeTimeoutMs: number;
  /** The clock, for the back-off and entry lifetimes. */
  readonly now: () => number;
  readonly onError: ((error: unknown) => void) | undefined;
  /** With DPoP, the key's thumbprint ends the store key: only holders of the key share tokens. */
  readonly dpop?: { thumbprint(): Promise<string> } | undefined;
  /** Where a failed operation is reported as a `store.error` event; absent in some tests. */
  readonly events?: TokenEvents | undefined;
}

/** The store operations, as `store.error` events name them. */
type StoreOperationName = 'get' | 'set' | 'delete' | 'lock' | 'release';

const noLock: Release = async () => {};

/**
 * The manager's entry in its store. Each operation takes the timer its wait runs on: an awaited
 * one for a caller's work, a detached one for work nobody awaits (it does not keep the process
 * alive).
 *
 * @example
 * ```ts
 * const entry = new StoreEntry({ flow, store: redisStore, cacheKey: undefined, storeTimeoutMs: 1_000, now: Date.now, onError }, lifetime);
 * const token = await entry.get(awaitedTimer); // undefined after 1 s if Redis hangs
 * ```
 */
export class StoreEntry {
  readonly #settings: StoreEntrySettings;
  readonly #closed: Closable;
  /** Made on the first failure: a store that never fails never needs one. */
  #health: StoreHealth | undefined;
  /** The key, worked out on first use (a digest is not allowed in a Worker's global scope). */
  #key: Promise<string> | undefined;

  constructor(settings: StoreEntrySettings, closed: Closable) {
    this.#settings = settings;
    this.#closed = closed;
  }

  /** Whether the store has `lock()`. */
  get locks(): boolean {
    return typeof this.#settings.store?.lock === 'function';
  }

  /**
   * The store key: the user's, or `tokenwise:<grant>:<digest>`; with DPoP, followed by
   * `:dpop:<the key's JWK thumbprint>`.
   */
  key(): Promise<string> {
    if (this.#key !== undefined) return this.#key;
    const { cacheKey, flow, dpop } = this.#settings;
    const base = cacheKey !== undefined ? Promise.resolve(cacheKey) : digestCacheKey(flow);
    const key =
      dpop === undefined
        ? base
        : Promise.all([base, dpop.thumbprint()]).then(([start, jkt]) => `${start}:dpop:${jkt}`);
    this.#key = key;
    // A key that failed to be worked out (a key pair WebCrypto refused) is tried again next time.
    key.catch(() => {
      if (this.#key === key) this.#key = undefined;
    });
    return key;
  }

  /** The valid token in the entry, or `undefined` (a miss, a failure, a bad entry, the store down). */
  async get(startTimer: StartTimer): Promise<Token | undefined> {
    const { store, onError } = this.#settings;
    const admission = this.#health?.admit() ?? 'up';
    if (store === undefined || admission === 'skip') return undefined;
    const key = await this.key();
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
    const { store, now } = this.#settings;
    if (store === undefined) return;
    const until = token.refreshToken !== undefined ? token.refreshTokenExpiresAt : token.expiresAt;
    const ttlMs = until === undefined ? undefined : Math.max(1, until - now());
    const key = await this.key();
    return this.#write('set', () => store.set(key, token, ttlMs), startTimer);
  }

  /** Deletes the entry; while the store is down the delete is sent and not waited for. */
  async delete(startTimer: StartTimer): Promise<void> {
    const { store } = this.#settings;
    if (store === undefined) return;
    const key = await this.key();
    return this.#write('delete', () => store.delete(key), startTimer);
  }

  /**
   * Takes the entry's lock: its release, or `undefined` when another holder has it. A store that
   * is down, fails or does not answer in time gives a release that does nothing (no lock: fetch
   * anyway); a lock that arrives after its timeout is freed at once.
   */
  async lock(ttlMs: number, startTimer: StartTimer): Promise<Release | undefined> {
    const { store } = this.#settings;
    const lock = store?.lock;
    const admission = this.#health?.admit() ?? 'up';
    if (lock === undefined || admission === 'skip') return noLock;
    const key = await this.key();
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
    const { storeTimeoutMs, onError, now, events } = this.#settings;
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
        events?.storeError(name, error);
        onError?.(error);
      },
    });
  }
}
