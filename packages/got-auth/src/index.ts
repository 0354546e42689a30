/**
 * @tokenwise/got-auth: got hooks that attach tokenwise access tokens and answer a 401 with one
 * re-send carrying a fresh token. Works with got 14.6 to 16.
 *
 * @packageDocumentation
 */
import type { AuthOptions } from '@tokenwise/core';
import { type Authorizer, createAuthorizer } from '@tokenwise/core/adapter';
import { redact } from './internal/redact-error.ts';
import {
  attach,
  baseOf,
  type HookOptions,
  markResent,
  remember,
  rememberBase,
  Sent,
  sentWith,
} from './internal/request-state.ts';

/**
 * Options of {@link gotAuth}: `tokens`, and optionally `origins` (default: the origin of the
 * instance's `prefixUrl`; with none, every request), `headers` (e.g. `X-Tenant-Id`) and
 * `retryOn401` (default `true`).
 *
 * @example
 * ```ts
 * const options: GotAuthOptions = { tokens, headers: { 'X-Tenant-Id': tenantId } };
 * ```
 */
export type GotAuthOptions = AuthOptions;

/**
 * What {@link gotAuth} reads from got's `context`: `skipAuth: true` sends a request without the
 * token. got types `context` as `Record<string, unknown>`, so use `satisfies` to check it.
 *
 * @example
 * ```ts
 * await api('health', { context: { skipAuth: true } satisfies GotAuthContext });
 * ```
 */
export interface GotAuthContext {
  /** Send this request without `Authorization` and the extra headers. */
  readonly skipAuth?: boolean | undefined;
}

/** The parts of got's `Response` and `PlainResponse` the hooks use. */
interface HookResponse {
  readonly statusCode: number;
  /** The URL that answered, after redirects. */
  readonly url: string;
  readonly request: { readonly options: HookOptions };
}

/**
 * The got `ExtendOptions` that {@link gotAuth} returns: hooks only, assignable to the options of
 * `got.extend()` in got 14 and 16.
 *
 * @example
 * ```ts
 * const auth: GotAuthExtendOptions = gotAuth({ tokens });
 * const api = got.extend({ prefixUrl: 'https://api.example.com' }, auth);
 * ```
 */
export interface GotAuthExtendOptions {
  readonly hooks: {
    readonly init: ((init: unknown, self: HookOptions) => void)[];
    readonly beforeRequest: ((
      options: HookOptions,
      context?: { readonly retryCount: number },
    ) => Promise<void> | undefined)[];
    readonly beforeRedirect: ((next: HookOptions, response: HookResponse) => void)[];
    readonly afterResponse: (<R extends HookResponse>(
      response: R,
      retryWithMergedOptions: (options: ResendOptions) => never,
    ) => R | Promise<R>)[];
    readonly beforeError: (<E extends Error>(error: E) => Error)[];
  };
}

/** What the 401 hook merges into the re-sent request's options. */
interface ResendOptions {
  readonly preserveHooks: true;
  readonly retry: { readonly limit: number };
}

/** Errors of `authorize` (no token, a bad header function result): the caller gets them as is. */
const authorizationErrors = new WeakSet<object>();

/**
 * got hooks that put `Authorization: Bearer <token>` (and the extra headers) on every request to
 * an allowed origin, and re-send once with a fresh token after a 401.
 *
 * - A 401 invalidates the token that request sent (only if still cached), then re-sends it once
 *   through got's `retryWithMergedOptions`, raising that call's `retry.limit` by one so that the
 *   re-send does not use up got's own retries; a second 401 is got's usual `HTTPError` (or
 *   response with `throwHttpErrors: false`). Concurrent 401s share one token request.
 * - Not retried: `got.stream()` requests and bodies that cannot be replayed (streams, iterables,
 *   `FormData`). got's own retries, timeouts and `signal` apply as usual.
 * - The token and extra headers never follow a redirect to another origin (scheme, host or port).
 * - When no token can be obtained, the manager's error (e.g. `TokenEndpointError`) rejects the
 *   call, not a got `RequestError`.
 * - Several registrations on one instance (one per vendor, each with its own `tokens` and
 *   `origins`) never touch each other's requests: a request is authorized by the first whose
 *   origins it matches, and only that one answers its 401. Register it before your own hooks.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 * @example
 * ```ts
 * import got from 'got';
 * import { gotAuth } from '@tokenwise/got-auth';
 *
 * const api = got.extend({ prefixUrl: 'https://api.personify.com/v1' }, gotAuth({ tokens }));
 * const members = await api('members').json();
 * ```
 */
