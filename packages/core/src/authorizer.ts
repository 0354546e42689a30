import { assertHeaderRecord } from './internal/header-safety.ts';
import { reauthorizationOf } from './internal/reauthorization.ts';
import { readTokenAtHand } from './internal/token-at-hand.ts';
import type { Answer } from './redirect-guard.ts';
import { authorizationHeader, type Token } from './token.ts';
import type { TokenManager } from './token-manager.ts';

/**
 * Extra headers sent with the token: a record, or a function of the request URL returning one
 * (possibly async), e.g. `{ 'X-Tenant-Id': tenantId }`.
 */
export type ExtraHeaders =
  | Readonly<Record<string, string>>
  | ((url: URL) => Readonly<Record<string, string>> | Promise<Readonly<Record<string, string>>>);

/**
 * The options every adapter (fetch, axios, got, ky) takes.
 *
 * @example
 * ```ts
 * const options: AuthOptions = { tokens, origins: ['https://api.personify.com'], headers: { 'X-Tenant-Id': tenant } };
 * ```
 */
export interface AuthOptions {
  /** The token manager whose tokens are attached. */
  readonly tokens: TokenManager;
  /**
   * Origins that may receive the token. @default the origin of the client's base URL; with no base
   * URL, every request.
   */
  readonly origins?: readonly (string | URL)[] | undefined;
  /** Extra headers attached beside `Authorization`, to the same allowed origins. */
  readonly headers?: ExtraHeaders | undefined;
  /**
   * Re-send once with a new token after a 401 (bounded: a manager whose fresh token is rejected
   * again stops re-authorizing for 30 s). @default true
   */
  readonly retryOn401?: boolean | undefined;
}

/**
 * A token and the headers that carry it: `Authorization` plus the extra headers.
 *
 * @example
 * ```ts
 * const { token, headers } = await authorizer.authorize(url);
 * for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
 * ```
 */
