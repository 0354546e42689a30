/**
 * Whether a manager is open, without holding an I/O object. Cloudflare Workers forbid making an
 * `AbortController` (or a timer) in global scope, where a manager is naturally created, and refuse
 * an I/O object (a signal wired to a fetch, a timer) used by a request other than the one that
 * made it; a manager serves every request of its isolate. So the manager's open state is plain
 * data plus listeners, and each piece of work that needs an `AbortSignal` makes its own, in the
 * request that runs the work, with {@link Lifetime.scope}.
 */

/** What a store operation needs to know about its manager's lifetime. */
export interface Closable {
  /** Whether the manager is closed. */
  readonly closed: boolean;
  /** Why (an `ERR_MANAGER_CLOSED` error); `undefined` while open. */
  readonly reason: unknown;
  /** Calls `listener` once when the manager closes; returns a function that detaches it. */
  onClose(listener: (reason: unknown) => void): () => void;
}

/** An `AbortSignal` that aborts when the manager closes, and the function that detaches it. */
export interface Scope {
  readonly signal: AbortSignal;
  /** Detaches the signal from the manager once its work is done. */
  readonly release: () => void;
}

/**
 * The open or closed state of a manager.
 *
 * @example
 * ```ts
 * const lifetime = new Lifetime();
 * const scope = lifetime.scope(); // inside a request: an AbortSignal of this request
 * try { await fetch(url, { signal: scope.signal }); } finally { scope.release(); }
 * lifetime.close(new Error('closed'));
 * ```
 */
export class Lifetime implements Closable {
  #closed = false;
  #reason: unknown;
  /** Only while someone listens: an idle manager holds no set. */
  #listeners: Set<(reason: unknown) => void> | undefined;

  get closed(): boolean {
    return this.#closed;
  }

  get reason(): unknown {
    return this.#reason;
  }

  /** Throws the close reason once closed. */
  throwIfClosed(): void {
    if (this.#closed) throw this.#reason;
  }

  /** Closes: every listener is called once with `reason`. Closing again does nothing. */
  close(reason: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#reason = reason;
    const listeners = [...(this.#listeners ?? [])];
    this.#listeners = undefined;
    for (const listener of listeners) listener(reason);
  }

  onClose(listener: (reason: unknown) => void): () => void {
    if (this.#closed) {
      listener(this.#reason);
      return noop;
    }
    this.#listeners ??= new Set();
    const listeners = this.#listeners;
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.#listeners === listeners) this.#listeners = undefined;
    };
  }

  /**
   * A new `AbortSignal`, made now (so in the request that runs the work it is given to), aborted
   * with the close reason when the manager closes. Call `release` when the work is done.
   */
  scope(): Scope {
    const controller = new AbortController();
    const release = this.onClose((reason) => controller.abort(reason));
    return { signal: controller.signal, release };
  }
}

const noop = (): void => {};
