/**
 * Redirect following that never carries credentials to another origin, whatever the underlying
 * `fetch` does (the fetch standard drops only `Authorization`; custom headers such as `X-Tenant-Id`
 * would follow the redirect).
 *
 * @module
 */

import { bodyCopyOf, followRedirects, tokenDroppedAt } from './internal/guarded-answer.ts';
import { ResponseAnswer } from './internal/response-answer.ts';
import { isRedirectResponse, type RedirectStep } from './redirect-hop.ts';
import { isReplayableBody } from './replayable-body.ts';

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
  return new ResponseAnswer(response, tokenDroppedAt(response));
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
  if (!followsRedirects(input, init)) return fetchImpl(input, init);
  const { replayableBody = isReplayableBody(init?.body) } = guard;
  const spare = replayableBody ? bodyCopyOf(input, init) : undefined;
  const sent: RequestInit = { ...init, redirect: 'manual' };
  const response = await fetchImpl(input, sent);
  if (!isRedirectResponse(response)) return response;
  return followRedirects(fetchImpl, response, input, sent, spare, { ...guard, replayableBody });
}

/**
 * Whether {@link fetchWithRedirectGuard} follows the redirects of `input` and `init` itself:
 * their `redirect` is `'follow'` (the default). Otherwise it sends them as they are.
 *
 * @example
 * ```ts
 * followsRedirects(url, { redirect: 'manual' }); // false: the caller sees the 3xx
 * ```
 */
export function followsRedirects(
  input: string | URL | Request,
  init: RequestInit | undefined,
): boolean {
  const request = input instanceof Request ? input : undefined;
  return (init?.redirect ?? request?.redirect ?? 'follow') === 'follow';
}

/**
 * What {@link fetchWithRedirectGuard} protects: the headers dropped on the first cross-origin
 * hop, whether the request's body can be sent again on a 307/308, and what each hop that keeps
 * the headers needs anew (a DPoP proof for its own URL and method).
 *
 * @example
 * ```ts
 * const guard: RedirectGuardOptions = { sensitiveHeaders: ['authorization'], replayableBody: false };
 * const proven: RedirectGuardOptions = {
 *   sensitiveHeaders: authorizer.sensitiveHeaders(),
 *   onHop: redirectStepFor(authorization), // undefined for a Bearer token
 * };
 * ```
 */
export interface RedirectGuardOptions {
  readonly sensitiveHeaders: Iterable<string>;
  /** @default isReplayableBody(init.body) */
  readonly replayableBody?: boolean | undefined;
  /**
   * Called before each hop that has not left the request's origin (hops after the first
   * cross-origin one carry no credentials and are not given to it); the headers it resolves with
   * are set on that hop. If it rejects, so does the request. Absent: the hops carry the request's
   * headers as they are.
   */
  readonly onHop?: RedirectStep | undefined;
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