export interface Authorization {
  readonly token: Token;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The client-independent half of every adapter: which URLs get the token, which headers to set,
 * and what to do after a 401. Adapters only translate their client's hooks to these calls.
 *
 * Re-authorization is bounded per token manager: once a fresh token (one obtained after a 401
 * dropped the previous one) is rejected again, 401s are returned at once, without a token
 * request, for a cool-down of 30 s: at most 3 token requests in a burst for an API that rejects
 * every token, then one per cool-down. See {@link Authorizer.shouldRetry}.
 *
 * @example
 * ```ts
 * const authorizer = createAuthorizer({ tokens }, 'https://api.example.com');
 * if (authorizer.appliesTo(url)) {
 *   const { token, headers } = await authorizer.authorize(url, signal);
 *   // … send with headers (through fetchWithRedirectGuard); on a 401:
 *   if (await authorizer.shouldRetry(token, url, answerOf(response))) {
 *     // … get new headers and send once more; on a 401 again:
 *     authorizer.refusedOnRetry(retriedToken, url, answerOf(retried));
 *   }
 * }
 * ```
 */
export interface Authorizer {
  /** Whether a 401 is answered by one re-send (the `retryOn401` option). */
  readonly retryOn401: boolean;
  /** Whether a request to `url` may carry the token. */
  appliesTo(url: string | URL): boolean;
  /** A token and the headers to set: `Authorization` plus the extra headers. */
  authorize(url: string | URL, signal?: AbortSignal): Promise<Authorization>;
  /**
   * What {@link Authorizer.authorize} would resolve to, when it is at hand without waiting: the
   * manager's cached token is usable and the extra headers are not a function. `undefined`
   * otherwise (then call `authorize`). The steady state of every request, without an await.
   * Throws the signal's reason when `signal` is aborted.
   */
  authorizeNow(url: string | URL, signal?: AbortSignal): Authorization | undefined;
  /**
   * After a 401 to a first attempt that carried `token` and was sent to `url`: whether to re-send
   * it once, after invalidating `token` if it is still cached (compare-and-invalidate). `answer`
   * tells where the 401 came from (see {@link Answer}).
   *
   * False, and nothing invalidated, when `retryOn401` is off, while re-authorization cools down,
   * and when the answering request did not carry the token (a redirect guard dropped it on the
   * way, or another origin answered): its 401 says nothing about the token.
   *
   * Re-authorization is bounded per token manager, whichever authorizers and adapters share it:
   * when a fresh token (one obtained after a re-authorization) is rejected again (by the re-sent
   * request, see {@link Authorizer.refusedOnRetry}, or a third renewal would be due within 30 s),
   * re-authorization stops for a cool-down of 30 s, and every 401 is returned at once, without a
   * token request. An API that rejects every token costs at most 3 token requests per manager in
   * a burst, however many requests and URLs hit it, then one per cool-down while it keeps
   * refusing; a token revoked for good is renewed on the next 401 once the cool-down is over.
   * @example
   * ```ts
   * if (await authorizer.shouldRetry(token, url, { url: response.url, tokenDroppedAt })) resend();
   * ```
   */
  shouldRetry(token: Token, url: string | URL, answer: Answer): Promise<boolean>;
  /**
   * Reports that the re-sent request to `url`, carrying the fresh `token`, got a 401 too (`answer`
   * as in {@link Authorizer.shouldRetry}): re-authorization cools down for the token manager.
   * A 401 to a request that did not carry the token is ignored.
   * @example
   * ```ts
   * if (retried.status === 401) authorizer.refusedOnRetry(fresh.token, url, answerOf(retried));
   * ```
   */
  refusedOnRetry(token: Token, url: string | URL, answer: Answer): void;
  /**
   * Lower-case names of the headers this authorizer sets (`authorization` and every extra header
   * it has produced so far): what a redirect guard must drop on a cross-origin hop.
   */
  sensitiveHeaders(): ReadonlySet<string>;
}

/**
 * Builds the {@link Authorizer} an adapter uses. `baseUrl` is the client's base URL (axios
 * `baseURL`, got `prefixUrl`, ky `prefix`), the default allowed origin.
 *
 * @example
 * ```ts
 * const authorizer = createAuthorizer(options, instance.defaults.baseURL);
 * ```
 */
export function createAuthorizer(options: AuthOptions, baseUrl?: string | URL): Authorizer {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('auth options must be an object');
  const { tokens, headers: extra, retryOn401 = true } = options;
  if (typeof tokens !== 'object' || tokens === null || typeof tokens.getToken !== 'function') {
    throw new TypeError('tokens must be a token manager from createTokenManager()');
  }
  if (extra !== undefined && typeof extra !== 'function') assertHeaderRecord(extra, 'headers');
  if (typeof retryOn401 !== 'boolean') throw new TypeError('retryOn401 must be a boolean');
  const origins = allowedOrigins(options.origins, baseUrl);
  const sensitive = new Set(['authorization']);
  const staticExtra =
    extra === undefined || typeof extra === 'function' ? undefined : withoutAuthorization(extra);
  for (const name of Object.keys(staticExtra ?? {})) sensitive.add(name.toLowerCase());
  /** Headers produced by a header function: remembered, so that redirect guards drop them. */
  const produced = async (
    headerFunction: Extract<ExtraHeaders, (url: URL) => unknown>,
    url: string | URL,
  ): Promise<Record<string, string>> => {
    // The function gets its own copy: it cannot change the URL the request goes to.
    const result = (await headerFunction(new URL(url))) ?? {};
    assertHeaderRecord(result, "headers: the header function's result");
    const headers = withoutAuthorization(result);
    for (const name of Object.keys(headers)) sensitive.add(name.toLowerCase());
    return headers;
  };
  const authorizeNow: Authorizer['authorizeNow'] = (_url, signal) => {
    if (typeof extra === 'function') return undefined;
    const token = readTokenAtHand(tokens);
    if (token === undefined) return undefined;
    signal?.throwIfAborted();
    return { token, headers: { ...staticExtra, Authorization: authorizationHeader(token) } };
  };
  return {
    retryOn401,
    appliesTo(url) {
      if (origins === undefined) return true;
      const href = typeof url === 'string' ? url : url.href;
      for (const origin of origins) if (startsWithOrigin(href, origin)) return true;
      const parsed = toUrl(url);
      return parsed !== undefined && origins.has(parsed.origin);
    },
    async authorize(url, signal) {
      const now = authorizeNow(url, signal);
      if (now !== undefined) return now;
      const token = await tokens.getToken(signal === undefined ? undefined : { signal });
      const Authorization = authorizationHeader(token);
      if (typeof extra !== 'function') return { token, headers: { ...staticExtra, Authorization } };
      return { token, headers: { ...(await produced(extra, url)), Authorization } };
    },
    authorizeNow,
    async shouldRetry(token, url, answer) {
      if (!retryOn401 || !carriedToken(url, answer)) return false;
      const decision = reauthorizationOf(tokens).onRejected(token.accessToken, Date.now());
      if (decision === 'answer') return false;
      // 'resend': another request already dropped it; compare-and-invalidate makes this a no-op.
      await tokens.invalidate(token.accessToken);
      return true;
    },
    refusedOnRetry(_token, url, answer) {
      if (carriedToken(url, answer)) reauthorizationOf(tokens).coolDown(Date.now());
    },
    sensitiveHeaders: () => sensitive,
  };
}

/** The extra headers minus any `Authorization`, which is the token's alone (in any letter case). */
function withoutAuthorization(headers: Readonly<Record<string, string>>): Record<string, string> {
  const own: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'authorization') own[name] = value;
  }
  return own;
}

/**
 * Whether `url` starts with `origin` followed by the end of the authority (`/`, `?`, `#` or the
 * end): then it is a URL of that origin, as serialised origins are lower case and omit default
 * ports. Anything else (another case, user info, a default port written out) is parsed.
 */
function startsWithOrigin(url: string, origin: string): boolean {
  return url.startsWith(origin) && '/?#'.includes(url.charAt(origin.length) || '/');
}

function allowedOrigins(
  origins: AuthOptions['origins'],
  baseUrl: string | URL | undefined,
): Set<string> | undefined {
  if (origins !== undefined) {
    if (!Array.isArray(origins)) throw new TypeError('origins must be an array of origins');
    return new Set(
      origins.map((origin) => {
        const url = toUrl(origin);
        if (url === undefined || url.origin === 'null')
          throw new TypeError(`origins: ${String(origin)} is not a valid origin`);
        return url.origin;
      }),
    );
  }
  const base = baseUrl === undefined || baseUrl === '' ? undefined : toUrl(baseUrl);
  return base === undefined ? undefined : new Set([base.origin]);
}

/**
 * Whether the request that gave `answer` carried the token sent to `url`: no redirect guard
 * dropped it, and the answer came from `url`'s origin. An unknown final URL (`''`, as a fetch
 * stub gives) counts as the request's own.
 */
function carriedToken(url: string | URL, { url: answeredFrom, tokenDroppedAt }: Answer): boolean {
  if (tokenDroppedAt !== undefined) return false;
  if (answeredFrom === '') return true;
  const answered = toUrl(answeredFrom);
  const requested = toUrl(url);
  return answered !== undefined && requested !== undefined && answered.origin === requested.origin;
}

function toUrl(value: string | URL): URL | undefined {
  if (value instanceof URL) return value;
  return URL.canParse(value) ? new URL(value) : undefined;
}
