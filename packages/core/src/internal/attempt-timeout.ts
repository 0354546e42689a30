/**
 * The signal of one attempt at the token endpoint: aborted when the whole exchange is (the manager
 * closing) or when the attempt takes too long. Unlike `AbortSignal.timeout`, whose timer lives on
 * until it fires, its timer and its listener on the exchange's signal are gone once the attempt
 * ends: a manager that got its token holds nothing of the request.
 *
 * @module
 */
import { detachedTimer } from './timers.ts';

/**
 * One attempt's signal. Call {@link AttemptTimeout.end} when the attempt is over, answered or not.
 *
 * @example
 * ```ts
 * const attempt = new AttemptTimeout(exchangeSignal, 10_000);
 * try {
 *   return await fetch(url, { signal: attempt.signal });
 * } finally {
 *   attempt.end();
 * }
 * ```
 */
export class AttemptTimeout {
  /** Aborts with the exchange's reason, or with a `TimeoutError` after the timeout. */
  readonly signal: AbortSignal;
  readonly #exchange: AbortSignal;
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #onExchangeAbort: () => void;
  #timedOut = false;

  constructor(exchange: AbortSignal, timeoutMs: number) {
    const controller = new AbortController();
    this.signal = controller.signal;
    this.#exchange = exchange;
    this.#onExchangeAbort = () => controller.abort(exchange.reason);
    if (exchange.aborted) controller.abort(exchange.reason);
    else exchange.addEventListener('abort', this.#onExchangeAbort, { once: true });
    // Detached, as `AbortSignal.timeout`'s: the request it bounds is what keeps a process alive.
    this.#timer = detachedTimer(() => {
      this.#timedOut = true;
      controller.abort(new DOMException(`The attempt took over ${timeoutMs} ms`, 'TimeoutError'));
    }, timeoutMs);
  }

  /** Whether the attempt's timeout has fired. */
  get timedOut(): boolean {
    return this.#timedOut;
  }

  /** Clears the timer and the listener: the attempt is over. */
  end(): void {
    clearTimeout(this.#timer);
    this.#exchange.removeEventListener('abort', this.#onExchangeAbort);
  }
}
