import { type AuthOptions, assertAuthOptions, carriedToken, isOfOrigins } from './auth-options.ts';
import type { AuthRequest } from './auth-request.ts';
import { type Authorization, issuedAuthorization, issuerOf } from './authorization.ts';
import { dpopSessionOf, usesDpop } from './dpop/dpop-registry.ts';
import { ResourceDpop } from './dpop/resource-dpop.ts';
import { eventsOf } from './events/manager-events.ts';
import { producedHeaders, withoutAuthorization } from './extra-headers.ts';
import { reauthorizationOf } from './internal/reauthorization.ts';
import { originsByBase } from './origins-by-base.ts';
import { isTokenRejection } from './reauthorize-on.ts';
import type { Answer } from './redirect-guard.ts';
import { authorizationHeader, type Token } from './token.ts';
import type { TokenManager } from './token-manager.ts';
import { type TokenWait, waitAtMost } from './token-wait.ts';
import { authorizeChosen, LazyTokensRequest } from './tokens-choice.ts';

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
 *   const request = describeRequest(url, 'GET', () => new Headers(init.headers));
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
   * token (and the extra headers are static), the same settled promise, without an allocation.
   * Rejects with the manager's error, a `TypeError` when the `tokens` function returns no token
   * manager, with the reason of `wait.signal`, or when `wait.timeout` runs out.
   */
  authorize(request: AuthRequest | string | URL, wait?: TokenWait): Promise<Authorization>;
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

/** The last token promise the manager handed out, and the authorization made of it. */
interface Memo {
  readonly pending: Promise<Token>;
  readonly authorized: Promise<Authorization>;
  settled: boolean;
}

/** Sensitive header names without extra headers (produced ones are added): shared, copied for `dpop`. */
const onlyAuthorization: Set<string> = new Set(['authorization']);

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
  const { tokens, headers: extra, retryOn401 = true, reauthorizeOn } = options;
  const originsFor = originsByBase(options.origins, baseUrl);
  const staticExtra =
    extra === undefined || typeof extra === 'function' ? undefined : withoutAuthorization(extra);
  const names = Object.keys(staticExtra ?? {}).map((name) => name.toLowerCase());
  let sensitive = extra === undefined ? onlyAuthorization : new Set(['authorization', ...names]);
  const memos = new WeakMap<TokenManager, Memo>();
  let dpop: ResourceDpop | undefined; // made for the first DPoP-bound manager
  const ownSession = typeof tokens === 'function' ? undefined : dpopSessionOf(tokens);
  /** The authorization of `manager`'s token for a request to `url` (see `authorize`). */
  const authorizeWith = (
    manager: TokenManager,
    url: string | URL,
    wait: TokenWait | undefined,
    method = 'GET',
  ): Promise<Authorization> => {
    // A manager binds its DPoP session when it is made: looked up once when it is the only one.
    const session = manager === tokens ? ownSession : dpopSessionOf(manager);
    if (session === undefined) return authorizeFor(manager, url, wait);
    if (sensitive === onlyAuthorization) sensitive = new Set(onlyAuthorization);
    dpop ??= new ResourceDpop(typeof tokens === 'function', sensitive);
    return authorizeFor(manager, url, wait).then(dpop.prover(manager, session, { url, method }));
  };
  /** The authorization of `manager`'s token for a request to `url`, without a DPoP proof. */
  const authorizeFor = (
    manager: TokenManager,
    url: string | URL,
    wait: TokenWait | undefined,
  ): Promise<Authorization> => {
    const signal = wait?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const pending = signal === undefined ? manager.getToken() : manager.getToken({ signal });
    const memo = memos.get(manager);
    if (memo?.pending === pending && memo.settled) return memo.authorized;
    let authorized = memo?.pending === pending ? memo.authorized : undefined;
    if (authorized === undefined && typeof extra === 'function') {
      authorized = pending.then(async (token) =>
        issuedAuthorization(manager, token, {
          ...(await producedHeaders(extra, url, sensitive)),
          Authorization: authorizationHeader(token),
        }),
      );
    } else if (authorized === undefined) {
      authorized = pending.then((token) =>
        issuedAuthorization(manager, token, {
          ...staticExtra,
          Authorization: authorizationHeader(token),
        }),
      );
      const made: Memo = { pending, authorized, settled: false };
      memos.set(manager, made);
      const settle = () => {
        made.settled = true;
      };
      authorized.then(settle, settle);
    }
    return waitAtMost(authorized, wait);
  };
  const mayUseDpop = typeof tokens === 'function' || usesDpop(tokens);
  return {
    retryOn401,
    maxResends: (retryOn401 ? 1 : 0) + (mayUseDpop ? 1 : 0),
    appliesTo(url, base) {
      const origins = originsFor(base);
      return origins === undefined || isOfOrigins(url, origins);
    },
    authorize(target, wait) {
      const request = typeof target === 'string' || target instanceof URL ? undefined : target;
      const url = request?.url ?? (target as string | URL);
      const method = request?.method ?? 'GET';
      if (typeof tokens !== 'function') return authorizeWith(tokens, url, wait, method);
      // The request's headers are copied only if the function reads them.
      const choice = () => new LazyTokensRequest(url, method, request);
      return authorizeChosen(tokens, choice, wait, (manager, bound) =>
        authorizeWith(manager, url, bound, method),
      );
    },
    wantsResend(answer) {
      // A DPoP nonce challenge is answered whatever `retryOn401` says (see `onRejected`).
      if (dpop?.answers?.observe(answer) === true) return true;
      if (!retryOn401) return false;
      if (reauthorizeOn === undefined) return isTokenRejection(answer);
      return reauthorizeOn({
        status: answer.status,
        get headers() {
          return answer.headers;
        },
        url: String(answer.url),
      });
    },
    async shouldRetry(authorization, url, answer) {
      const manager = issuerOf(authorization, tokens);
      if (!retryOn401 || manager === undefined || !carriedToken(url, answer)) return false;
      const { accessToken } = authorization.token;
      const decision = reauthorizationOf(manager).onRejected(accessToken, Date.now());
      eventsOf(manager)?.reauthorization(decision, url);
      if (decision === 'answer') return false;
      // 'resend': another request already dropped it; compare-and-invalidate makes this a no-op.
      await manager.invalidate(accessToken);
      return true;
    },
    refusedOnRetry(authorization, url, answer) {
      const manager = issuerOf(authorization, tokens);
      if (manager === undefined || !carriedToken(url, answer)) return;
      reauthorizationOf(manager).coolDown(Date.now());
      eventsOf(manager)?.reauthorization('refused_again', url);
    },
    sensitiveHeaders: () => sensitive,
  };
}
