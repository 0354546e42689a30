/**
 * @tokenwise/got-auth: got hooks that attach tokenwise access tokens and answer a 401 with one
 * re-send carrying a fresh token. Works with got 14.6 to 16.
 *
 * @packageDocumentation
 */
import {
  type AuthOptions,
  type Authorization,
  type Authorizer,
  createAuthorizer,
  type Token,
} from '@tokenwise/core';
import { redactedHeaderValue, redactSentHeaders } from '@tokenwise/core/adapter';

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

/** The parts of got's `Options` the hooks use (the same in got 14 and 16). */
interface HookOptions {
  readonly url?: string | URL | undefined;
  readonly prefixUrl: string | URL;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly context: Record<string, unknown>;
  readonly body?: unknown;
  readonly signal?: AbortSignal | undefined;
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
    readonly beforeRequest: ((options: HookOptions) => Promise<void> | undefined)[];
    readonly beforeRedirect: ((next: HookOptions, response: HookResponse) => void)[];
    readonly afterResponse: (<R extends HookResponse>(
      response: R,
      retryWithMergedOptions: (options: Record<never, never>) => never,
    ) => R | Promise<R>)[];
    readonly beforeError: (<E extends Error>(error: E) => Error)[];
  };
}

/** Errors of `authorize` (no token, a bad header function result): the caller gets them as is. */
const authorizationErrors = new WeakSet<object>();

/** The instance's base URL, kept in `context` so that retries (which reset `prefixUrl`) keep it. */
const baseKey = Symbol('tokenwise.baseUrl');
const resentKey = Symbol('tokenwise.resent');
const sentKey = Symbol('tokenwise.sent');

/**
 * got hooks that put `Authorization: Bearer <token>` (and the extra headers) on every request to
 * an allowed origin, and re-send once with a fresh token after a 401.
 *
 * - A 401 invalidates the token that request sent (only if still cached), then re-sends it once
 *   through got's `retryWithMergedOptions`; a second 401 is got's usual `HTTPError` (or response
 *   with `throwHttpErrors: false`). Concurrent 401s share one token request.
 * - Not retried: `got.stream()` requests and bodies that cannot be replayed (streams, iterables,
 *   `FormData`). got's own retries, timeouts and `signal` apply as usual.
 * - The token and extra headers never follow a redirect to another origin (scheme, host or port).
 * - When no token can be obtained, the manager's error (e.g. `TokenEndpointError`) rejects the
 *   call, not a got `RequestError`.
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

  const authorizerFor = (request: HookOptions): Authorizer => {
    if (options.origins !== undefined) return fixed;
    const base = String(contextOf(request)[baseKey] ?? request.prefixUrl);
    const known = byBase.get(base);
    if (known !== undefined) return known;
    const authorizer = createAuthorizer(options, base);
    byBase.set(base, authorizer);
    return authorizer;
  };

  /** Re-sends once with a fresh token, unless this was the re-send or the body cannot go again. */
  const answer401 = async <R extends HookResponse>(
    response: R,
    retryWithMergedOptions: (options: { preserveHooks: true }) => never,
  ): Promise<R> => {
    const { options: request } = response.request;
    const state = sentWith(request);
    if (state?.token === undefined) return response;
    const url = String(request.url);
    if (state.resent === true) {
      // The re-send got a 401 too: a fresh token was refused, do not renew it again.
      fixed.refusedOnRetry(state.token, url, response.url);
      return response;
    }
    if (!replayable(request.body)) return response;
    if (!(await fixed.shouldRetry(state.token, url, response.url))) return response;
    // The context object carries over to the re-send: mark it as the one re-send. Hooks are kept
    // for it (got drops them by default) so that this hook sees its answer.
    contextOf(request)[resentKey] = true;
    return retryWithMergedOptions({ preserveHooks: true });
  };

  return {
    hooks: {
      // Runs before a request's own options are merged: `prefixUrl` is still the instance's.
      init: [
        (_init, self) => {
          if (options.origins === undefined) contextOf(self)[baseKey] = String(self.prefixUrl);
        },
      ],
      beforeRequest: [
        (request) => {
          // Redirect hops keep (or have lost) the headers of the first request: never re-add.
          if (sentWith(request) || request.context.skipAuth === true || !request.url) return;
          const authorizer = authorizerFor(request);
          if (!authorizer.appliesTo(request.url)) return;
          // Synchronous when the token is at hand: got need not wait for this hook.
          const now = authorizer.authorizeNow(request.url, request.signal);
          if (now !== undefined) {
            attach(request, now);
            return undefined;
          }
          return authorizer.authorize(request.url, request.signal).then(
            (auth) => {
              attach(request, auth);
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
          const target = origin(next.url);
          const sameOrigin = target !== undefined && target === origin(previous.url);
          if (state && !sameOrigin) for (const name of state.names) delete next.headers[name];
          contextOf(next)[sentKey] =
            state && sameOrigin
              ? new Sent(next, state.token, state.names, state.resent)
              : new Sent(next, undefined, [], false);
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
          redact(error as Partial<ErrorParts>);
          return error;
        },
      ],
    },
  };
}

/**
 * What a request was sent with; kept in its `context`, which got copies into retries and hops.
 * Logged, it shows nothing: the options it points to carry the token in their headers.
 */
class Sent {
  constructor(
    /** The options this state belongs to: a copy in a retry's context is not the retry's state. */
    readonly options: HookOptions,
    readonly token: Token | undefined,
    /** Lower-case names of the headers this adapter set. */
    readonly names: readonly string[],
    /** Whether this was the one re-send after a 401. */
    readonly resent: boolean,
  ) {}

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'Sent { [tokenwise request state] }';
  }
}

