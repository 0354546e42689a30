/**
 * The options every adapter takes ({@link AuthOptions}) and the origins they allow, checked in one
 * place, so that `createAuthFetch`, `axiosAuth`, `gotAuth` and `kyAuth` refuse the same mistakes
 * with the same messages (each naming the function that was called); and the one origin check
 * the authorizer makes of a request and of the answer to it.
 *
 * @module
 */
import { assertHeaderRecord } from './internal/header-safety.ts';
import { optionalBoolean, optionalFunction } from './internal/options.ts';
import { toUrl } from './internal/url.ts';
import type { ReauthorizeOn } from './reauthorize-on.ts';
import type { Answer } from './redirect-guard.ts';
import type { TokenManager } from './token-manager.ts';
import { isTokensOption, type TokensChoice } from './tokens-choice.ts';

/**
 * Extra headers sent with the token: a record, or a function of the request URL returning one
 * (possibly async), e.g. `{ 'X-Tenant-Id': tenantId }`.
 *
 * @example
 * ```ts
 * const headers: ExtraHeaders = (url) => ({ 'X-Tenant-Id': url.pathname.split('/')[1] ?? '' });
 * ```
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
  /**
   * The token manager whose tokens are attached, or a function of the request choosing one (e.g.
   * a tenant's manager from a `createTokenRegistry`, by a header or the subdomain). The function
   * is called for each request (and its re-send); a rejection drops the token in the manager it
   * chose.
   */
  readonly tokens: TokenManager | TokensChoice;
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
  /**
   * Which answers mean "token rejected" (then the token is dropped and the request re-sent once,
   * as `retryOn401` says): a custom predicate replaces the default.
   * @default a 401, unless a `WWW-Authenticate` challenge says `error="insufficient_scope"`
   */
  readonly reauthorizeOn?: ReauthorizeOn | undefined;
}

/**
 * Checks the options of an adapter before anything is sent: an object whose `tokens` is a token
 * manager, whose `origins` are origins and whose static `headers` can be sent unchanged. Throws a
 * `TypeError` that names the option; with `caller`, the message starts with it (`gotAuth: …`) and
 * says what was given instead.
 *
 * @example
 * ```ts
 * export function myClientAuth(options: AuthOptions) {
 *   assertAuthOptions(options, 'myClientAuth'); // myClientAuth: tokens must be a token manager … or a function …
 *   const authorizer = createAuthorizer(options);
 * }
 * ```
 */
export function assertAuthOptions(
  options: unknown,
  caller?: string,
): asserts options is AuthOptions {
  const prefix = caller === undefined ? '' : `${caller}: `;
  const got = (value: unknown): string => (caller === undefined ? '' : `, got ${describe(value)}`);
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`${prefix}auth options must be an object${got(options)}`);
  const { tokens, origins, headers, retryOn401, reauthorizeOn } = options as Partial<
    Record<string, unknown>
  >;
  if (!isTokensOption(tokens)) {
    const client = typeof tokens === 'function' ? ' (an HTTP client)' : '';
    throw new TypeError(
      `${prefix}tokens must be a token manager from createTokenManager() or a function of the request returning one${got(tokens)}${client}`,
    );
  }
  if (origins !== undefined) allowedOrigins(origins, caller);
  if (headers !== undefined && typeof headers !== 'function')
    assertHeaderRecord(headers, `${prefix}headers`);
  optionalBoolean(`${prefix}retryOn401`, retryOn401, true);
  optionalFunction(`${prefix}reauthorizeOn`, reauthorizeOn);
}

/**
 * The origins (`https://api.example.com`) of a list of origins or URLs, each once (an array: a
 * list of one or two origins is smaller and quicker to search than a set). Throws a
 * `TypeError` (starting with `caller`, when given) for anything but an array of absolute URLs.
 *
 * @example
 * ```ts
 * allowedOrigins(['https://api.example.com/v1'], 'kyAuth'); // ['https://api.example.com']
 * ```
 */
export function allowedOrigins(origins: unknown, caller?: string): readonly string[] {
  const prefix = caller === undefined ? '' : `${caller}: `;
  if (!Array.isArray(origins)) throw new TypeError(`${prefix}origins must be an array of origins`);
  const allowed = new Set(
    origins.map((origin: unknown) => {
      const url = typeof origin === 'string' || origin instanceof URL ? toUrl(origin) : undefined;
      if (url === undefined || url.origin === 'null')
        throw new TypeError(`${prefix}origins: ${String(origin)} is not a valid origin`);
      return url.origin;
    }),
  );
  return [...allowed];
}

/**
 * Whether `url` is a URL of one of `origins`. A URL that starts with an origin followed by the end
 * of the authority (`/`, `?`, `#` or the end) is one without being parsed, as serialised origins
 * are lower case and omit default ports; anything else (another case, user info, a default port
 * written out) is parsed.
 *
 * @example
 * ```ts
 * isOfOrigins('https://api.example.com/v1/members', ['https://api.example.com']); // true
 * ```
 */
export function isOfOrigins(url: string | URL, origins: readonly string[]): boolean {
  const href = typeof url === 'string' ? url : url.href;
  for (const origin of origins) {
    if (href.startsWith(origin) && '/?#'.includes(href.charAt(origin.length) || '/')) return true;
  }
  const parsed = toUrl(url);
  return parsed !== undefined && origins.includes(parsed.origin);
}

/**
 * What a value is, for an error message that must not quote it (it may be a secret): its type,
 * and the name of a function or of an object's class.
 *
 * @example
 * ```ts
 * describe(got); // 'a function named got'
 * ```
 */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function')
    return value.name ? `a function named ${value.name}` : 'a function';
  if (typeof value !== 'object')
    return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)
    ?.constructor?.name;
  return name && name !== 'Object' ? `an instance of ${name}` : 'an object';
}

/**
 * The origin of a client's base URL as the one allowed: `undefined` (every URL) for none, `''`,
 * or a base URL that does not parse.
 *
 * @example
 * ```ts
 * originOfBase('https://api.example.com/v1/'); // ['https://api.example.com']
 * ```
 */
export function originOfBase(baseUrl: string | URL | undefined): readonly string[] | undefined {
  const base = baseUrl === undefined || baseUrl === '' ? undefined : toUrl(baseUrl);
  return base === undefined ? undefined : [base.origin];
}

/**
 * Whether the request that gave `answer` carried the token sent to `url`: no redirect guard
 * dropped it, and the answer came from `url`'s origin. An unknown final URL (`''`, as a fetch
 * stub gives) counts as the request's own.
 *
 * @example
 * ```ts
 * carriedToken('https://a.example/x', { url: 'https://b.example/y' }); // false: another origin answered
 * ```
 */
export function carriedToken(
  url: string | URL,
  { url: answeredFrom, tokenDroppedAt }: Answer,
): boolean {
  if (tokenDroppedAt !== undefined) return false;
  if (answeredFrom === '') return true;
  const answered = toUrl(answeredFrom);
  const requested = toUrl(url);
  return answered !== undefined && requested !== undefined && answered.origin === requested.origin;
}
