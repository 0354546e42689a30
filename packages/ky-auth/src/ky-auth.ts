/// <reference types="ky" preserve="true" />
import type { AuthOptions, Token } from '@tokenwise/core';
import {
  type Authorization,
  type Authorizer,
  answerOf,
  createAuthorizer,
  fetchWithRedirectGuard,
  isReplayableBody,
} from '@tokenwise/core/adapter';
import ky, {
  type AfterResponseHook,
  type BeforeErrorHook,
  type BeforeRequestHook,
  type InitHook,
  type NormalizedOptions,
  type Options,
  TimeoutError,
} from 'ky';

/**
 * Options of {@link kyAuth}: core's `AuthOptions`. ky's own options (`fetch`, `retry`, `timeout`,
 * other hooks) stay on ky.
 *
 * @example
 * ```ts
 * const options: KyAuthOptions = { tokens, headers: { 'X-Tenant-Id': tenantId } };
 * ```
 */
export interface KyAuthOptions extends AuthOptions {}

/**
 * The per-request `context` kyAuth reads: `{ skipAuth: true }` sends the request without a token.
 *
 * @example
 * ```ts
 * await api.get('health', { context: { skipAuth: true } satisfies KyAuthContext });
 * ```
 */
export interface KyAuthContext {
  /** Send this request without the token and extra headers. @default false */
  readonly skipAuth?: boolean | undefined;
}

declare module 'ky' {
  interface Options {
    /** User data for hooks; `skipAuth: true` sends the request without a token (kyAuth). */
    context?: KyAuthContext & Record<string, unknown>;
  }
}

/**
 * The ky options {@link kyAuth} returns: hooks only, for `ky.create()` or `.extend()`.
 *
 * @example
 * ```ts
 * const defaults: KyAuthDefaults = kyAuth({ tokens });
 * const api = ky.create({ ...defaults, prefix: 'https://api.example.com' });
 * ```
 */
export interface KyAuthDefaults {
  hooks: {
    init: InitHook[];
    beforeRequest: BeforeRequestHook[];
    afterResponse: AfterResponseHook[];
    beforeError: BeforeErrorHook[];
  };
}

/** ky's `context` of each call → the registration that authorized it (several may be chained). */
const owners = new WeakMap<object, symbol>();

/** What one registration knows about one ky call (one `api.get(…)`, all its attempts). */
interface Call {
  readonly fetch: typeof globalThis.fetch;
  readonly timeout: number | false;
  readonly replayable: boolean;
  /** Re-sends after a 401 so far: 0 or 1. */
  resent: number;
  sent?: { token: Token; url: string; authorizer: Authorizer; followRedirects: boolean };
}

/**
 * ky hooks that give every request to an allowed origin `Authorization: Bearer <token>` plus the
 * extra headers, and answer a 401 by one re-send with a fresh token (`ky.retry`). The default
 * allowed origin is the origin of the instance's `prefix` (when absolute) or `baseUrl`; with
 * none, every request. `context: { skipAuth: true }` opts a request out. Register it several times
 * (one per vendor, each with its own `origins`): each handles only its own requests.
 *
 * The re-send does not count against the caller's `retry.limit`; ky's `timeout` covers the wait for
 * a token; redirects of an authorized request are followed here, and the token and extra headers
 * never cross to another origin (nor come back with a later hop: a 401 to a request without them
 * neither drops nor renews the token). A streamed body is sent once: its 401 is returned.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 * @example
 * ```ts
 * import ky from 'ky';
 * import { kyAuth } from '@tokenwise/ky-auth';
 *
 * const api = ky.create({ ...kyAuth({ tokens }), prefix: 'https://api.example.com/v1' });
 * const members = await api.get('members').json();
 * ```
 */
