/**
 * The {@link Authorizer} that `createAuthorizer` builds from validated options.
 *
 * @module
 */
import { type AuthOptions, carriedToken, isOfOrigins } from './auth-options.ts';
import { type AuthRequest, describedOf, urlOf } from './auth-request.ts';
import {
  type Authorization,
  frozenAuthorization,
  issuedAuthorization,
  issuerOf,
} from './authorization.ts';
import { AuthorizationMemo } from './authorization-memo.ts';
import type { Authorizer } from './authorizer.ts';
import { dpopSessionOf } from './dpop/dpop-registry.ts';
import { ResourceDpop } from './dpop/resource-dpop.ts';
import { eventsOf } from './events/manager-events.ts';
import { producedHeaders, withoutAuthorization } from './extra-headers.ts';
import { reauthorizationOf } from './internal/reauthorization.ts';
import { OriginsByBase } from './origins-by-base.ts';
import { isTokenRejection } from './reauthorize-on.ts';
import type { Answer } from './redirect-guard.ts';
import { authorizationHeader, type Token } from './token.ts';
import type { TokenManager } from './token-manager.ts';
import { type TokenWait, waitAtMost } from './token-wait.ts';
import { authorizeChosen } from './tokens-choice.ts';

/** Sensitive header names without extra headers (produced ones are added): shared, copied for `dpop`. */
const onlyAuthorization: Set<string> = new Set(['authorization']);

/**
 * An {@link Authorizer} of validated options. A class, not closures: an idle createAuthFetch or
 * adapter instance holds one object, and a request reads fields of one object. The memo of a
 * `tokens` manager is a field; the managers a `tokens` function chooses share a WeakMap.
 */
export class OptionsAuthorizer implements Authorizer {
  readonly retryOn401: boolean;
  readonly #tokens: AuthOptions['tokens'];
  /** The `headers` option: its function, or its record without `Authorization`. */
  readonly #extra:
    | Extract<AuthOptions['headers'], (url: URL) => unknown>
    | Record<string, string>
    | undefined;
  readonly #reauthorizeOn: AuthOptions['reauthorizeOn'];
  readonly #origins: OriginsByBase;
  #sensitive: Set<string>;
  /** The last authorization of the `tokens` manager; of each chosen manager with a function. */
  readonly #memo: AuthorizationMemo | WeakMap<TokenManager, AuthorizationMemo>;
  #dpop: ResourceDpop | undefined; // made for the first DPoP-bound manager
  readonly #ownSession: ReturnType<typeof dpopSessionOf>;

