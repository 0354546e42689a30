/**
 * Redirect following that never carries credentials to another origin, whatever the underlying
 * `fetch` does (the fetch standard drops only `Authorization`; custom headers such as `X-Tenant-Id`
 * would follow the redirect).
 *
 * @module
 */

import { ResponseAnswer } from './internal/response-answer.ts';
import { toUrl } from './internal/url.ts';
import { isReplayableBody } from './replayable-body.ts';

const maxRedirects = 20;

/** A response the guard followed redirects to → the hop where it dropped the sensitive headers. */
const droppedAt = new WeakMap<Response, string>();

/**
 * The answer to a request, as far as the token is concerned: its status and headers, the URL that
 * answered, and where a redirect guard dropped the auth headers on the way, if it did. Only a
 * server that received the token can say something about it with a 401.
 *
 * @example
 * ```ts
 * const answer: Answer = answerOf(response); // after fetchWithRedirectGuard
 * const fromClient: Answer = { url: finalUrl, status, headers, tokenDroppedAt: firstHopWithoutToken };
 * ```
 */
export interface Answer {
  /** The URL that answered, after redirects (`response.url`); `''` when unknown. */
  readonly url: string | URL;
  /** The status of the final answer. */
  readonly status: number;
  /**
   * The headers of the final answer (`WWW-Authenticate`, `DPoP-Nonce`). Adapters whose client
   * keeps them as a record build them on first read (a getter), as most answers never need them.
   */
  readonly headers: Headers;
  /**
   * The first URL the request went to without the auth headers: a redirect target on another
   * origin, where a redirect guard dropped them (later hops, even back to the request's origin,
   * went without them too). Absent when every hop carried them.
   */
  readonly tokenDroppedAt?: string | URL | undefined;
}

/**
 * What `response` says about the token (see {@link Answer}): its status, headers and URL and,
 * when {@link fetchWithRedirectGuard} followed redirects to it and dropped the sensitive headers
 * on the way, the hop where it did.
 *
 * @example
 * ```ts
 * const response = await fetchWithRedirectGuard(fetch, url, { headers }, authorizer.sensitiveHeaders());
 * const answer = answerOf(response);
 * if (authorizer.wantsResend(answer) && (await onRejected(authorizer, { …, answer }))) …
 * ```
 */
export function answerOf(response: Response): Answer {
  return new ResponseAnswer(response, droppedAt.get(response));
}

/**
 * Sends `input` and `init` as `fetch(input, init)` would, but follows redirects here
 * (`redirect: 'manual'` underneath) and deletes the `sensitiveHeaders` on the first hop to another
 * origin; they are not restored on later hops ({@link answerOf} tells where they were dropped).
 * Follows the fetch standard otherwise: 303 (and 301/302 after POST) turns into a GET without
 * body, 307/308 re-send method and body, at most 20 hops. A request whose `redirect` is not
 * `'follow'` is sent as it is.
 *
 * The first hop costs nothing over a plain `fetch` (`input` and `init` go to `fetchImpl` as they
 * are). With `replayableBody: false` (a stream upload) the body is not copied, and a 307/308, which
 * would send it again, is returned to the caller; otherwise the body of a `Request` is copied
 * before it is sent. `replayableBody` defaults to what {@link isReplayableBody} says of
 * `init.body`.
 *
 * @see https://fetch.spec.whatwg.org/#http-redirect-fetch
 * @example
 * ```ts
 * const res = await fetchWithRedirectGuard(fetch, url, { headers }, {
 *   sensitiveHeaders: ['authorization', 'x-tenant-id'],
 * });
 * ```
 */
export async function fetchWithRedirectGuard(
  fetchImpl: typeof globalThis.fetch,
  input: string | URL | Request,
  init: RequestInit | undefined,
  guard: RedirectGuardOptions,
): Promise<Response> {
  const { sensitiveHeaders, replayableBody = isReplayableBody(init?.body) } = guard;
  const request = input instanceof Request ? input : undefined;
  if ((init?.redirect ?? request?.redirect ?? 'follow') !== 'follow') return fetchImpl(input, init);
  // The first send reads a Request's own body: keep a copy in case a 307/308 needs it again.
  const spare =
    replayableBody && init?.body == null && request?.body != null ? request.clone() : undefined;
  const response = await fetchImpl(input, { ...init, redirect: 'manual' });
  if (!isRedirect(response)) return response;
  return followRedirects(fetchImpl, response, input, init ?? {}, spare, {
    sensitiveHeaders: [...sensitiveHeaders],
    replayableBody,
  });
}