export function kyAuth(options: KyAuthOptions): KyAuthDefaults {
  createAuthorizer(options); // validates the options now rather than on the first request
  if ('fetch' in options)
    throw new TypeError('kyAuth: pass fetch to ky (ky.create({ fetch })), not to kyAuth');
  // One authorizer per base URL (an instance has one): it remembers the headers to guard.
  const authorizers = new Map<string, Authorizer>();
  const calls = new WeakMap<object, Call>();
  const registration = Symbol('kyAuth');
  const authorizerFor = ({ prefix, baseUrl }: NormalizedOptions): Authorizer => {
    const base = prefix && URL.canParse(prefix) ? prefix : (baseUrl ?? '');
    let authorizer = authorizers.get(String(base));
    if (authorizer === undefined) {
      if (authorizers.size >= 64) authorizers.clear();
      authorizer = createAuthorizer(options, base);
      authorizers.set(String(base), authorizer);
    }
    return authorizer;
  };
  // ky hands every hook of one call the same `context` object: the key of that call's state.
  const callOf = (kyOptions: Options | NormalizedOptions): Call => {
    const context = kyOptions.context ?? {};
    let call = calls.get(context);
    if (call === undefined) {
      const { fetch, timeout = 10_000, body } = kyOptions as Options;
      const send = fetch ?? ((input, init) => globalThis.fetch(input, init));
      call = { fetch: send, timeout, replayable: isReplayableBody(body), resent: 0 };
      calls.set(context, call);
    }
    return call;
  };

  const init: InitHook = (kyOptions) => {
    kyOptions.context ??= {};
    const call = callOf(kyOptions);
    kyOptions.fetch = (input, fetchInit) => send(call, input, fetchInit);
    if (kyOptions.context.skipAuth !== true && options.retryOn401 !== false && call.replayable)
      reserveResend(kyOptions, call);
  };

  const beforeRequest: BeforeRequestHook = async ({ request, options: kyOptions }) => {
    if (kyOptions.context.skipAuth === true) return;
    const authorizer = authorizerFor(kyOptions);
    if (!authorizer.appliesTo(request.url)) return;
    // The first registration that applies owns the call; any other leaves it alone.
    const owner = owners.get(kyOptions.context);
    if (owner !== undefined && owner !== registration) return;
    owners.set(kyOptions.context, registration);
    const call = callOf(kyOptions);
    const { token, headers } =
      authorizer.authorizeNow(request.url, request.signal) ??
      (await authorizeWithin(authorizer, request, call.timeout));
    for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
    const followRedirects = request.redirect === 'follow';
    call.sent = { token, url: request.url, authorizer, followRedirects };
  };

  const afterResponse: AfterResponseHook = async ({ request, options: kyOptions, response }) => {
    const call = calls.get(kyOptions.context);
    if (call?.sent === undefined) return;
    const { token, url, authorizer, followRedirects } = call.sent;
    const answer =
      followRedirects && response.status >= 300 && response.status < 400
        ? await fetchWithRedirectGuard(
            answeredWith(response, call.fetch),
            request,
            { redirect: 'follow' },
            authorizer.sensitiveHeaders(),
            call.replayable && !request.bodyUsed,
          )
        : response;
    const replaced = answer === response ? undefined : answer;
    if (answer.status !== 401) return replaced;
    if (call.resent > 0) {
      authorizer.refusedOnRetry(token, url, answerOf(answer));
      return replaced;
    }
    if (
      !call.replayable ||
      request.bodyUsed ||
      !(await authorizer.shouldRetry(token, url, answerOf(answer)))
    )
      return replaced;
    call.resent++;
    const fresh = await authorizeWithin(authorizer, request, call.timeout);
    call.sent = { ...call.sent, token: fresh.token };
    const headers = new Headers(request.headers);
    for (const [name, value] of Object.entries(fresh.headers)) headers.set(name, value);
    return ky.retry({
      request: new Request(request, { headers }),
      delay: 0,
      code: 'TOKEN_RENEWED',
    });
  };

  // The error the caller gets may be logged: it shows neither the token nor the extra headers.
  const beforeError: BeforeErrorHook = ({ error, request, options: kyOptions }) => {
    const names = calls.get(kyOptions.context)?.sent?.authorizer.sensitiveHeaders() ?? [];
    const sent = (error as { request?: unknown }).request;
    for (const held of new Set([request, sent]))
      if (held instanceof Request) for (const name of names) held.headers.delete(name);
    return error;
  };

  return {
    hooks: {
      init: [init],
      beforeRequest: [beforeRequest],
      afterResponse: [afterResponse],
      beforeError: [beforeError],
    },
  };
}

/**
 * Sends an attempt with the caller's fetch; an authorized one that follows redirects with
 * `redirect: 'manual'` (fetch makes a `Request` of its arguments anyway), so that afterResponse
 * follows them without the token off-origin.
 */
function send(call: Call, ...[input, init]: Parameters<typeof globalThis.fetch>) {
  if (call.sent?.followRedirects !== true) return call.fetch(input, init);
  return call.fetch(input, { ...init, redirect: 'manual' });
}

/**
 * Makes room in `retry.limit` for the one re-send after a 401, and keeps ky's own retries within
 * the caller's limit: `shouldRetry` sees (and is given) the retry count without the re-send.
 */
function reserveResend(kyOptions: Options, call: Call): void {
  const retry =
    typeof kyOptions.retry === 'number' ? { limit: kyOptions.retry } : { ...kyOptions.retry };
  const limit = retry.limit ?? 2; // ky's default
  if (!Number.isInteger(limit) || limit < 0) return; // ky reports the bad limit
  const { shouldRetry } = retry;
  kyOptions.retry = {
    ...retry,
    limit: limit + 1,
    shouldRetry: (state) => {
      const retryCount = state.retryCount - call.resent;
      return retryCount > limit ? false : shouldRetry?.({ ...state, retryCount });
    },
  };
}

/** Waits for a token no longer than ky's `timeout`, then rejects with ky's `TimeoutError`. */
async function authorizeWithin(
  authorizer: Authorizer,
  request: Request,
  timeout: number | false,
): Promise<Authorization> {
  if (timeout === false) return authorizer.authorize(request.url, request.signal);
  const signal = AbortSignal.any([request.signal, AbortSignal.timeout(timeout)]);
  try {
    return await authorizer.authorize(request.url, signal);
  } catch (error) {
    if (signal.aborted && !request.signal.aborted) throw new TimeoutError(request);
    throw error;
  }
}

/** A fetch whose first call answers with `response` (already received), then sends with `fetch`. */
function answeredWith(response: Response, fetch: typeof globalThis.fetch): typeof globalThis.fetch {
  let first: Response | undefined = response;
  return (input, init) => {
    const answer = first;
    first = undefined;
    return answer === undefined ? fetch(input, init) : Promise.resolve(answer);
  };
}
