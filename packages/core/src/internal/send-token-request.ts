import {
  TokenEndpointError,
  TokenRequestError,
  TokenResponseError,
  TokenTimeoutError,
} from '../errors.ts';
import type { TokenRequestSteps } from '../request-step.ts';
import type { TokenHttpRequest, TokenHttpResponse } from '../token-http.ts';
import { abortable } from './abortable.ts';
import { AttemptTimeout } from './attempt-timeout.ts';
import { backoffDelay, parseRetryAfter, sleep } from './backoff.ts';
import type { ExchangeObserver } from './exchange-observer.ts';
import { awaitedTimer } from './timers.ts';
import { errorFields, parseBody, readCapped } from './token-answer.ts';

/**
 * Retry policy for the token endpoint (network errors, timeouts, 5xx and 429 only).
 *
 * @example
 * ```ts
 * const retry: RetryPolicy = { limit: 2, baseDelayMs: 250, maxDelayMs: 5_000, maxRetryAfterMs: 30_000 };
 * ```
 */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly limit: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the error is returned at once. */
  readonly maxRetryAfterMs: number;
}

export interface SendOptions {
  readonly fetch: typeof globalThis.fetch;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly now: () => number;
  readonly random: () => number;
  /** Aborts the whole exchange (the manager closing). */
  readonly signal: AbortSignal;
  readonly isSuccess: (status: number) => boolean;
  /** Complete the request before each attempt and see each answer (see `RequestStep`). */
  readonly steps?: TokenRequestSteps | undefined;
  /** Told about each retry (the manager's events); `undefined` when nobody observes. */
  readonly observer?: ExchangeObserver | undefined;
  /** Told when the token endpoint answers an attempt, whatever the answer (a code is then spent). */
  readonly onAnswer?: (() => void) | undefined;
}

export interface SentTokenRequest {
  readonly response: TokenHttpResponse;
  /** When the attempt that succeeded was sent (local clock). */
  readonly sentAt: number;
  readonly receivedAt: number;
}

/**
 * Sends a token request with a per-attempt timeout and retries (exponential backoff with jitter,
 * honouring `Retry-After`) on network errors, timeouts, an answer that ends early, 5xx and 429.
 * Resolves with a success answer; rejects with a typed error otherwise. Errors quote what the
 * server sent as is: the exchange redacts them (see `exchange.ts`).
 */
export async function sendTokenRequest(
  request: TokenHttpRequest,
  options: SendOptions,
): Promise<SentTokenRequest> {
  const { steps } = options;
  for (let attempt = 0, retries = 0; ; attempt++) {
    options.signal.throwIfAborted();
    let failure: TokenEndpointError | TokenRequestError;
    let waitMs = backoffDelay(
      retries,
      options.retry.baseDelayMs,
      options.retry.maxDelayMs,
      options.random,
    );
    // Outside the try: a step that cannot complete the request (a failing assertion callback)
    // is not a network failure, and is not retried.
    const sent =
      steps === undefined
        ? request
        : await steps.prepare(request, { attempt, now: options.now, signal: options.signal });
    options.signal.throwIfAborted();
    const sentAt = options.now();
    try {
      const response = await sendOnce(sent, options);
      const receivedAt = options.now();
      options.onAnswer?.();
      const again = steps?.askedAgain(response, sent) === true;
      if (options.isSuccess(response.status)) return { response, sentAt, receivedAt };
      if (again) continue; // a step changes what it sends: at once, without using up a retry
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), receivedAt);
      failure = new TokenEndpointError(response.status, errorFields(response.body), retryAfterMs);
      if (response.status !== 429 && response.status < 500) throw failure;
      if (retryAfterMs !== undefined) {
        if (retryAfterMs > options.retry.maxRetryAfterMs) throw failure;
        waitMs = Math.max(waitMs, retryAfterMs);
      }
    } catch (error) {
      if (options.signal.aborted) throw options.signal.reason;
      if (!(error instanceof TokenRequestError)) throw error;
      failure = error;
    }
    if (retries >= options.retry.limit) throw failure;
    retries++;
    options.observer?.retrying(retries, waitMs, failure);
    await sleep(waitMs, options.signal, awaitedTimer);
  }
}

