/** Retry timing for the token endpoint: pure functions, random source injected; and waiting. */

import type { StartTimer } from './timers.ts';

/** Exponential backoff with "equal jitter": half fixed, half random, capped at `maxDelayMs`. */
export function backoffDelay(
  attempt: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number,
): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/**
 * Parses `Retry-After` (delay-seconds or an HTTP-date) into ms from `now`; undefined when absent
 * or malformed.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/**
 * Resolves after `ms`, or rejects with the signal's reason. The wait runs on `startTimer`: an
 * awaited timer keeps the process alive (a caller awaits it, and a process must not exit with a
 * token request half done), a detached one does not (work nobody awaits, such as a background
 * refresh polling another process's lock). No timer outlives the work it belongs to (an abort
 * clears it).
 *
 * @example
 * ```ts
 * await sleep(backoffDelay(attempt, 250, 5_000, Math.random), signal, awaitedTimer);
 * ```
 */
export function sleep(ms: number, signal: AbortSignal, startTimer: StartTimer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = startTimer(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
