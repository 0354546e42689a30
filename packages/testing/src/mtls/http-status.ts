/**
 * The HTTP status of a call that failed, as each client reports it: the callers' `HttpStatusError`
 * and axios's error (`status`), got's `HTTPError` (`response.statusCode`), ky's `HTTPError`
 * (`response.status`).
 *
 * @module
 */

/**
 * The status of the answer that made the call fail; `undefined` when none arrived.
 *
 * @example
 * ```ts
 * expect(statusOfFailedCall(await rejection(call('reports')))).toBe(401);
 * ```
 */
export function statusOfFailedCall(error: unknown): number | undefined {
  const failed = error as {
    readonly status?: number;
    readonly response?: { readonly status?: number; readonly statusCode?: number };
  };
  return failed.response?.status ?? failed.response?.statusCode ?? failed.status;
}
