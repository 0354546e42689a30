/**
 * How a chaos run names the outcome of a request that failed: the `code` of a TokenwiseError,
 * `http <status>` for the API's own 401 or 5xx answer, and `untyped: …` for anything else (which
 * the run counts as a broken invariant).
 *
 * Not part of the build (see tsconfig.build.json).
 *
 * @module
 */
import { TokenwiseError } from '@tokenwise/core';

/**
 * The outcome of a failed request: the error's `code` when it is a TokenwiseError, `http <status>`
 * when the client's own HTTP error carries a 401 or 5xx `status`, else {@link untyped}.
 *
 * @example
 * ```ts
 * failureOutcome(error, isAxiosError(error) ? error.response?.status : undefined); // 'http 503'
 * ```
 */
export function failureOutcome(error: unknown, status: number | undefined): string {
  if (error instanceof TokenwiseError) return error.code;
  return status === 401 || (status !== undefined && status >= 500)
    ? `http ${status}`
    : untyped(error);
}

/**
 * Names an error that is neither a TokenwiseError nor an expected HTTP answer: its name, its
 * `code` if it has a string one, and its message.
 *
 * @example
 * ```ts
 * untyped(new RangeError('boom')); // 'untyped: RangeError: boom'
 * ```
 */
export function untyped(error: unknown): string {
  const name = (error as Error | undefined)?.name ?? typeof error;
  const code = (error as { code?: unknown } | undefined)?.code;
  return `untyped: ${name}${typeof code === 'string' ? ` ${code}` : ''}: ${(error as Error | undefined)?.message ?? String(error)}`;
}