/**
 * What {@link fetchWithRedirectGuard} protects: the headers dropped on the first cross-origin
 * hop, and whether the request's body can be sent again on a 307/308.
 *
 * @example
 * ```ts
 * const guard: RedirectGuardOptions = { sensitiveHeaders: ['authorization'], replayableBody: false };
 * ```
 */
export interface RedirectGuardOptions {
  readonly sensitiveHeaders: Iterable<string>;
  /** @default isReplayableBody(init.body) */
  readonly replayableBody?: boolean | undefined;
}

/** The rare part: re-sends `input` and `init` (as they were sent) to each `Location`. */
async function followRedirects(
  fetchImpl: typeof globalThis.fetch,
  redirect: Response,
  input: string | URL | Request,
  init: RequestInit,
  spare: Request | undefined,
  {
    sensitiveHeaders,
    replayableBody,
  }: { sensitiveHeaders: readonly string[]; replayableBody: boolean },
): Promise<Response> {
  const request = input instanceof Request ? input : undefined;
  // Every other member of `init` (signal, undici's `dispatcher`, …) goes along to each hop.
  const { method: sent = request?.method ?? 'GET', headers: own, body: initBody, ...rest } = init;
  const headers = new Headers(own ?? request?.headers);
  let method = sent;
  // What a 307/308 sends again: `undefined` for a body that cannot be sent twice.
  let body: BodyInit | Request | null | undefined =
    initBody == null && request?.body == null
      ? null
      : replayableBody
        ? (initBody ?? spare)
        : undefined;
  let url = request?.url ?? String(input);
  let response = redirect;
  let dropped: string | undefined;
  for (let followed = 0; isRedirect(response); followed++) {
    if (followed >= maxRedirects)
      throw new TypeError(`more than ${maxRedirects} redirects from ${url}`);
    const from = new URL(response.url || url);
    const next = new URL(response.headers.get('location') as string, from);
    const verb = method.toUpperCase();
    const becomesGet =
      response.status === 303
        ? verb !== 'HEAD'
        : (response.status === 301 || response.status === 302) && verb === 'POST';
    if (!becomesGet && body === undefined) break;
    // Not awaited: a body teed by the caller (ky hands hooks a clone) settles its cancel only once
    // every branch is cancelled.
    void response.body?.cancel().catch(() => {});
    if (next.origin !== from.origin && sensitiveHeaders.some((name) => headers.has(name))) {
      for (const name of sensitiveHeaders) headers.delete(name);
      dropped ??= next.href;
    }
    if (becomesGet) {
      method = 'GET';
      body = null;
      headers.delete('content-type');
      headers.delete('content-length');
    } else if (body instanceof Request) {
      body = await body.arrayBuffer(); // read once: bytes can be sent on every later hop
    }
    url = next.href;
    response = await fetchImpl(url, {
      ...(request && { signal: request.signal }),
      ...rest,
      method,
      headers,
      ...(body != null && { body }),
      redirect: 'manual',
    });
  }
  if (dropped !== undefined) droppedAt.set(response, dropped);
  return response;
}

function isRedirect(response: Response): boolean {
  const { status } = response;
  return status >= 300 && status <= 399 && status !== 304 && response.headers.has('location');
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
  return (input, init) =>
    fetchWithRedirectGuard(fetchImpl, input, init, { sensitiveHeaders: sensitiveHeaders() });
}

/**
 * For a client that follows redirects itself and hands a hook the next hop's headers as a record
 * (axios's http adapter through follow-redirects, got): deletes the headers named `names` (in any
 * letter case) when the hop from `from` to `to` leaves the origin. Returns whether it left: then
 * the token is gone for the rest of the request, even back on its origin (the hop is the
 * {@link Answer}'s `tokenDroppedAt`). A URL that does not parse counts as another origin.
 *
 * @example
 * ```ts
 * beforeRedirect: [(next, response) => {
 *   if (dropOnCrossOriginHop(response.url, next.url, next.headers, authorizer.sensitiveHeaders()))
 *     droppedAt ??= String(next.url);
 * }],
 * ```
 */
export function dropOnCrossOriginHop(
  from: string | URL,
  to: string | URL,
  headers: Record<string, unknown>,
  names: Iterable<string>,
): boolean {
  const previous = toUrl(from);
  const next = toUrl(to);
  if (previous !== undefined && next !== undefined && previous.origin === next.origin) return false;
  const lower = new Set<string>();
  for (const name of names) lower.add(name.toLowerCase());
  for (const name of Object.keys(headers)) if (lower.has(name.toLowerCase())) delete headers[name];
  return true;
}
