import { assertHeaderRecord } from './internal/header-safety.ts';
import { readTokenAtHand } from './internal/token-at-hand.ts';
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
  /** Re-send once with a new token after a 401. @default true */
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
 * @example
 * ```ts
 * const authorizer = createAuthorizer({ tokens }, 'https://api.example.com');
 * if (authorizer.appliesTo(url)) {
 *   const { token, headers } = await authorizer.authorize(url, signal);
 *   // … send with headers; on a 401:
 *   if (await authorizer.shouldRetry(token, url)) { … get new headers and send once more … }
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
   * After a 401 to a request that carried `token`: invalidates it if still cached
   * (compare-and-invalidate) and says whether to re-send once (false when `retryOn401` is off).
   * A token already refused on a re-send to the same URL (see {@link Authorizer.refusedOnRetry})
   * is not invalidated again: the request is re-sent with it, and no token request is made.
   */
  shouldRetry(token: Token, url: string | URL): Promise<boolean>;
  /**
   * Reports that the re-sent request to `url`, carrying `token`, got a 401 too. A fresh token was
   * refused, so the token is probably not the problem there (a missing permission, an endpoint
   * that always answers 401): for 10 s, 401s with that token from that URL (origin and path) cost
   * no token request. 401s from other URLs still renew the token, and so does this URL afterwards.
   */
  refusedOnRetry(token: Token, url: string | URL): void;
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
  /**
   * Per endpoint (origin and path), the access token it refused on a re-send, and until when that
   * refusal stands: a token revoked right after it was issued must not stick until it expires.
   */
  const refused = new Map<string, { accessToken: string; until: number }>();
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
    async shouldRetry(token, url) {
      if (!retryOn401) return false;
      const refusal = refused.get(endpoint(url));
      const standing = refusal?.accessToken === token.accessToken && Date.now() < refusal.until;
      if (!standing) await tokens.invalidate(token.accessToken);
      return true;
    },
    refusedOnRetry(token, url) {
      const key = endpoint(url);
      refused.delete(key);
      refused.set(key, { accessToken: token.accessToken, until: Date.now() + refusalMs });
      // Remember the most recent endpoints only: a Map iterates oldest first.
      if (refused.size > maxRefusedEndpoints) refused.delete(refused.keys().next().value as string);
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

const maxRefusedEndpoints = 256;
/**
 * How long a refusal stands: an endpoint that always answers 401 costs one token request per
 * window; a token revoked right after it was issued is renewed after it at the latest.
 */
const refusalMs = 10_000;

function endpoint(url: string | URL): string {
  const parsed = toUrl(url);
  return parsed === undefined ? String(url) : `${parsed.origin}${parsed.pathname}`;
}

function toUrl(value: string | URL): URL | undefined {
  if (value instanceof URL) return value;
  return URL.canParse(value) ? new URL(value) : undefined;
}
