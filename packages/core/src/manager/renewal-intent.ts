/**
 * Why a renewal runs, and what that changes about it.
 *
 * @module
 */
import type { RetryPolicy } from '../internal/send-token-request.ts';
import { awaitedTimer, detachedTimer, type StartTimer } from '../internal/timers.ts';
import { type ManagerSettings, slowestExchangeMs } from './settings.ts';

/**
 * Why a renewal runs:
 * - `forced`: a caller asked for a new token (`forceRefresh: true`): neither the cached nor the
 *   stored token will do, only one newer than the cached one;
 * - `needed`: a caller waits for a token and none is usable (none yet, expired or invalidated):
 *   a usable token in the store will do;
 * - `ahead`: the cached token is stale, still served, and renewed in the background: nobody
 *   waits for the renewal, so it makes one attempt and keeps no process alive.
 *
 * @example
 * ```ts
 * const intent: RenewalIntent = options?.forceRefresh === true ? 'forced' : 'needed';
 * ```
 */
export type RenewalIntent = 'forced' | 'needed' | 'ahead';

/**
 * The timer a renewal's waits run on: one that keeps the process alive while a caller awaits
 * the renewal, a detached one for a renewal ahead of expiry.
 *
 * @example
 * ```ts
 * await entry.get(startTimerFor(intent));
 * ```
 */
export function startTimerFor(intent: RenewalIntent): StartTimer {
  return intent === 'ahead' ? detachedTimer : awaitedTimer;
}

/**
 * The retries of a renewal's token request. A renewal ahead of expiry makes one attempt: nobody
 * waits on it, and sleeping between attempts would keep the process alive. The failure window
 * paces the next attempt.
 *
 * @example
 * ```ts
 * retryFor('ahead', defaultRetry).limit; // 0
 * ```
 */
export function retryFor(intent: RenewalIntent, retry: RetryPolicy): RetryPolicy {
  return intent === 'ahead' ? { ...retry, limit: 0 } : retry;
}

/**
 * How long a renewal can take at most, in ms: its token request (every attempt timing out, the
 * backoffs), the store operations (each bounded by `storeTimeoutMs`) and the wait for another
 * process's lock, and a second more. Past it the renewal cannot still be running (its own
 * timeouts would have ended it) unless the runtime dropped it, as Workers do with the I/O of a
 * request that has answered.
 *
 * @example
 * ```ts
 * const deadline = performance.now() + renewalBudgetMs(settings, 'needed');
 * ```
 */
export function renewalBudgetMs(settings: ManagerSettings, intent: RenewalIntent): number {
  const exchangeMs =
    intent === 'ahead' ? settings.timeoutMs : slowestExchangeMs(settings.timeoutMs, settings.retry);
  const locks = typeof settings.store?.lock === 'function';
  const storeMs = 6 * settings.storeTimeoutMs + (locks ? 2 * settings.lockTtlMs : 0);
  return exchangeMs + storeMs + 1_000;
}
