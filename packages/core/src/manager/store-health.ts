/**
 * Whether the token store is worth asking: up until an operation fails or times out, then down
 * for a back-off (1 s, doubling per failed probe up to 30 s). While down, reads and locks are not
 * sent; once the back-off has passed, one of them goes out as a probe, and any operation that
 * succeeds brings the store back up.
 *
 * Why 1 s, doubling to 30 s: a probe that hangs costs the callers of one renewal one store
 * timeout, so asking again at once would make every renewal of an outage that slow; one probe a
 * second at first notices a restart (Redis is back in about a second) quickly, and 30 s bounds
 * both the cost of a long outage (one slow renewal per 30 s at most) and how long a recovered
 * store goes unused.
 */

/** The first back-off after the store fails. */
export const storeBackoffMs = 1_000;
/** The longest back-off, after repeated failed probes. */
export const maxStoreBackoffMs = 30_000;

/**
 * How an operation was let through: while the store is up, as the one probe of a down store, or
 * skipped (answered from memory without asking the store).
 */
export type Admission = 'up' | 'probe' | 'skip';

/**
 * The up/down state of one store, as one manager sees it. Pure but for the injected clock.
 *
 * @example
 * ```ts
 * const health = new StoreHealth(Date.now);
 * const admission = health.admit();
 * if (admission !== 'skip') {
 *   try { await store.get(key); health.succeeded(); } catch { health.failed(admission); }
 * }
 * ```
 */
export class StoreHealth {
  readonly #now: () => number;
  #down: { until: number; backoffMs: number; probing: boolean } | undefined;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Whether the last operation failed and no operation has succeeded since. */
  get isDown(): boolean {
    return this.#down !== undefined;
  }

  /** Whether a read or a lock may be sent now, and as what. */
  admit(): Admission {
    const down = this.#down;
    if (down === undefined) return 'up';
    if (down.probing || this.#now() < down.until) return 'skip';
    down.probing = true;
    return 'probe';
  }

  /** The store answered: it is up. */
  succeeded(): void {
    this.#down = undefined;
  }

  /**
   * An operation let through as `admission` failed or timed out. A failure while up starts the
   * first back-off; a failed probe doubles it; other failures while down change nothing (one
   * outage seen by many concurrent operations is still one failure).
   */
  failed(admission: Exclude<Admission, 'skip'>): void {
    const down = this.#down;
    if (down === undefined) {
      this.#down = {
        until: this.#now() + storeBackoffMs,
        backoffMs: storeBackoffMs,
        probing: false,
      };
    } else if (admission === 'probe') {
      const backoffMs = Math.min(down.backoffMs * 2, maxStoreBackoffMs);
      this.#down = { until: this.#now() + backoffMs, backoffMs, probing: false };
    }
  }
}
