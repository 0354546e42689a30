/**
 * What `fetchWithRedirectGuard` does once the first hop of a request is answered by a redirect:
 * the redirects followed hop by hop as a `RedirectTrail` decides them, the body and headers kept
 * here. createAuthFetch, which sends the first hop itself, follows them the same way.
 *
 * @module
 */
import { discardBody } from '../discard-body.ts';
import type { RedirectGuardOptions } from '../redirect-guard.ts';
import { RedirectTrail } from '../redirect-trail.ts';

/** fetch's limit: the 21st redirect is an error. */
const maxRedirects = 20;

/** A response the guard followed redirects to → the hop where it dropped the sensitive headers. */
const droppedAt = new WeakMap<Response, string>();

/**
 * Where the guard dropped the sensitive headers on the way to `response`, if it did: the
 * answer's `tokenDroppedAt`.
 *
 * @example
 * ```ts
 * const answer = new ResponseAnswer(response, tokenDroppedAt(response));
 * ```
 */
export function tokenDroppedAt(response: Response): string | undefined {
  return droppedAt.get(response);
}

/**
 * A copy of the body of `input`, a `Request`, taken before the first send reads it, for what may
 * send it again (a 307/308, a re-send); `undefined` when `init` gives the body or there is none.
 *
 * @example
 * ```ts
 * const spare = bodyCopyOf(request, init); // before fetch(request, init)
 * ```
 */
export function bodyCopyOf(
  input: string | URL | Request,
  init: RequestInit | undefined,
): Request | undefined {
  return init?.body == null && input instanceof Request && input.body != null
    ? input.clone()
    : undefined;
}

/**
 * The answer to a request whose first hop was sent with `redirect: 'manual'` and answered by the
 * redirect `redirect` (see `isRedirectResponse`): its redirects, followed and guarded hop by hop
 * as a `RedirectTrail` decides them. `input` and `init` as they were sent; `spare`:
 * {@link bodyCopyOf} them before the send (a 307/308 reads a copy of it, so it can serve a
 * re-send too). Callers test `isRedirectResponse` first, so an answer that is no redirect costs
 * them neither this call nor its options.
 *
 * @example
 * ```ts
 * const sent = { ...init, redirect: 'manual' as const };
 * let response = await fetch(url, sent);
 * if (isRedirectResponse(response))
 *   response = await followRedirects(fetch, response, url, sent, undefined, { sensitiveHeaders, replayableBody: true });
 * ```
 */
export async function followRedirects(
  fetchImpl: typeof globalThis.fetch,
  redirect: Response,
  input: string | URL | Request,
  init: RequestInit,
  spare: Request | undefined,
  guard: RedirectGuardOptions & { readonly replayableBody: boolean },
): Promise<Response> {
  const { replayableBody, onHop } = guard;
  const request = input instanceof Request ? input : undefined;
  // Every other member of `init` (signal, undici's `dispatcher`, …) goes along to each hop.
  const { method = request?.method ?? 'GET', headers: own, body: initBody, ...rest } = init;
  const headers = new Headers(own ?? request?.headers);
  // What a 307/308 sends again: `undefined` for a body that cannot be sent twice.
  let body: BodyInit | Request | null | undefined =
    initBody == null && request?.body == null
      ? null
      : replayableBody
        ? (initBody ?? spare)
        : undefined;
  const trail = new RedirectTrail({
    url: request?.url ?? String(input),
    method,
    // Only the headers the request carries: one that carried none had no token to drop.
    sensitiveHeaders: [...guard.sensitiveHeaders].filter((name) => headers.has(name)),
    replayableBody: body !== undefined,
    maxRedirects,
    onHop,
  });
  let response = redirect;
  for (;;) {
    const location = response.headers.get('location');
    const step = trail.next({
      status: response.status,
      location,
      hopHadBody: body !== null,
      url: response.url,
    });
    if (step.type === 'done') break;
    // Not awaited: a body teed by the caller (ky hands hooks a clone) settles its cancel only once
    // every branch is cancelled.
    discardBody(response.body);
    // fetch's errors: past the limit (whatever the Location), and a Location that makes no URL.
    if (step.type === 'tooMany')
      throw new TypeError(`more than ${maxRedirects} redirects from ${trail.url}`);
    if (step.type === 'invalidLocation')
      throw new TypeError(`invalid redirect location: ${step.location}`);
    for (const name of step.omit) headers.delete(name);
    if (!step.sendsBody) body = null;
    else if (body instanceof Request) body = await body.clone().arrayBuffer(); // read once: bytes for every later hop
    if (onHop !== undefined) {
      const set = await trail.stepHeaders(response.headers);
      for (const name of Object.keys(set)) headers.set(name, set[name] as string);
    }
    response = await fetchImpl(step.url, {
      ...(request && { signal: request.signal }),
      ...rest,
      method: step.method,
      headers,
      ...(body != null && { body }),
      redirect: 'manual',
    });
  }
  const dropped = trail.droppedAt;
  if (dropped !== undefined) droppedAt.set(response, dropped);
  return response;
}
