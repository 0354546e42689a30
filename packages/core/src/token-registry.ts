/**
 * Many token managers in one process, one per key (a tenant, a customer): created on first use,
 * the least recently used closed beyond a bound, idle ones closed after a while.
 *
 * @module
 */
import { integerInRange, numberInRange, optionalFunction } from './internal/options.ts';
import { detachedTimer } from './internal/timers.ts';
import { ManagerClosedError } from './manager-errors.ts';
import { RegistrySlots } from './registry-slots.ts';
import { UseOrder } from './registry-use-order.ts';
import type { TokenManager } from './token-manager.ts';
import { isTokenManager } from './tokens-choice.ts';

/**
 * Options of {@link createTokenRegistry}.
 *
 * @example
 * ```ts
 * const options: TokenRegistryOptions = {
 *   create: (tenant) => createTokenManager({ flow: clientCredentials({ ...vendor, ...secretsOf(tenant) }) }),
 *   maxSize: 5_000,
 * };
 * ```
 */
export interface TokenRegistryOptions {
  /** Makes the manager of `key`, on the first `get(key)` (and again after it was dropped). */
  readonly create: (key: string) => TokenManager;
  /** Managers kept at most: beyond it, the least recently used is closed and dropped. @default 1000 */
  readonly maxSize?: number | undefined;
  /**
   * A manager not used (`get`) for this long is closed and dropped, by a background sweep that
   * does not keep the process alive. `Infinity`: never. @default 600_000 (10 minutes)
   */
  readonly idleTimeoutMs?: number | undefined;
  /** The clock, in epoch ms. @default Date.now */
  readonly now?: (() => number) | undefined;
  /**
   * Told when closing a manager the registry dropped by itself (least recently used, idle)
   * fails; without it, such a failure is ignored (a manager's `close()` does not fail).
   * `delete()` and `close()` reject instead.
   */
  readonly onError?: ((error: unknown, key: string) => void) | undefined;
}

/**
 * Token managers by key (see {@link createTokenRegistry}).
 *
 * @example
 * ```ts
 * const authFetch = createAuthFetch({ tokens: ({ headers }) => tenants.get(headers.get('x-tenant-id') ?? '') });
 * ```
 */
export interface TokenRegistry {
  /**
   * The manager of `key`, made by `create` on first use. Marks it used. Throws a
   * `ManagerClosedError` once the registry is closed, a `TypeError` when `key` is not a string or
   * `create` returns no token manager, and whatever `create` throws.
   */
  get(key: string): TokenManager;
  /** Drops the manager of `key` and closes it; resolves to whether there was one. */
  delete(key: string): Promise<boolean>;
  /** The number of managers held. */
  readonly size: number;
  /**
   * Closes every manager and the registry: `get` throws from now on. Rejects with an
   * `AggregateError` of the managers' errors if any failed to close. Calling it again does
   * nothing more.
   */
  close(): Promise<void>;
  /** The same as {@link TokenRegistry.close}, for `await using tenants = createTokenRegistry(…)`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** The longest delay a timer takes as given. */
const maxTimerDelay = 2_147_483_647;

/**
 * A registry of token managers, one per key, for a process that calls an API for many tenants:
 * `get(key)` creates the key's manager on first use (with `create`, which is synchronous) and
 * returns it; beyond `maxSize` managers the least recently used is closed and dropped; a manager
 * unused for `idleTimeoutMs` is closed and dropped, without traffic, by a sweep timer that does
 * not keep the process alive and exists only while the registry holds managers (creating a
 * registry starts nothing); where a runtime drops that timer (Cloudflare Workers end a request's
 * timers with it), the next `get` after it was due sweeps instead. A dropped key gets a new
 * manager on its next use.
 *
 * Re-authorization after rejected tokens is bounded per manager, so per tenant.
 *
 * @example
 * ```ts
 * const tenants = createTokenRegistry({
 *   create: (tenant) => createTokenManager({ flow: clientCredentials({ tokenUrl, ...credentialsOf(tenant) }) }),
 * });
 * const api = createAuthFetch({ tokens: ({ headers }) => tenants.get(headers.get('x-tenant-id') ?? 'default') });
 * await tenants.close(); // on shutdown
 * ```
 */
export function createTokenRegistry(options: TokenRegistryOptions): TokenRegistry {
  return new ManagerRegistry(options);
}

class ManagerRegistry implements TokenRegistry {
  /** The managers by key, each in a slot: a `get` reaches no per-key object but the manager. */
  readonly #slots = new RegistrySlots<TokenManager>();
  /** The slots in order of use, the least recently used found without a reorder per `get`. */
  readonly #order = new UseOrder();
  readonly #create: (key: string) => TokenManager;
  readonly #maxSize: number;
  readonly #idleTimeoutMs: number;
  readonly #now: () => number;
  readonly #onError: ((error: unknown, key: string) => void) | undefined;
  #sweep: ReturnType<typeof setTimeout> | undefined;
  /** When the sweep is due (epoch ms): `get` sweeps itself past it, should the timer be lost. */
  #sweepDue = Number.POSITIVE_INFINITY;
  #closed: Promise<void> | undefined;

