/**
 * Failure injection for resilience tests: the next N token requests answer an error status, a
 * network error, or late.
 *
 * @module
 */
import { HttpResponse } from 'msw';
import type { Clock } from './clock.ts';
import { jsonResponse } from './internal/responses.ts';

/**
 * What the next token requests answer instead of (or before) the real thing:
 * - `{ status, body?, headers? }`: that answer (`body` an object is sent as JSON, a string as
 *   is; default `{ "error": "temporarily_unavailable" }` for 429 and 503, else
 *   `{ "error": "server_error" }`), e.g. `headers: { 'Retry-After': '2' }`;
 * - `{ networkError: true }`: a network error (msw's `HttpResponse.error()`), recorded with status 0;
 * - `{ delayMs }`: the real answer, `delayMs` milliseconds late (for timeout tests).
 * `delayMs` also delays the two others.
 *
 * @example
 * ```ts
 * oauth.failNext(2, { status: 503, headers: { 'Retry-After': '1' } });
 * oauth.failNext(1, { networkError: true });
 * oauth.failNext(1, { delayMs: 5_000 });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2 (`temporarily_unavailable`)
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3 (`Retry-After`)
 */
export type InjectedFailure =
  | {
      readonly status: number;
      readonly body?: string | Readonly<Record<string, unknown>> | undefined;
      readonly headers?: Readonly<Record<string, string>> | undefined;
      readonly delayMs?: number | undefined;
    }
  | { readonly networkError: true; readonly delayMs?: number | undefined }
  | { readonly delayMs: number };

function check(failure: InjectedFailure): void {
  if (typeof failure !== 'object' || failure === null)
    throw new TypeError(
      'failNext: failure must be { status }, { networkError: true } or { delayMs }',
    );
  const { delayMs } = failure as { delayMs?: unknown };
  if (delayMs !== undefined && (typeof delayMs !== 'number' || !(delayMs >= 0)))
    throw new TypeError('failNext: delayMs must be a number >= 0');
  if ('status' in failure) {
    const { status, body, headers } = failure;
    if (!Number.isInteger(status) || status < 200 || status > 599)
      throw new TypeError('failNext: status must be an integer from 200 to 599');
    if (
      body !== undefined &&
      typeof body !== 'string' &&
      (typeof body !== 'object' || body === null)
    )
      throw new TypeError('failNext: body must be a string or an object');
    if (headers !== undefined && (typeof headers !== 'object' || headers === null))
      throw new TypeError('failNext: headers must be an object of strings');
  } else if ('networkError' in failure) {
    if (failure.networkError !== true) throw new TypeError('failNext: networkError must be true');
  } else if (delayMs === undefined) {
    throw new TypeError(
      'failNext: failure must be { status }, { networkError: true } or { delayMs }',
    );
  }
}

/** A queue of injected failures, consumed one per token request. */
export class FailureQueue {
  readonly #queue: InjectedFailure[] = [];

  /** Makes the next `count` token requests answer `failure` (after those already queued). */
  add(count: number, failure: InjectedFailure): void {
    if (!Number.isInteger(count) || count < 1)
      throw new TypeError('failNext: count must be a positive integer');
    check(failure);
    for (let i = 0; i < count; i += 1) this.#queue.push(failure);
  }

  /** The failure for this request, if one is queued. */
  take(): InjectedFailure | undefined {
    return this.#queue.shift();
  }

  /** How many injected failures are left. */
  get size(): number {
    return this.#queue.length;
  }

  /** Drops every queued failure. */
  clear(): void {
    this.#queue.length = 0;
  }
}

/** Waits `failure.delayMs`, if any. */
export async function delayOf(failure: InjectedFailure): Promise<void> {
  const { delayMs } = failure as { delayMs?: number };
  if (delayMs !== undefined && delayMs > 0)
    await new Promise((resolve) => setTimeout(resolve, delayMs));
}

/** The injected answer, or `undefined` for a delay-only failure (then the real answer follows). */
export function injectedResponse(failure: InjectedFailure, clock: Clock): Response | undefined {
  if ('networkError' in failure) return HttpResponse.error();
  if (!('status' in failure)) return undefined;
  const { status, body, headers = {} } = failure;
  if (typeof body === 'string') {
    const date = new Date(clock.now()).toUTCString();
    return new Response(body, { status, headers: { Date: date, ...headers } });
  }
  const fallback = status === 429 || status === 503 ? 'temporarily_unavailable' : 'server_error';
  return jsonResponse(clock, status, body ?? { error: fallback }, headers);
}
