/**
 * Redirect following that never carries credentials to another origin, whatever the underlying
 * `fetch` does (the fetch standard drops only `Authorization`; custom headers such as `X-Tenant-Id`
 * would follow the redirect).
 *
 * @module
 */

const maxRedirects = 20;

/**
 * Sends `request`, following redirects here (`redirect: 'manual'` underneath) and deleting the
 * `sensitiveHeaders` on the first hop to another origin; they are not restored on later hops.
 * Follows the fetch standard otherwise: 303 (and 301/302 after POST) turns into a GET without
 * body, 307/308 re-send method and body, at most 20 hops. A request whose `redirect` is not
 * `'follow'` is sent as it is. With `replayableBody: false` (a stream upload) the body is not
 * copied, and a 307/308, which would send it again, is returned to the caller.
 *
 * @see https://fetch.spec.whatwg.org/#http-redirect-fetch
 * @example
 * ```ts
 * const res = await fetchWithRedirectGuard(fetch, request, ['authorization', 'x-tenant-id']);
 * ```
 */
export async function fetchWithRedirectGuard(
  fetchImpl: typeof globalThis.fetch,
  request: Request,
  sensitiveHeaders: Iterable<string>,
  replayableBody = true,
): Promise<Response> {
  if (request.redirect !== 'follow') return fetchImpl(request);
  let current = new Request(request, { redirect: 'manual' });
  for (let hops = 0; ; hops++) {
    // A 307/308 re-sends the body: keep a copy before it is consumed.
    const spare = current.body === null || !replayableBody ? undefined : current.clone();
    const response = await fetchImpl(current);
    const location = response.headers.get('location');
    if (
      response.status < 300 ||
      response.status > 399 ||
      response.status === 304 ||
      location === null
    ) {
      return response;
    }
    if (hops >= maxRedirects)
      throw new TypeError(`more than ${maxRedirects} redirects from ${request.url}`);
    const next = new URL(location, current.url);
    const headers = new Headers(current.headers);
    if (next.origin !== new URL(current.url).origin) {
      for (const name of sensitiveHeaders) headers.delete(name);
    }
    const becomesGet =
      response.status === 303
        ? current.method !== 'HEAD'
        : (response.status === 301 || response.status === 302) && current.method === 'POST';
    // A 307/308 sends the body again: impossible for a body that cannot be replayed.
    if (!becomesGet && current.body !== null && spare === undefined) return response;
    await response.body?.cancel().catch(() => {});
    if (becomesGet) {
      headers.delete('content-type');
      headers.delete('content-length');
      current = new Request(next, {
        method: 'GET',
        headers,
        redirect: 'manual',
        signal: current.signal,
      });
    } else {
      current = new Request(next, {
        method: current.method,
        headers,
        body: spare?.body ?? null,
        redirect: 'manual',
        signal: current.signal,
        ...(spare?.body ? { duplex: 'half' } : {}),
      } as RequestInit);
    }
  }
}

/**
 * Wraps `fetch` with {@link fetchWithRedirectGuard}, for clients that take a `fetch` option
 * (ky, axios's fetch adapter). `sensitiveHeaders` is read at each request.
 *
 * @example
 * ```ts
 * const authorizer = createAuthorizer(options);
 * const api = ky.create({ fetch: createRedirectGuard(fetch, () => authorizer.sensitiveHeaders()) });
 * ```
 */
export function createRedirectGuard(
  fetchImpl: typeof globalThis.fetch,
  sensitiveHeaders: () => Iterable<string>,
): typeof globalThis.fetch {
  return (input, init) => {
    // Runtime-specific options (undici's `dispatcher`) are not part of a Request: pass them on.
    const extra = runtimeOptions(init);
    const send: typeof globalThis.fetch = extra
      ? (request) => fetchImpl(request as Request, extra)
      : fetchImpl;
    return fetchWithRedirectGuard(send, new Request(input, init), sensitiveHeaders());
  };
}

const requestInitKeys = new Set([
  'body',
  'cache',
  'credentials',
  'duplex',
  'headers',
  'integrity',
  'keepalive',
  'method',
  'mode',
  'priority',
  'redirect',
  'referrer',
  'referrerPolicy',
  'signal',
  'window',
]);

/**
 * The members of a fetch `init` that are not part of a `Request` (undici's `dispatcher`, Bun's
 * `proxy`), to pass on when a wrapper rebuilds the request; `undefined` when there are none.
 */
export function runtimeOptions(
  init: RequestInit | undefined,
  ...own: string[]
): RequestInit | undefined {
  if (init === undefined) return undefined;
  const extra = Object.fromEntries(
    Object.entries(init).filter(([key]) => !requestInitKeys.has(key) && !own.includes(key)),
  );
  return Object.keys(extra).length === 0 ? undefined : extra;
}

/**
 * Whether a request body can be sent a second time (after a 401 or a 307): everything but
 * streams and async iterables, which are consumed by the first send.
 *
 * @example
 * ```ts
 * if (!isReplayableBody(init.body)) return response; // the 401 goes back to the caller
 * ```
 */
export function isReplayableBody(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return true;
  if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream) return false;
  return (
    typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function' &&
    typeof (body as { pipe?: unknown }).pipe !== 'function'
  );
}