  constructor(options: AuthOptions, baseUrl: string | URL | undefined) {
    const { tokens, headers: extra, retryOn401 = true } = options;
    this.#tokens = tokens;
    this.#extra =
      extra === undefined || typeof extra === 'function' ? extra : withoutAuthorization(extra);
    this.#reauthorizeOn = options.reauthorizeOn;
    this.#origins = new OriginsByBase(options.origins, baseUrl);
    const names = typeof extra === 'object' ? Object.keys(this.#extra as object) : [];
    this.#sensitive =
      extra === undefined
        ? onlyAuthorization
        : new Set(['authorization', ...names.map((name) => name.toLowerCase())]);
    this.#ownSession = typeof tokens === 'function' ? undefined : dpopSessionOf(tokens);
    this.#memo = typeof tokens === 'function' ? new WeakMap() : new AuthorizationMemo();
    this.retryOn401 = retryOn401;
  }

  get maxResends(): number {
    // Tokens that may be DPoP-bound (a `dpop` manager, or any a `tokens` function may choose)
    // may need a re-send for a nonce challenge.
    const mayProve = typeof this.#tokens === 'function' || this.#ownSession !== undefined;
    return (this.retryOn401 ? 1 : 0) + (mayProve ? 1 : 0);
  }

  appliesTo(url: string | URL, base?: string | URL): boolean {
    const origins = this.#origins.for(base);
    return origins === undefined || isOfOrigins(url, origins);
  }

  authorize(
    target: AuthRequest | string | URL,
    wait?: TokenWait,
  ): Authorization | Promise<Authorization> {
    // Read only as needed: the URL by a header function, the method by a DPoP proof, the
    // headers (copied then) by a `tokens` function. A token at hand for a URL needs none.
    const tokens = this.#tokens;
    if (typeof tokens !== 'function') return this.#authorizeWith(tokens, target, wait);
    // The auth headers the client's record may hold are not the function's to see.
    const request = describedOf(target).hiding(this.#sensitive);
    return authorizeChosen(tokens, request, wait, (manager, bound) =>
      this.#authorizeWith(manager, request, bound),
    );
  }

  wantsResend(answer: Answer): boolean {
    // A DPoP nonce challenge is answered whatever `retryOn401` says (see `onRejected`).
    if (this.#dpop?.answers?.observe(answer) === true) return true;
    if (!this.retryOn401) return false;
    const reauthorizeOn = this.#reauthorizeOn;
    if (reauthorizeOn === undefined) return isTokenRejection(answer);
    return reauthorizeOn({
      status: answer.status,
      get headers() {
        return answer.headers;
      },
      url: String(answer.url),
    });
  }

  async shouldRetry(
    authorization: Authorization,
    url: string | URL,
    answer: Answer,
  ): Promise<boolean> {
    const manager = issuerOf(authorization, this.#tokens);
    if (!this.retryOn401 || manager === undefined || !carriedToken(url, answer)) return false;
    const { accessToken } = authorization.token;
    const decision = reauthorizationOf(manager).onRejected(accessToken, Date.now());
    eventsOf(manager)?.reauthorization(decision, url);
    if (decision === 'answer') return false;
    // 'resend': another request already dropped it; compare-and-invalidate makes this a no-op.
    await manager.invalidate(accessToken);
    return true;
  }

  refusedOnRetry(authorization: Authorization, url: string | URL, answer: Answer): void {
    const manager = issuerOf(authorization, this.#tokens);
    if (manager === undefined || !carriedToken(url, answer)) return;
    reauthorizationOf(manager).coolDown(Date.now());
    eventsOf(manager)?.reauthorization('refused_again', url);
  }

  sensitiveHeaders(): ReadonlySet<string> {
    return this.#sensitive;
  }

  /** The authorization of `manager`'s token for `request`, with a DPoP proof if bound. */
  #authorizeWith(
    manager: TokenManager,
    request: AuthRequest | string | URL,
    wait: TokenWait | undefined,
  ): Authorization | Promise<Authorization> {
    // A manager binds its DPoP session when it is made: looked up once when it is the only one.
    const session = manager === this.#tokens ? this.#ownSession : dpopSessionOf(manager);
    if (session === undefined) return this.#authorizeFor(manager, request, wait);
    if (this.#sensitive === onlyAuthorization) this.#sensitive = new Set(onlyAuthorization);
    this.#dpop ??= new ResourceDpop(this.#tokens, this.#sensitive);
    const prove = this.#dpop.prover(manager, session, describedOf(request));
    const authorized = this.#authorizeFor(manager, request, wait);
    return authorized instanceof Promise ? authorized.then(prove) : prove(authorized);
  }

  /**
   * The authorization of `manager`'s token for `request`, without a DPoP proof: with
   * static extra headers, the one already made of the promise `getToken()` hands out (itself once
   * made, so that a request with a token at hand waits for nothing).
   */
  #authorizeFor(
    manager: TokenManager,
    request: AuthRequest | string | URL,
    wait: TokenWait | undefined,
  ): Authorization | Promise<Authorization> {
    const signal = wait?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    // A promise of this realm, whatever the manager hands out (another library's, another realm's):
    // what `authorize` returns is told apart from an authorization by `instanceof Promise`.
    const pending = Promise.resolve(
      signal === undefined ? manager.getToken() : manager.getToken({ signal }),
    );
    const extra = this.#extra;
    if (typeof extra === 'function') {
      const sensitive = this.#sensitive;
      const authorized = pending.then(async (token) =>
        this.#authorization(manager, token, {
          ...(await producedHeaders(extra, urlOf(request), sensitive)),
          Authorization: authorizationHeader(token),
        }),
      );
      return waitAtMost(authorized, wait);
    }
    const memo = this.#memoOf(manager);
    const known = memo.lookup(pending);
    if (known !== undefined) return known instanceof Promise ? waitAtMost(known, wait) : known;
    const authorized = pending.then((token) =>
      this.#authorization(
        manager,
        token,
        extra === undefined
          ? { Authorization: authorizationHeader(token) }
          : { ...extra, Authorization: authorizationHeader(token) },
      ),
    );
    return waitAtMost(memo.remember(pending, authorized), wait);
  }

  /** `manager`'s authorization of `token`: it names its issuer when a `tokens` function chose it. */
  #authorization(
    manager: TokenManager,
    token: Token,
    headers: Record<string, string>,
  ): Authorization {
    return typeof this.#tokens === 'function'
      ? issuedAuthorization(manager, token, headers)
      : frozenAuthorization(token, headers);
  }

  /** The memo of `manager`'s authorization: one for the `tokens` manager, one per chosen manager. */
  #memoOf(manager: TokenManager): AuthorizationMemo {
    const memos = this.#memo;
    if (memos instanceof AuthorizationMemo) return memos;
    let memo = memos.get(manager);
    if (memo === undefined) {
      memo = new AuthorizationMemo();
      memos.set(manager, memo);
    }
    return memo;
  }
}