/** The parts of got's `RequestError` that hold the headers sent. */
interface ErrorParts {
  readonly options: HookOptions;
  readonly request: { readonly options?: HookOptions; readonly _request?: unknown } | undefined;
  readonly response: { readonly request?: { readonly options?: HookOptions } } | undefined;
}

/**
 * Hides the headers this adapter set (`Authorization`, the extra headers) in an error about to
 * reach the caller, so that logging it shows no token: in its options (`error.options`, the
 * request's and the response's are the same objects) and in the `ClientRequest` that was sent.
 * Re-sending with `error.options` works: the hook sets the headers anew.
 */
function redact(error: Partial<ErrorParts>): void {
  const all = [error.options, error.request?.options, error.response?.request?.options];
  for (const options of new Set(all)) {
    const state = options === undefined ? undefined : sentWith(options);
    if (options === undefined || state?.token === undefined) continue;
    for (const name of state.names)
      if (name in options.headers) options.headers[name] = redactedHeaderValue;
    redactSentHeaders(error.request?._request, state.names);
  }
}

/** Sets the auth headers on `request` and remembers what it was sent with. */
function attach(request: HookOptions, { token, headers }: Authorization): void {
  const names: string[] = [];
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase();
    request.headers[lower] = headers[name];
    names.push(lower);
  }
  const context = contextOf(request);
  context[sentKey] = new Sent(request, token, names, context[resentKey] === true);
}

function contextOf(options: HookOptions): Record<symbol, unknown> {
  return options.context as Record<symbol, unknown>;
}

/** The state of the request `options` were sent as, if this adapter handled it. */
function sentWith(options: HookOptions): Sent | undefined {
  const state = contextOf(options)[sentKey];
  return state instanceof Sent && state.options === options ? state : undefined;
}

function origin(url: string | URL | undefined): string | undefined {
  return url === undefined || !URL.canParse(url) ? undefined : new URL(url).origin;
}

/** Bodies got can send again: none, strings and bytes (`json` and `form` are strings by now). */
function replayable(body: unknown): boolean {
  return body === undefined || typeof body === 'string' || ArrayBuffer.isView(body);
}
