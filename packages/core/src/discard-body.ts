/**
 * Letting go of a response body nobody will read (a redirect followed, an answer re-sent), so
 * that its connection goes back to the pool instead of waiting for the body to be drained.
 *
 * @module
 */

/**
 * Releases `body`, a response body as an HTTP client hands it, unread: a Node stream (axios's
 * `responseType: 'stream'`, follow-redirects, undici's `request`) is destroyed, a web
 * `ReadableStream` is cancelled (a failed cancel is ignored). Anything else (a string, parsed
 * JSON, bytes: the client read the body already) is left alone.
 *
 * @example
 * ```ts
 * // an axios adapter, before re-sending a rejected request
 * discardBody(response.data);
 * ```
 */
export function discardBody(body: unknown): void {
  if (typeof (body as { destroy?: unknown } | null)?.destroy === 'function') {
    (body as { destroy(): void }).destroy();
  } else if (typeof ReadableStream === 'function' && body instanceof ReadableStream) {
    body.cancel().catch(() => {});
  }
}