/** One attempt, bounded by its own timeout; its timer is gone once it has answered or failed. */
async function sendOnce(
  request: TokenHttpRequest,
  options: SendOptions,
): Promise<TokenHttpResponse> {
  const attempt = new AttemptTimeout(options.signal, options.timeoutMs);
  try {
    return await sendWithin(request, options, attempt);
  } finally {
    attempt.end();
  }
}

async function sendWithin(
  request: TokenHttpRequest,
  options: SendOptions,
  attempt: AttemptTimeout,
): Promise<TokenHttpResponse> {
  const { signal } = attempt;
  // Called as a plain function: some runtimes refuse a `fetch` called as a method of `options`.
  const { fetch } = options;
  let answer: Promise<Response> | undefined;
  let response: Response;
  try {
    answer = fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body ?? null,
      signal,
      // A token endpoint that redirects is misconfigured: its 3xx becomes a TokenEndpointError.
      redirect: 'manual',
      ...noStore(),
    });
    // Raced with the signal: a fetch that ignores it (a wrapper dropping `init.signal`) still
    // ends at the timeout or the manager's close.
    response = await abortable(answer, signal);
  } catch (error) {
    if (signal.aborted) discardLate(answer);
    throw (
      abortFailure(options, attempt) ?? networkFailure('Token endpoint could not be reached', error)
    );
  }
  let text: string;
  try {
    text = await readCapped(response, signal);
  } catch (error) {
    if (error instanceof TokenResponseError) {
      // An oversize error answer is still an HTTP error (retried when 5xx or 429), without its body.
      if (!options.isSuccess(response.status))
        return { status: response.status, headers: response.headers, text: '', body: undefined };
      throw error;
    }
    // The server declared more than it sent, or reset the connection mid-body.
    throw (
      abortFailure(options, attempt) ??
      networkFailure("The token endpoint's response ended early", error)
    );
  }
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: parseBody(text, response.headers),
  };
}

let cacheOption: boolean | undefined;

/**
 * `cache: 'no-store'` where the runtime takes it: workerd before compatibility date 2024-11-11
 * (`cache_option_enabled`) throws on the field, and its fetch caches no POST anyway. Checked once,
 * on first use (never at import: nothing runs in a Worker's global scope).
 */
function noStore(): { cache?: RequestCache } {
  if (cacheOption === undefined) {
    try {
      new Request('https://tokenwise.invalid/', { cache: 'no-store' });
      cacheOption = true;
    } catch {
      cacheOption = false;
    }
  }
  return cacheOption ? { cache: 'no-store' } : {};
}

/** The exchange was aborted (the manager closing), or this attempt timed out. */
function abortFailure(options: SendOptions, attempt: AttemptTimeout): unknown {
  if (options.signal.aborted) return options.signal.reason;
  if (!attempt.timedOut) return undefined;
  return new TokenTimeoutError(`Token endpoint did not answer within ${options.timeoutMs} ms`);
}

/** A network failure (retried): `what` happened, and the runtime's reason for it. */
function networkFailure(what: string, error: unknown): TokenRequestError {
  const reason =
    error instanceof Error ? (describeNetworkError(error) ?? error.message) : String(error);
  return new TokenRequestError(`${what}: ${reason}`, error);
}

/** undici wraps the real reason (ECONNREFUSED, ECONNRESET) in `cause`. */
function describeNetworkError(error: Error): string | undefined {
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  if (typeof cause?.code === 'string') return `${error.message} (${cause.code})`;
  return undefined;
}

/**
 * Cancels the body of an answer that arrives after its attempt was given up, so that it frees
 * its connection.
 */
function discardLate(answer: Promise<Response> | undefined): void {
  answer?.then((late) => late.body?.cancel().catch(ignore), ignore);
}

const ignore = (): void => {};
