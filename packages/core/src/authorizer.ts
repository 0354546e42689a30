import {
  type AuthOptions,
  allowedOrigins,
  assertAuthOptions,
  carriedToken,
  type ExtraHeaders,
  isOfOrigins,
  originOfBase,
} from './auth-options.ts';
import { eventsOf } from './events/manager-events.ts';
import { assertHeaderRecord } from './internal/header-safety.ts';
import { reauthorizationOf } from './internal/reauthorization.ts';
import type { Answer } from './redirect-guard.ts';
import { authorizationHeader, type Token } from './token.ts';
import { type TokenWait, waitAtMost } from './token-wait.ts';

/**
 * A token and the headers that carry it: `Authorization` plus the extra headers. Frozen: one
 * object serves every request while the token and the headers stay the same.
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
 *   const { token, headers } = await authorizer.authorize(url, { signal, timeout: 10_000 });
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
  /**
   * Whether a request to `url` may carry the token: `url` is of the `origins` option, else of the
   * base URL's origin. `baseUrl` is the request's base URL where the client's differs from request
   * to request (got's `prefixUrl`, ky's `prefix`); else the one given to `createAuthorizer`.
   */
  appliesTo(url: string | URL, baseUrl?: string | URL): boolean;
  /**
   * A token and the headers to set, as soon as the manager has one: while it keeps its token (and
   * the extra headers are static), the same settled promise, without an allocation. Rejects with
   * the manager's error, with the reason of `wait.signal`, or when `wait.timeout` runs out.
   */
  authorize(url: string | URL, wait?: TokenWait): Promise<Authorization>;
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

/** The last token promise the manager handed out, and the authorization made of it. */
interface Memo {
  readonly pending: Promise<Token>;
  readonly authorized: Promise<Authorization>;
  settled: boolean;
}

/** Base URLs remembered per authorizer (a client has one; clients of one registration, a few). */
const maxBases = 64;

/**
 * Builds the {@link Authorizer} an adapter uses. `baseUrl` is the client's base URL (axios
 * `baseURL`), the default allowed origin; clients whose base URL differs per request pass it to
 * `appliesTo` instead.
 *
 * @example
 * ```ts
 * const authorizer = createAuthorizer(options, instance.defaults.baseURL);
 * ```
 */
export function createAuthorizer(options: AuthOptions, baseUrl?: string | URL): Authorizer {
  assertAuthOptions(options);
  const { tokens, headers: extra, retryOn401 = true } = options;
  const fixed = options.origins === undefined ? undefined : allowedOrigins(options.origins);
  const ofCreation = originOfBase(baseUrl);
  const ofBases = new Map<string, Set<string> | undefined>();
  const originsFor = (base: string | URL | undefined): ReadonlySet<string> | undefined => {
    if (fixed !== undefined || base === undefined) return fixed ?? ofCreation;
    const key = String(base);
    if (ofBases.has(key)) return ofBases.get(key);
    if (ofBases.size >= maxBases) ofBases.clear();
    const origins = originOfBase(key);
    ofBases.set(key, origins);
    return origins;
  };
  const sensitive = new Set(['authorization']);
  const staticExtra =
    extra === undefined || typeof extra === 'function' ? undefined : withoutAuthorization(extra);
  for (const name of Object.keys(staticExtra ?? {})) sensitive.add(name.toLowerCase());
  /** Headers produced by a header function: remembered, so that redirect guards drop them. */
  const produced = async (
    headerFunction: Extract<ExtraHeaders, (url: URL) => unknown>,
    url: string | URL,
  ) => {
    // The function gets its own copy: it cannot change the URL the request goes to.
    const result = (await headerFunction(new URL(url))) ?? {};
    assertHeaderRecord(result, "headers: the header function's result");
    const headers = withoutAuthorization(result);
    for (const name of Object.keys(headers)) sensitive.add(name.toLowerCase());
    return headers;
  };
  let memo: Memo | undefined;
  return {
    retryOn401,
    appliesTo(url, base) {
      const origins = originsFor(base);
      return origins === undefined || isOfOrigins(url, origins);
    },
    authorize(url, wait) {
      const signal = wait?.signal;
      if (signal?.aborted) return Promise.reject(signal.reason);
      const pending = signal === undefined ? tokens.getToken() : tokens.getToken({ signal });
      if (memo?.pending === pending && memo.settled) return memo.authorized;
      let authorized = memo?.pending === pending ? memo.authorized : undefined;
      if (authorized === undefined && typeof extra === 'function') {
        authorized = pending.then(async (token) =>
          frozen(token, {
            ...(await produced(extra, url)),
            Authorization: authorizationHeader(token),
          }),
        );
      } else if (authorized === undefined) {
        authorized = pending.then((token) =>
          frozen(token, { ...staticExtra, Authorization: authorizationHeader(token) }),
        );
        const made: Memo = { pending, authorized, settled: false };
        memo = made;
        const settle = () => {
          made.settled = true;
        };
        authorized.then(settle, settle);
      }
      return waitAtMost(authorized, wait);
    },
    async shouldRetry(token, url, answer) {
      if (!retryOn401 || !carriedToken(url, answer)) return false;
      const decision = reauthorizationOf(tokens).onRejected(token.accessToken, Date.now());
      eventsOf(tokens)?.reauthorization(decision, url);
      if (decision === 'answer') return false;
      // 'resend': another request already dropped it; compare-and-invalidate makes this a no-op.
      await tokens.invalidate(token.accessToken);
      return true;
    },
    refusedOnRetry(_token, url, answer) {
      if (!carriedToken(url, answer)) return;
      reauthorizationOf(tokens).coolDown(Date.now());
      eventsOf(tokens)?.reauthorization('refused_again', url);
    },
    sensitiveHeaders: () => sensitive,
  };
}

function frozen(token: Token, headers: Record<string, string>): Authorization {
  return Object.freeze({ token, headers: Object.freeze(headers) });
}

/** The extra headers minus any `Authorization`, which is the token's alone (in any letter case). */
function withoutAuthorization(headers: Readonly<Record<string, string>>): Record<string, string> {
  const own: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'authorization') own[name] = value;
  }
  return own;
}
