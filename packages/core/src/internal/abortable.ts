/**
 * Waiting for code we do not control (a `fetch`, a response body, an `onTokenChange` handler)
 * no longer than an `AbortSignal` allows. Such code is given the signal, but may ignore it: a
 * `fetch` wrapper that drops `init.signal`, a stream that never ends, a handler whose database
 * call never returns. The wait stops at the abort, whatever the work does; the work is left to
 * finish on its own.
 */

/**
 * Settles as `work` does, or rejects with the signal's reason as soon as it aborts, whichever
 * comes first. A rejection of `work` after the abort is handled (never an unhandled rejection).
 *
 * @example
 * ```ts
 * const response = await abortable(fetch(url, { signal }), signal); // ends at the abort, always
 * ```
 */
export function abortable<T>(work: T | PromiseLike<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    const detach = (): void => signal.removeEventListener('abort', onAbort);
    Promise.resolve(work).then(
      (value) => {
        detach();
        resolve(value);
      },
      (error: unknown) => {
        detach();
        reject(error);
      },
    );
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}