  constructor(options: TokenRegistryOptions) {
    if (typeof options !== 'object' || options === null)
      throw new TypeError('createTokenRegistry: options must be an object');
    const create = optionalFunction<(key: string) => TokenManager>(
      'createTokenRegistry: create',
      options.create,
    );
    if (create === undefined) throw new TypeError('createTokenRegistry: create must be a function');
    this.#create = create;
    this.#maxSize = integerInRange('createTokenRegistry: maxSize', options.maxSize, {
      min: 1,
      max: Number.MAX_SAFE_INTEGER,
      fallback: 1000,
    });
    this.#idleTimeoutMs =
      options.idleTimeoutMs === Number.POSITIVE_INFINITY
        ? Number.POSITIVE_INFINITY
        : numberInRange('createTokenRegistry: idleTimeoutMs', options.idleTimeoutMs, {
            min: 1,
            max: Number.MAX_SAFE_INTEGER,
            fallback: 600_000,
          });
    this.#now = optionalFunction<() => number>('createTokenRegistry: now', options.now) ?? Date.now;
    this.#onError = optionalFunction('createTokenRegistry: onError', options.onError);
  }

  get size(): number {
    return this.#slots.size;
  }

  get(key: string): TokenManager {
    if (this.#closed !== undefined) throw new ManagerClosedError('The token registry is closed');
    const slots = this.#slots;
    const now = this.#now();
    // A timer a runtime dropped (Workers end a request's timers with it): traffic sweeps instead.
    if (now >= this.#sweepDue) this.#sweepIdle();
    const known = slots.slotOf(key);
    if (known !== undefined) {
      this.#order.use(known, now);
      return slots.valueAt(known);
    }
    if (typeof key !== 'string')
      throw new TypeError(`createTokenRegistry: get(key): key must be a string, got ${typeof key}`);
    const manager = this.#create(key);
    if (!isTokenManager(manager) || typeof manager.close !== 'function')
      throw new TypeError('createTokenRegistry: create must return a token manager');
    this.#order.add(slots.add(key, manager), now);
    if (slots.size > this.#maxSize) this.#dropOldest();
    if (this.#sweepDue === Number.POSITIVE_INFINITY) this.#scheduleSweep();
    return manager;
  }

  async delete(key: string): Promise<boolean> {
    const slot = this.#slots.slotOf(key);
    if (slot === undefined) return false;
    const manager = this.#slots.valueAt(slot);
    this.#order.remove(slot);
    this.#slots.remove(slot);
    if (this.#slots.size === 0) this.#stopSweep();
    await manager.close();
    return true;
  }

  close(): Promise<void> {
    this.#closed ??= this.#closeAll();
    return this.#closed;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #closeAll(): Promise<void> {
    this.#stopSweep();
    const managers = this.#slots.values();
    this.#slots.clear();
    this.#order.clear();
    const results = await Promise.allSettled(managers.map((manager) => manager.close()));
    const errors = results.flatMap((result) =>
      result.status === 'rejected' ? [result.reason] : [],
    );
    if (errors.length > 0)
      throw new AggregateError(errors, `${errors.length} token managers failed to close`);
  }

  /** Closes and drops the least recently used manager. */
  #dropOldest(): void {
    const oldest = this.#order.takeLeastRecent();
    if (oldest !== undefined) this.#drop(oldest);
  }

  /**
   * Drops the manager in `slot`, taken out of the order already, and closes it without waiting:
   * a failure goes to `onError`.
   */
  #drop(slot: number): void {
    const key = this.#slots.keyAt(slot);
    const manager = this.#slots.valueAt(slot);
    this.#slots.remove(slot);
    manager.close().catch((error: unknown) => this.#onError?.(error, key));
  }

  /**
   * The sweep timer, due when the least recently used manager turns idle; none without managers
   * or with `idleTimeoutMs: Infinity`.
   */
  #scheduleSweep(): void {
    if (this.#idleTimeoutMs === Number.POSITIVE_INFINITY) return;
    const oldest = this.#order.leastRecent();
    if (oldest === undefined) return;
    this.#sweepDue = this.#order.usedAt(oldest) + this.#idleTimeoutMs;
    const delay = Math.min(Math.max(this.#sweepDue - this.#now(), 1), maxTimerDelay);
    this.#sweep = detachedTimer(() => this.#sweepIdle(), delay);
  }

  /** Drops every idle manager (the least recently used first), then waits for the next. */
  #sweepIdle(): void {
    this.#stopSweep();
    const idleSince = this.#now() - this.#idleTimeoutMs;
    const takeIdle = () => this.#order.takeLeastRecent(idleSince);
    for (let idle = takeIdle(); idle !== undefined; idle = takeIdle()) this.#drop(idle);
    this.#scheduleSweep();
  }

  #stopSweep(): void {
    if (this.#sweep !== undefined) clearTimeout(this.#sweep);
    this.#sweep = undefined;
    this.#sweepDue = Number.POSITIVE_INFINITY;
  }
}