export function gotAuth(options: GotAuthOptions): GotAuthExtendOptions {
  const fixed = createAuthorizer(options); // validates the options; used as is when `origins` is set
  const byBase = new Map<string, Authorizer>();
  /** This registration: the owner of the requests it authorized. */
  const registration = Symbol('tokenwise.gotAuth');

  const authorizerFor = (request: HookOptions): Authorizer => {
    if (options.origins !== undefined) return fixed;
    const base = baseOf(request);
    const known = byBase.get(base);
    if (known !== undefined) return known;
    const authorizer = createAuthorizer(options, base);
    byBase.set(base, authorizer);
    return authorizer;
  };

  /** Re-sends once with a fresh token, unless this was the re-send or the body cannot go again. */
  const answer401 = async <R extends HookResponse>(
    response: R,
    retryWithMergedOptions: (options: ResendOptions) => never,
  ): Promise<R> => {
    const { options: request } = response.request;
    const state = sentWith(request);
    if (state?.owner !== registration || state.token === undefined) return response;
    const url = String(request.url);
    if (state.resent) {
      // The re-send got a 401 too: a fresh token was refused, do not renew it again.
      fixed.refusedOnRetry(state.token, url, { url: response.url });
      return response;
    }
    if (!replayable(request.body)) return response;
    if (!(await fixed.shouldRetry(state.token, url, { url: response.url }))) return response;
    markResent(request, registration);
    // got counts this re-send as one of its retries: one more keeps `retry.limit` for got's own.
    // The remaining hooks are kept (got drops them by default), so that those registered after
    // this one see the re-sent request's answer, and the 401 is seen by those before it only.
    return retryWithMergedOptions({
      preserveHooks: true,
      retry: { limit: (request.retry.limit ?? 0) + 1 },
    });
  };

  return {
    hooks: {
      // Runs before a request's own options are merged: `prefixUrl` is still the instance's.
      init: [
        (_init, self) => {
          if (options.origins === undefined) rememberBase(self);
        },
      ],
      beforeRequest: [
        (request, context) => {
          const attempt = context?.retryCount ?? 0;
          // Authorized by another registration, or a redirect hop that keeps (or has lost) the
          // headers of the first request: never add them.
          if (sentWith(request) || request.context.skipAuth === true || !request.url) return;
          const authorizer = authorizerFor(request);
          if (!authorizer.appliesTo(request.url)) return;
          // Synchronous when the token is at hand: got need not wait for this hook.
          const now = authorizer.authorizeNow(request.url, request.signal);
          if (now !== undefined) {
            attach(request, registration, now, attempt);
            return undefined;
          }
          return authorizer.authorize(request.url, request.signal).then(
            (auth) => {
              attach(request, registration, auth, attempt);
            },
            (error: unknown) => {
              // The manager's error, or a header function's (a TypeError for a bad header):
              // beforeError hands it to the caller as is, not wrapped in a RequestError.
              if (typeof error === 'object' && error !== null) authorizationErrors.add(error);
              throw error;
            },
          );
        },
      ],
      beforeRedirect: [
        (next, response) => {
          const previous = response.request.options;
          const state = sentWith(previous);
          // Another registration's request, or a hop an earlier registration already recorded.
          if ((state !== undefined && state.owner !== registration) || sentWith(next)) return;
          const target = origin(next.url);
          const sameOrigin = target !== undefined && target === origin(previous.url);
          if (state && !sameOrigin) for (const name of state.names) delete next.headers[name];
          remember(
            state && sameOrigin
              ? new Sent(next, registration, state.token, state.names, state.resent)
              : // A hop without the token still belongs to the call: a re-sent call stays re-sent.
                new Sent(next, registration, undefined, [], state?.resent ?? false),
          );
        },
      ],
      afterResponse: [
        // Synchronous for all but a 401: got need not wait for this hook.
        (response, retryWithMergedOptions) =>
          response.statusCode === 401 ? answer401(response, retryWithMergedOptions) : response,
      ],
      beforeError: [
        (error) => {
          const { cause } = error;
          if (typeof cause === 'object' && cause !== null && authorizationErrors.has(cause))
            return cause as Error;
          redact(error);
          return error;
        },
      ],
    },
  };
}

function origin(url: string | URL | undefined): string | undefined {
  return url === undefined || !URL.canParse(url) ? undefined : new URL(url).origin;
}

/** Bodies got can send again: none, strings and bytes (`json` and `form` are strings by now). */
function replayable(body: unknown): boolean {
  return body === undefined || typeof body === 'string' || ArrayBuffer.isView(body);
}
