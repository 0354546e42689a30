import { type AuthOptions, assertAuthOptions } from './auth-options.ts';
import type { AuthRequest } from './auth-request.ts';
import type { Authorization } from './authorization.ts';
import { OptionsAuthorizer } from './options-authorizer.ts';
import type { Answer } from './redirect-guard.ts';
import type { TokenWait } from './token-wait.ts';

/**
 * The client-independent half of every adapter: which URLs get the token, which headers to set,
 * and which answers are re-sent. Adapters only translate their client's hooks to these calls
 * (and to `onRejected`, which keeps the count of a call's re-sends). Re-authorization is bounded
 * per token manager (see {@link Authorizer.shouldRetry}).
 *
 * @example
 * ```ts
 * const authorizer = createAuthorizer({ tokens }, 'https://api.example.com');
 * if (authorizer.appliesTo(url)) {
 *   const request = describeRequest(url, init.method, init.headers); // reads nothing yet
 *   const resends = new ResendBudget();
 *   let authorization = await authorizer.authorize(request, { signal, timeout: 10_000 });
 *   let response = await send(authorization.headers); // through fetchWithRedirectGuard
 *   let answer = answerOf(response);
 *   while (authorizer.wantsResend(answer) && (await onRejected(authorizer, { authorization, request, answer, resends, replayable: true }))) {
 *     authorization = await authorizer.authorize(request, { signal });
 *     answer = answerOf((response = await send(authorization.headers)));
 *   }
 * }
 * ```
 */
export interface Authorizer {
  /** Whether a token rejection is answered by one re-send (the `retryOn401` option). */
  readonly retryOn401: boolean;
  /**
   * How many re-sends one call may need at most: one for a re-authorization (unless `retryOn401`
   * is off), and one for a DPoP nonce challenge when the tokens may be DPoP-bound (a manager
   * created with `dpop`, or a `tokens` function). An adapter keeps a replayable body (and room in
   * its client's retry limit) for that many; 0: none.
   */
  readonly maxResends: number;
  /**
   * Whether a request to `url` may carry the token: `url` is of the `origins` option, else of the
   * base URL's origin. `baseUrl` is the request's base URL where the client's differs from request
   * to request (got's `prefixUrl`, ky's `prefix`); else the one given to `createAuthorizer`.
   */
  appliesTo(url: string | URL, baseUrl?: string | URL): boolean;
  /**
   * A token for `request` (see {@link AuthRequest}; a URL alone stands for a `GET` without
   * headers) and the headers to set, as soon as the manager has one: the manager of the `tokens`
   * option, or the one the `tokens` function chose for the request. While a manager keeps its
   * token (and the extra headers are static), the same {@link Authorization} itself, at once (not
   * a promise: nothing to wait for, nothing allocated); otherwise a promise of it (`await` takes
   * either). The promise rejects with the manager's error, a `TypeError` when the `tokens`
   * function returns no token manager, with the reason of `wait.signal`, or when `wait.timeout`
   * runs out.
   *
   * It reads of `request` only what it needs, when it needs it: the URL for a header function or
   * a DPoP proof, the method for a DPoP proof, the headers for a `tokens` function (which gets
   * the URL, method and headers). So an adapter describes every request the same way, with
   * `describeRequest`, which copies nothing until read; while one manager keeps its token,
   * nothing of it is read.
   * @example
   * ```ts
   * const authorized = authorizer.authorize(describeRequest(url, method, headers), wait);
   * const authorization = authorized instanceof Promise ? await authorized : authorized;
   * ```
   */
  authorize(
    request: AuthRequest | string | URL,
    wait?: TokenWait,
  ): Authorization | Promise<Authorization>;
  /**
   * Whether `answer` is a reason to re-send its request (synchronous and cheap: called on every
   * answer): a token rejection as the `reauthorizeOn` option decides (by default a 401 without
   * `error="insufficient_scope"`), unless `retryOn401` is off. Then `onRejected` decides.
   * @example
   * ```ts
   * if (authorizer.wantsResend(answer) && (await onRejected(authorizer, rejection))) resend();
   * ```
   */
  wantsResend(answer: Answer): boolean;
  /**
   * After the rejection `answer` to a first attempt that carried `authorization` and was sent to
   * `url`: whether to re-send it once, after invalidating its token in the manager that issued it,
   * if it is still cached there (compare-and-invalidate). `answer` tells where the rejection came
   * from (see {@link Answer}).
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
   * if (await authorizer.shouldRetry(authorization, url, answerOf(response))) resend();
   * ```
   */
  shouldRetry(authorization: Authorization, url: string | URL, answer: Answer): Promise<boolean>;
  /**
   * Reports that the re-sent request to `url`, carrying the fresh `authorization`, was rejected
   * too (`answer` as in {@link Authorizer.shouldRetry}): re-authorization cools down for the token
   * manager that issued it. A rejection of a request that did not carry the token is ignored.
   * @example
   * ```ts
   * authorizer.refusedOnRetry(fresh, url, answerOf(retried));
   * ```
   */
  refusedOnRetry(authorization: Authorization, url: string | URL, answer: Answer): void;
  /**
   * Lower-case names of the headers this authorizer sets (`authorization` and every extra header
   * it has produced so far): what a redirect guard must drop on a cross-origin hop.
   */
  sensitiveHeaders(): ReadonlySet<string>;
}

/**
 * Builds the {@link Authorizer} an adapter uses. `baseUrl` is the client's base URL (axios
 * `baseURL`), the default allowed origin; clients whose base URL differs per request pass it to
 * `appliesTo` instead. Its methods are called on it (`authorizer.authorize(…)`), not detached.
 *
 * @example
 * ```ts
 * const authorizer = createAuthorizer(options, instance.defaults.baseURL);
 * ```
 */
export function createAuthorizer(options: AuthOptions, baseUrl?: string | URL): Authorizer {
  assertAuthOptions(options);
  return new OptionsAuthorizer(options, baseUrl);
}
