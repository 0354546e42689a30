/**
 * Whether a request body can be re-sent.
 *
 * @module
 */

/**
 * Whether a request body can be sent a second time (after a 401 or a 307): everything but
 * streams and async iterables, which are consumed by the first send.
 *
 * @example
 * ```ts
 * if (!isReplayableBody(init.body)) return response; // the 401 goes back to the caller
 * ```
 */
export function isReplayableBody(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return true;
  if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream) return false;
  return (
    typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function' &&
    typeof (body as { pipe?: unknown }).pipe !== 'function'
  );
}
