import type { AuthOptions } from './auth-options.ts';
import { describeRequest } from './auth-request.ts';
import type { Authorization } from './authorization.ts';
import { createAuthorizer } from './authorizer.ts';
import { discardBody } from './discard-body.ts';
import { redirectStepFor } from './dpop/redirect-proofs.ts';
import { globalFetch } from './internal/global-fetch.ts';
import { bodyCopyOf, followRedirects } from './internal/guarded-answer.ts';
import { answerOf, followsRedirects } from './redirect-guard.ts';
import { isRedirectResponse } from './redirect-hop.ts';
import { onRejected, ResendBudget } from './rejection.ts';
import { isReplayableBody } from './replayable-body.ts';

/**
 * `RequestInit` plus `skipAuth`: send this request without a token.
 *
 * @example
 * ```ts
 * await authedFetch('https://api.example.com/health', { skipAuth: true });
 * ```
 */
export interface AuthRequestInit extends RequestInit {
  readonly skipAuth?: boolean | undefined;
}

/**
 * A `fetch` that attaches tokens (see {@link createAuthFetch}).
 *
 * @example
 * ```ts
 * const authFetch: AuthFetch = createAuthFetch({ tokens });
 * await authFetch('https://api.example.com/members', { skipAuth: false });
 * ```
 */
export type AuthFetch = (
  input: string | URL | Request,
  init?: AuthRequestInit,
) => Promise<Response>;

/**
 * Options of {@link createAuthFetch}.
 *
 * @example
 * ```ts
 * const options: AuthFetchOptions = { tokens, origins: ['https://api.example.com'] };
 * ```
 */
export interface AuthFetchOptions extends AuthOptions {
  /** The fetch to wrap. @default the global `fetch`, looked up at each request */
  readonly fetch?: typeof globalThis.fetch | undefined;
}

/**
 * Wraps `fetch` so that every request to an allowed origin carries `Authorization: Bearer <token>`
 * (and the extra headers), and a rejected token (a 401, see `reauthorizeOn`) is answered by one
 * re-send with a fresh token. With no `origins`, every request gets the token: set `origins` when
 * the same fetch calls other hosts.
 *
 * - A body that cannot be replayed (a `ReadableStream`) is sent once: its 401 is returned.
 * - Redirects are followed here, so the token and extra headers are dropped on a cross-origin hop
 *   whatever the underlying fetch does, and stay dropped; a 401 to a request without them (even
 *   back on the API's origin) neither drops nor renews the token. With a DPoP token, each hop on
 *   the origin carries a new proof for its own URL and method.
 * - When no token can be obtained, the manager's typed error rejects the call.
 * - Wrappers compose: pass one as another's `fetch` (one per vendor, each with its own `origins`).
 *   A request outside a wrapper's origins goes to the wrapped fetch untouched, `skipAuth`
 *   included, so each wrapper handles only its own requests and `skipAuth` reaches every one.
 *
 * @example
 * ```ts
 * const authedFetch = createAuthFetch({ tokens, headers: { 'X-Tenant-Id': tenantId } });
 * const res = await authedFetch('https://api.personify.com/v1/members');
 *
 * // Two vendors, one fetch:
 * const both = createAuthFetch({ tokens: b, origins: [urlB], fetch: createAuthFetch({ tokens: a, origins: [urlA] }) });
 * ```
 */
export function createAuthFetch(options: AuthFetchOptions): AuthFetch {
  const authorizer = createAuthorizer(options);
  if (options.fetch !== undefined && typeof options.fetch !== 'function')
    throw new TypeError('createAuthFetch: fetch must be a function');
  // Without a `fetch` option, the global one is looked up at each request, not now.
  const baseFetch = options.fetch ?? globalFetch;

  return async (input, authInit) => {
    let init = withoutSkipAuth(authInit);
    let request = input instanceof Request ? input : undefined;
    const url = request?.url ?? String(input);
    // Not ours: the wrapped fetch gets it as given, `skipAuth` too (it may be another wrapper).
    if (authInit?.skipAuth === true || !authorizer.appliesTo(url))
      return baseFetch(input, authInit);
    // A FormData body gets a new multipart boundary at each send: serialise it once, so that the
    // re-send is the same bytes. The Request holds body and headers (with that boundary) now.
    if (typeof FormData === 'function' && init?.body instanceof FormData) {
      const { body: _, headers: __, ...rest } = init;
      input = request = new Request(input, init);
      init = rest;
    }
    // The body that is sent: `init`'s, else the Request's own, copied here for the re-sends and
    // a 307/308 (each sends a copy of the copy: a call may be re-sent twice, for a DPoP nonce and
    // a new token).
    const replayable = init?.body == null || isReplayableBody(init.body);
    const retry = replayable && authorizer.maxResends > 0;
    const follows = followsRedirects(input, init);
    const spare = retry || follows ? bodyCopyOf(input, init) : undefined;
    const signal = init?.signal ?? request?.signal ?? undefined;
    const wait = signal === undefined ? undefined : { signal }; // no object for most requests
    const method = init?.method ?? request?.method;
    const own = init?.headers ?? request?.headers;
    // Read by the authorizer only as it needs (see `describeRequest`).
    const described = describeRequest(url, method, own);
    const authorized = authorizer.authorize(described, wait);
    let authorization = authorized instanceof Promise ? await authorized : authorized;
    let resends: ResendBudget | undefined; // made on the first rejection only
    let sending = input;
    for (;;) {
      // The first hop is sent and awaited here; its answer goes through the guard's own step.
      const sent = withAuthHeaders(sending, init, authorization, follows ? 'manual' : undefined);
      let response = await baseFetch(sending, sent);
      if (follows && isRedirectResponse(response))
        response = await followRedirects(baseFetch, response, sending, sent, spare, {
          sensitiveHeaders: authorizer.sensitiveHeaders(),
          replayableBody: replayable,
          onHop: redirectStepFor(authorization),
        });
      const answer = answerOf(response);
      if (!authorizer.wantsResend(answer)) return response;
      resends ??= new ResendBudget();
      const rejection = { authorization, request: described, answer, resends, replayable: retry };
      if (!(await onRejected(authorizer, rejection))) return response;
      discardBody(response.body);
      authorization = await authorizer.authorize(described, wait);
      sending = spare?.clone() ?? input;
    }
  };
}

/**
 * `init` with the auth headers set over the request's own: fetch builds its Request from `input`
 * and `init` anyway, so this costs no extra copy. `redirect`, when given, replaces `init`'s:
 * `'manual'` where redirects are followed here (see `followRedirects`), so that the auth headers
 * are dropped on the first cross-origin hop, and a DPoP request's hops on the origin get their
 * own proof.
 */
function withAuthHeaders(
  input: string | URL | Request,
  init: RequestInit | undefined,
  authorization: Authorization,
  redirect: RequestRedirect | undefined,
): RequestInit {
  const auth = authorization.headers;
  const own = init?.headers ?? (input instanceof Request ? input.headers : undefined);
  let headers: HeadersInit = auth;
  if (own != null) {
    headers = new Headers(own);
    for (const name of Object.keys(auth)) headers.set(name, auth[name] as string);
  }
  return redirect === undefined ? { ...init, headers } : { ...init, headers, redirect };
}

/** `init` without `skipAuth`, which is ours and not fetch's. */
function withoutSkipAuth(init: AuthRequestInit | undefined): RequestInit | undefined {
  if (init === undefined || !('skipAuth' in init)) return init;
  const { skipAuth: _, ...rest } = init;
  return rest;
}
