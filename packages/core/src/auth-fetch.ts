import { type AuthOptions, createAuthorizer } from './authorizer.ts';
import { fetchWithRedirectGuard, isReplayableBody, runtimeOptions } from './redirect-guard.ts';

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

/** A `fetch` that attaches tokens. */
export type AuthFetch = (input: RequestInfo | URL, init?: AuthRequestInit) => Promise<Response>;

/**
 * Options of {@link createAuthFetch}.
 *
 * @example
 * ```ts
 * const options: AuthFetchOptions = { tokens, origins: ['https://api.example.com'] };
 * ```
 */
export interface AuthFetchOptions extends AuthOptions {
  /** The fetch to wrap. @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch | undefined;
}

/**
 * Wraps `fetch` so that every request to an allowed origin carries `Authorization: Bearer <token>`
 * (and the extra headers), and a 401 is answered by one re-send with a fresh token. With no
 * `origins`, every request gets the token: set `origins` when the same fetch calls other hosts.
 *
 * - A body that cannot be replayed (a `ReadableStream`) is sent once: its 401 is returned.
 * - Redirects are followed here, so the token and extra headers are dropped on a cross-origin hop
 *   whatever the underlying fetch does.
 * - When no token can be obtained, the manager's typed error rejects the call.
 *
 * @example
 * ```ts
 * const authedFetch = createAuthFetch({ tokens, headers: { 'X-Tenant-Id': tenantId } });
 * const res = await authedFetch('https://api.personify.com/v1/members');
 * ```
 */
export function createAuthFetch(options: AuthFetchOptions): AuthFetch {
  const authorizer = createAuthorizer(options);
  const baseFetch = options.fetch ?? globalThis.fetch;
  if (typeof baseFetch !== 'function')
    throw new TypeError('createAuthFetch: fetch must be a function');

  return async (input, init) => {
    const request = new Request(input, init);
    // Options fetch takes beside the Request (undici's `dispatcher`) go along with every send.
    const extra = runtimeOptions(init, 'skipAuth');
    const fetchImpl: typeof globalThis.fetch = extra ? (req) => baseFetch(req, extra) : baseFetch;
    if (init?.skipAuth === true || !authorizer.appliesTo(request.url)) return fetchImpl(request);
    const replayable = isReplayableBody(init?.body);
    const spare = replayable && authorizer.retryOn401 ? request.clone() : undefined;
    const first = await authorizer.authorize(request.url, request.signal);
    const response = await send(fetchImpl, request, first.headers, replayable);
    if (
      response.status !== 401 ||
      spare === undefined ||
      !fromOrigin(response, request.url) ||
      !(await authorizer.shouldRetry(first.token, request.url))
    )
      return response;
    await response.body?.cancel().catch(() => {});
    const second = await authorizer.authorize(spare.url, spare.signal);
    const retried = await send(fetchImpl, spare, second.headers, true);
    if (retried.status === 401 && fromOrigin(retried, spare.url))
      authorizer.refusedOnRetry(second.token, spare.url);
    return retried;
  };

  /** Sends with the auth headers; redirects drop them on the first cross-origin hop. */
  function send(
    fetchImpl: typeof globalThis.fetch,
    request: Request,
    auth: Record<string, string>,
    replayable: boolean,
  ): Promise<Response> {
    const headers = new Headers(request.headers);
    for (const [name, value] of Object.entries(auth)) headers.set(name, value);
    return fetchWithRedirectGuard(
      fetchImpl,
      new Request(request, { headers }),
      Object.keys(auth),
      replayable,
    );
  }
}

/**
 * Whether `response` came from the origin of `url`. A 401 from another origin (after a redirect,
 * which dropped the token) says nothing about the token: it is returned without a retry.
 */
function fromOrigin(response: Response, url: string): boolean {
  return response.url === '' || new URL(response.url).origin === new URL(url).origin;
}
