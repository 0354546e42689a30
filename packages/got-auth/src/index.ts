/**
 * @tokenwise/got-auth: got hooks that attach tokenwise access tokens and answer a 401 with one
 * re-send carrying a fresh token. Works with got 14.6 to 16.
 *
 * @packageDocumentation
 */
import type { AuthOptions } from '@tokenwise/core';
import {
  type Authorization,
  answerFrom,
  assertAuthOptions,
  createAuthorizer,
} from '@tokenwise/core/adapter';
import { TimeoutError } from 'got';
import { dropHeaders } from './internal/auth-headers.ts';
import { type HookResponse, requestOf } from './internal/auth-request.ts';
import { redact } from './internal/redact-error.ts';
import { followHop } from './internal/redirect-hop.ts';
import {
  attach,
  baseOf,
  carriedBy,
  type HookOptions,
  rememberBase,
  resendsOf,
  sentWith,
} from './internal/request-state.ts';
import { type ResendOptions, resendRejected } from './internal/resend-room.ts';
import { TokenWaitTimeout, tokenWaitOf } from './internal/token-wait-timeout.ts';

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
    ) => void | Promise<void>)[];
    readonly beforeRedirect: ((
      next: HookOptions,
      response: HookResponse,
    ) => void | Promise<void>)[];
    readonly afterResponse: (<R extends HookResponse>(
      response: R,
      retryWithMergedOptions: (options: ResendOptions) => never,
    ) => R | Promise<R>)[];
    readonly beforeError: (<E extends Error>(error: E) => Error)[];
  };
}

/**
 * got hooks that put `Authorization: Bearer <token>` (and the extra headers) on every request to
 * an allowed origin, and re-send once with a fresh token after a 401.
 *
 * - A 401 invalidates the token that request sent (only if still cached), then re-sends it once
 *   through got's `retryWithMergedOptions`. The re-send is gotAuth's, not one of your retries:
 *   it does not use up `retry.limit`, and your `calculateDelay` and `beforeRetry` hooks neither
 *   see it nor count it. A second 401 is got's usual `HTTPError` (or response with
 *   `throwHttpErrors: false`). Concurrent 401s share one token request.
 * - Not retried: `got.stream()` requests and bodies that cannot be replayed (streams, iterables,
 *   `FormData`, which got sends as a stream). got's own retries and `signal` apply as usual;
 *   `timeout.request` also bounds the wait for a token (then the request fails with got's
 *   `TimeoutError`, which got may retry).
 * - The token and extra headers never follow a redirect to another origin (scheme, host or port).
 *   With a DPoP token, each hop on the origin carries a new proof for its own URL and method.
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
  assertAuthOptions(options, 'gotAuth');
  const authorizer = createAuthorizer(options);
  /** This registration: the owner of the requests it authorized. */
  const registration = Symbol('tokenwise.gotAuth');
  /** Errors of `authorize` (no token, a bad header function result): the caller gets them as is. */
  const authorizationErrors = new WeakSet<object>();
  /**
   * Rethrows an error of `authorize`: the manager's, or a header function's (a TypeError for a
   * bad header), which beforeError hands to the caller as is, not wrapped in a RequestError.
   */
  const authorizationFailed = (error: unknown): never => {
    if (typeof error === 'object' && error !== null) authorizationErrors.add(error);
    throw error;
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
        // Synchronous while the manager keeps its token: got then waits for nothing of ours.
        (request, context) => {
          // Authorized by another registration, or a redirect hop that keeps (or has lost) the
          // headers of the first request: never add them.
          const carried = carriedBy(request);
          if (carried?.options === request || request.context.skipAuth === true) return;
          if (!request.url || !authorizer.appliesTo(request.url, baseOf(request))) return;
          // A retry's options still carry the previous attempt's headers: drop them before the
          // wait, so that no error raised while waiting (a timeout) shows an earlier token. A
          // first attempt's are the caller's own: setting the token replaces them, or, if there
          // is a wait, they are dropped before it.
          const sensitive = authorizer.sensitiveHeaders();
          if (carried !== undefined) dropHeaders(request, sensitive);
          const wait = tokenWaitOf(request);
          const described = requestOf(request); // read by the authorizer only as it needs
          const resends = resendsOf(carried, registration, context?.retryCount ?? 0);
          let authorized: Authorization | Promise<Authorization>;
          try {
            authorized = authorizer.authorize(described, wait);
          } catch (error) {
            return authorizationFailed(error);
          }
          if (!(authorized instanceof Promise))
            return attach(request, registration, authorized, resends);
          dropHeaders(request, sensitive); // those left: none if dropped above
          return authorized.then(
            (auth) => attach(request, registration, auth, resends),
            authorizationFailed,
          );
        },
      ],
      beforeRedirect: [(next, response) => followHop(next, response, registration)],
      afterResponse: [
        // Synchronous for all but an answer to re-send: got need not wait for this hook.
        (response, retryWithMergedOptions) => {
          if (sentWith(response.request.options)?.owner !== registration) return response;
          const answer = answerFrom(response.url, response.statusCode, response.headers);
          if (!authorizer.wantsResend(answer)) return response;
          return resendRejected(response, answer, retryWithMergedOptions, authorizer, registration);
        },
      ],
      beforeError: [
        (error) => {
          const { cause } = error as Error & { timings?: unknown; request?: unknown };
          if (typeof cause !== 'object' || cause === null || !authorizationErrors.has(cause)) {
            redact(error);
            return error;
          }
          if (!(cause instanceof TokenWaitTimeout)) return cause as Error;
          const { timings, request } = error as Error & { timings?: unknown; request?: unknown };
          return new TimeoutError(cause, timings as never, request as never);
        },
      ],
    },
  };
}
