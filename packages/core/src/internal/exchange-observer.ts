/**
 * What a token request tells whoever observes it (the manager's events), attempt by attempt.
 *
 * @module
 */

/**
 * Told about the attempts of one token request. Its arguments are raw: `failure` is an error as
 * the transport built it, which may quote the server: an observer reads its class and status
 * only.
 *
 * @example
 * ```ts
 * const observer: ExchangeObserver = {
 *   answered: (status) => console.log(status),
 *   retrying: (attempt, delayMs) => console.log(`attempt ${attempt} failed, next in ${delayMs} ms`),
 * };
 * ```
 */
export interface ExchangeObserver {
  /** The attempt that succeeded answered with `status`. */
  answered(status: number): void;
  /** Attempt `attempt` (1-based) failed with `failure`; the next starts after `delayMs`. */
  retrying(attempt: number, delayMs: number, failure: unknown): void;
}
