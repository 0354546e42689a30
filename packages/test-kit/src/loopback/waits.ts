/**
 * The server's waits (scripted delays, held token answers), all cut short by `close()`, so that a
 * closed server leaves no timer and no pending answer behind.
 */

/**
 * Delays and gates that end early when the server closes.
 *
 * @example
 * const waits = new Waits();
 * await waits.sleep(50);
 */
export class Waits {
  readonly #wakers = new Set<() => void>();
  #closed = false;

  /**
   * Resolves after `ms` milliseconds, or at once when `ms <= 0` or the server is closed.
   *
   * @example
   * await waits.sleep(server.tokenDelayMs);
   */
  sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.#wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#wakers.add(wake);
    });
  }

  /**
   * A gate: `passed` resolves once `open()` is called, or the server closes.
   *
   * @example
   * const gate = waits.gate();
   * void gate.passed.then(answer);
   * gate.open();
   */
  gate(): { readonly passed: Promise<void>; open(): void } {
    let resolve!: () => void;
    const passed = new Promise<void>((done) => {
      resolve = done;
    });
    const open = (): void => {
      this.#wakers.delete(open);
      resolve();
    };
    if (this.#closed) open();
    else this.#wakers.add(open);
    return { passed, open };
  }

  /**
   * Ends every wait now, and every later one at once.
   *
   * @example
   * waits.close(); // in the server's close()
   */
  close(): void {
    this.#closed = true;
    for (const wake of [...this.#wakers]) wake();
  }
}
