/**
 * The token store as the manager uses it: a cache, so it never fails, hangs or corrupts a token
 * request. Every operation is bounded by a timeout and by the manager's close; operations run
 * side by side (a hung one delays no other); a failure or timeout is reported and answered from
 * memory (a read misses, a lock is no lock, a write keeps the token in this process), and marks
 * the store down (see {@link StoreHealth}). While it is down, reads and locks are not sent, and
 * writes are sent without waiting for them: a write that lands brings the store back and
 * replaces whatever bad entry was there. What a read returns is checked ({@link readStoredToken}).
 */
import type { Token } from '../token.ts';
import type { TokenStore } from '../token-store.ts';
import type { Closable } from './lifetime.ts';
import { type Admission, StoreHealth } from './store-health.ts';
import { readStoredToken } from './stored-token.ts';
import { awaitedTimer, detachedTimer, type StartTimer } from './timers.ts';

/** Frees a store lock. */
export type Release = () => Promise<void>;

/** What a {@link TolerantStore} needs from its manager. */
export interface TolerantStoreOptions {
  readonly store: TokenStore;
  /** How long one operation may take, in ms. */
  readonly timeoutMs: number;
  /** The clock for the back-off. */
  readonly now: () => number;
  /** The manager's lifetime: when it closes, every wait stops with its reason. */
  readonly closed: Closable;
  readonly onError: ((error: unknown) => void) | undefined;
}

const noLock: Release = async () => {};

/**
 * A store wrapped for the manager. {@link TolerantStore.detached} is the same store for work
 * nobody awaits (a background refresh): its timers do not keep the process alive.
 *
 * @example
 * ```ts
 * const store = new TolerantStore({ store: redisStore, timeoutMs: 1_000, now: Date.now, closed, onError });
 * const token = await store.get(key); // undefined after 1 s if Redis hangs
 * ```
 */
export class TolerantStore {
  /** Whether the store has `lock()`. */
  readonly locks: boolean;
  readonly #options: TolerantStoreOptions;
  readonly #health: StoreHealth;
  readonly #timer: StartTimer;
  #detached: TolerantStore | undefined;

  constructor(options: TolerantStoreOptions, health?: StoreHealth, timer?: StartTimer) {
    this.#options = options;
    this.#health = health ?? new StoreHealth(options.now);
    this.#timer = timer ?? awaitedTimer;
    this.locks = typeof options.store.lock === 'function';
  }

  /** This store, with timers that do not keep the process alive. */
  get detached(): TolerantStore {
    this.#detached ??= new TolerantStore(this.#options, this.#health, detachedTimer);
    return this.#detached;
  }

  /** The valid token under `key`, or `undefined` (a miss, a failure, a bad entry, the store down). */
  async get(key: string): Promise<Token | undefined> {
    const admission = this.#health.admit();
    if (admission === 'skip') return undefined;
    const { store } = this.#options;
    const value = await this.#run('get', () => store.get(key), undefined, admission);
    if (value === undefined || value === null) return undefined;
    const { token, problem } = readStoredToken(value);
    if (problem !== undefined) {
      this.#options.onError?.(
        new TypeError(`The token store returned an entry that is not a token: ${problem}`),
      );
    }
    return token;
  }

  /** Stores `token`; while the store is down the write is sent and not waited for. */
  set(key: string, token: Token, ttlMs: number | undefined): Promise<void> {
    const { store } = this.#options;
    return this.#write('set', () => store.set(key, token, ttlMs));
  }

  /** Deletes the entry; while the store is down the delete is sent and not waited for. */
  delete(key: string): Promise<void> {
    const { store } = this.#options;
    return this.#write('delete', () => store.delete(key));
  }

  /**
   * Takes the lock: its release, or `undefined` when another holder has it. A store that is down,
   * fails or does not answer in time gives a release that does nothing (no lock: fetch anyway);
   * a lock that arrives after its timeout is freed at once.
   */
  async lock(key: string, ttlMs: number): Promise<Release | undefined> {
    const lock = this.#options.store.lock;
    const admission = this.#health.admit();
    if (lock === undefined || admission === 'skip') return noLock;
    const release = await this.#run(
      'lock',
      () => lock.call(this.#options.store, key, ttlMs),
      noLock,
      admission,
      (late) => late?.().catch(() => {}),
    );
    if (release === undefined || release === noLock) return release;
    return () => this.#write('release', release);
  }

  async #write(name: string, operation: () => Promise<void>): Promise<void> {
    if (!this.#health.isDown) return this.#run(name, operation, undefined, 'up');
    // Sent, not awaited: it brings the store back (and replaces a bad entry) if it lands.
    this.detached.#run(name, operation, undefined, 'up').catch(() => {});
  }

  /**
   * Runs one store operation, bounded by the timeout and the manager's close. Resolves to its
   * result, or to `fallback` when it fails or times out (reported); rejects only when the manager
   * closes. `late` gets the result of an operation that answered after its timeout.
   */
  #run<T>(
    name: string,
    operation: () => Promise<T>,
    fallback: T,
    admission: Exclude<Admission, 'skip'>,
    late?: (result: T) => unknown,
  ): Promise<T> {
    const { timeoutMs, closed, onError } = this.#options;
    const health = this.#health;
    return new Promise<T>((resolve, reject) => {
      if (closed.closed) {
        reject(closed.reason);
        return;
      }
      let settled = false;
      let detach = (): void => {};
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        clearTimeout(timer);
        detach();
        return true;
      };
      const fail = (error: unknown): void => {
        if (!settle()) return;
        health.failed(admission);
        onError?.(error);
        resolve(fallback);
      };
      const onClose = (): void => {
        if (settle()) reject(closed.reason);
      };
      const timer = this.#timer(
        () =>
          fail(
            new DOMException(
              `The token store did not answer ${name}() within ${timeoutMs} ms`,
              'TimeoutError',
            ),
          ),
        timeoutMs,
      );
      detach = closed.onClose(onClose);
      let pending: Promise<T>;
      try {
        pending = Promise.resolve(operation());
      } catch (error) {
        fail(error);
        return;
      }
      pending.then(
        (result) => {
          if (settle()) {
            health.succeeded();
            resolve(result);
          } else if (late) late(result);
        },
        (error: unknown) => fail(error),
      );
    });
  }
}
