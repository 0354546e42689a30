import { type AuthOptions, createAuthorizer } from './authorizer.ts';

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

const maxRedirects = 20;

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
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function')
    throw new TypeError('createAuthFetch: fetch must be a function');

  return async (input, init) => {
    const request = new Request(input, init);
    if (init?.skipAuth === true || !authorizer.appliesTo(request.url)) return fetchImpl(request);
    const replayable = !isStream(init?.body);
    const spare = replayable ? request.clone() : undefined;
    const first = await authorizer.authorize(request.url, request.signal);
    const response = await send(request, first.headers);
    if (
      response.status !== 401 ||
      spare === undefined ||
      !(await authorizer.shouldRetry(first.token))
    )
      return response;
    await response.body?.cancel().catch(() => {});
    const second = await authorizer.authorize(spare.url, spare.signal);
    return send(spare, second.headers);
  };

  /** Sends with the auth headers, following redirects itself unless the caller chose otherwise. */
  async function send(request: Request, auth: Record<string, string>): Promise<Response> {
    const headers = new Headers(request.headers);
    for (const [name, value] of Object.entries(auth)) headers.set(name, value);
    if (request.redirect !== 'follow') return fetchImpl(new Request(request, { headers }));
    // Redirects re-send the body; keep a copy when the body can be replayed.
    let current = new Request(request, { headers, redirect: 'manual' });
    for (let hops = 0; ; hops++) {
      const spare = current.body === null ? undefined : current.clone();
      const response = await fetchImpl(current);
      const location = response.headers.get('location');
      if (
        response.status < 300 ||
        response.status > 399 ||
        location === null ||
        response.status === 304
      )
        return response;
      if (hops >= maxRedirects)
        throw new TypeError(`createAuthFetch: more than ${maxRedirects} redirects`);
      const next = new URL(location, current.url);
      const nextHeaders = new Headers(current.headers);
      if (next.origin !== new URL(current.url).origin) {
        for (const name of Object.keys(auth)) nextHeaders.delete(name);
      }
      const becomesGet =
        response.status === 303
          ? current.method !== 'HEAD'
          : (response.status === 301 || response.status === 302) && current.method === 'POST';
      await response.body?.cancel().catch(() => {});
      if (becomesGet) {
        nextHeaders.delete('content-type');
        nextHeaders.delete('content-length');
        current = new Request(next, {
          method: 'GET',
          headers: nextHeaders,
          redirect: 'manual',
          signal: current.signal,
        });
      } else {
        if (current.body !== null && spare === undefined) return response;
        current = new Request(next, {
          method: current.method,
          headers: nextHeaders,
          body: spare?.body ?? null,
          redirect: 'manual',
          signal: current.signal,
          ...(spare?.body ? { duplex: 'half' } : {}),
        } as RequestInit);
      }
    }
  }
}

function isStream(body: unknown): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    (body instanceof ReadableStream ||
      typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function')
  );
}
