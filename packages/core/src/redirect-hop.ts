/**
 * One redirect hop as the fetch standard makes it: where it goes, with which method, whether the
 * body goes again, and whether it stays on the origin (and so may keep the request's credentials).
 * Shared by `fetchWithRedirectGuard` and the adapters that follow a client's redirects
 * themselves.
 *
 * @module
 */
import { toUrl } from './internal/url.ts';

/**
 * A redirect hop about to be sent while it still carries the request's credentials (it has not
 * left the request's origin): what a {@link RedirectStep} is given.
 *
 * @example
 * ```ts
 * const hop: RedirectHop = { url: 'https://api.example.com/v2/items', method: 'GET', redirect: { url, headers } };
 * ```
 */
export interface RedirectHop {
  /** The URL the hop is sent to, as the `Location` resolved against the answering URL. */
  readonly url: string;
  /** The method the hop is sent with (after a 303, or a 301/302 after `POST`, turned it into `GET`). */
  readonly method: string;
  /**
   * The redirect that sends the request there: the URL that answered and its headers (a
   * `DPoP-Nonce` it carries is the one the hop's proof uses).
   */
  readonly redirect?: { readonly url: string; readonly headers: Headers } | undefined;
}

/**
 * What to do before each hop that still carries the request's credentials: the headers to set on
 * it (over those it carries). `redirectStepFor(authorization)` makes the one of a DPoP request
 * (a fresh proof for the hop's URL and method); a Bearer request has none.
 *
 * @example
 * ```ts
 * const step: RedirectStep = async ({ url, method }) => ({ DPoP: await proofFor(url, method) });
 * await fetchWithRedirectGuard(fetch, url, init, { sensitiveHeaders, onHop: step });
 * ```
 */
export type RedirectStep = (hop: RedirectHop) => Promise<Readonly<Record<string, string>>>;

/**
 * The next hop of a request sent with `method` to `from` and answered with a redirect `status`
 * to `location` (resolved against `from`), following the fetch standard: a 303 (but after
 * `HEAD`) and a 301 or 302 after `POST` become a `GET` without body; any other redirect sends
 * the method and body again. `undefined` when `from` is not an absolute URL or `location` does
 * not make one.
 *
 * @see https://fetch.spec.whatwg.org/#http-redirect-fetch
 * @example
 * ```ts
 * nextHop('https://api.example.com/a', 303, '/b', 'POST');
 * // { url: URL('https://api.example.com/b'), method: 'GET', sendsBody: false, sameOrigin: true }
 * ```
 */
export function nextHop(
  from: string | URL,
  status: number,
  location: string,
  method: string,
): NextHop | undefined {
  const origin = toUrl(from);
  if (origin === undefined || !URL.canParse(location, origin)) return undefined;
  const url = new URL(location, origin);
  const verb = method.toUpperCase();
  const becomesGet =
    status === 303 ? verb !== 'HEAD' : (status === 301 || status === 302) && verb === 'POST';
  return {
    url,
    method: becomesGet ? 'GET' : method,
    sendsBody: !becomesGet,
    sameOrigin: origin.origin === url.origin,
  };
}

/**
 * A hop as {@link nextHop} makes it.
 *
 * @example
 * ```ts
 * const hop: NextHop = { url: new URL(location, from), method: 'GET', sendsBody: false, sameOrigin: true };
 * ```
 */
export interface NextHop {
  /** Where the hop goes: the `Location` resolved against the URL that answered. */
  readonly url: URL;
  /** The method to send the hop with. */
  readonly method: string;
  /** Whether the request's body goes again (a 307/308, or a 301/302 after anything but `POST`). */
  readonly sendsBody: boolean;
  /** Whether the hop stays on the origin of the URL it comes from. */
  readonly sameOrigin: boolean;
}

/**
 * Whether an answer is a redirect to follow: a 3xx other than 304, with a `Location`.
 *
 * @example
 * ```ts
 * if (isRedirect(response.status, response.headers.get('location'))) follow();
 * ```
 */
export function isRedirect(status: number, location: string | null | undefined): boolean {
  return status >= 300 && status <= 399 && status !== 304 && location != null;
}

/**
 * Whether `response` (to a request sent with `redirect: 'manual'`) is a redirect to follow: a 3xx
 * other than 304, with a `Location`. Reads no header of other answers.
 *
 * @example
 * ```ts
 * if (isRedirectResponse(response)) return followRedirects(response); // else the answer stands
 * ```
 */
export function isRedirectResponse(response: Response): boolean {
  const { status } = response;
  // Most answers are no redirect: their headers are not read.
  return status >= 300 && status < 400 && isRedirect(status, response.headers.get('location'));
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
