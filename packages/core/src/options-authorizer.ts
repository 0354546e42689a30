/**
 * The {@link Authorizer} that `createAuthorizer` builds from validated options.
 *
 * @module
 */
import { type AuthOptions, carriedToken, isOfOrigins } from './auth-options.ts';
import type { AuthRequest } from './auth-request.ts';
import { type Authorization, issuedAuthorization, issuerOf } from './authorization.ts';
import type { Authorizer } from './authorizer.ts';
import { dpopSessionOf, usesDpop } from './dpop/dpop-registry.ts';
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
import { authorizeChosen, LazyTokensRequest } from './tokens-choice.ts';

/** The last token promise a manager handed out, and the authorization made of it. */
interface Memo {
  readonly pending: Promise<Token>;
  readonly authorized: Promise<Authorization>;
  settled: boolean;
}

/** Sensitive header names without extra headers (produced ones are added): shared, copied for `dpop`. */
const onlyAuthorization: Set<string> = new Set(['authorization']);

/**
 * An {@link Authorizer} of validated options. A class, not closures: an idle createAuthFetch or
 * adapter instance holds one object, and a request reads fields of one object. The memo of a
 * `tokens` manager is a field; the managers a `tokens` function chooses share a WeakMap.
 */
export class OptionsAuthorizer implements Authorizer {
  readonly retryOn401: boolean;
  readonly maxResends: number;
  readonly #tokens: AuthOptions['tokens'];
  readonly #extra: AuthOptions['headers'];
  readonly #staticExtra: Record<string, string> | undefined;
  readonly #reauthorizeOn: AuthOptions['reauthorizeOn'];
  readonly #origins: OriginsByBase;
  #sensitive: Set<string>;
  /** The last authorization of the `tokens` manager; of each chosen manager with a function. */
  #memo: Memo | WeakMap<TokenManager, Memo> | undefined;
  #dpop: ResourceDpop | undefined; // made for the first DPoP-bound manager
  readonly #ownSession: ReturnType<typeof dpopSessionOf>;

  constructor(options: AuthOptions, baseUrl: string | URL | undefined) {
    const { tokens, headers: extra, retryOn401 = true } = options;
    this.#tokens = tokens;
    this.#extra = extra;
    this.#reauthorizeOn = options.reauthorizeOn;
    this.#origins = new OriginsByBase(options.origins, baseUrl);
    this.#staticExtra =
      extra === undefined || typeof extra === 'function' ? undefined : withoutAuthorization(extra);
    const names = Object.keys(this.#staticExtra ?? {}).map((name) => name.toLowerCase());
    this.#sensitive =
      extra === undefined ? onlyAuthorization : new Set(['authorization', ...names]);
    this.#ownSession = typeof tokens === 'function' ? undefined : dpopSessionOf(tokens);
    const mayUseDpop = typeof tokens === 'function' || usesDpop(tokens);
    this.retryOn401 = retryOn401;
    this.maxResends = (retryOn401 ? 1 : 0) + (mayUseDpop ? 1 : 0);
  }

  appliesTo(url: string | URL, base?: string | URL): boolean {
    const origins = this.#origins.for(base);
    return origins === undefined || isOfOrigins(url, origins);
  }

  authorize(target: AuthRequest | string | URL, wait?: TokenWait): Promise<Authorization> {
    const request = typeof target === 'string' || target instanceof URL ? undefined : target;
    const url = request?.url ?? (target as string | URL);
    const method = request?.method ?? 'GET';
    const tokens = this.#tokens;
    if (typeof tokens !== 'function') return this.#authorizeWith(tokens, url, wait, method);
    // The request's headers are copied only if the function reads them.
    const choice = () => new LazyTokensRequest(url, method, request);
    return authorizeChosen(tokens, choice, wait, (manager, bound) =>
      this.#authorizeWith(manager, url, bound, method),
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

  /** The authorization of `manager`'s token for a `method` request to `url`, with a DPoP proof if bound. */
  #authorizeWith(
    manager: TokenManager,
    url: string | URL,
    wait: TokenWait | undefined,
    method: string,
  ): Promise<Authorization> {
    // A manager binds its DPoP session when it is made: looked up once when it is the only one.
    const session = manager === this.#tokens ? this.#ownSession : dpopSessionOf(manager);
    if (session === undefined) return this.#authorizeFor(manager, url, wait);
    if (this.#sensitive === onlyAuthorization) this.#sensitive = new Set(onlyAuthorization);
    this.#dpop ??= new ResourceDpop(this.#tokens, this.#sensitive);
    const prove = this.#dpop.prover(manager, session, { url, method });
    return this.#authorizeFor(manager, url, wait).then(prove);
  }

  /** The authorization of `manager`'s token for a request to `url`, without a DPoP proof. */
  #authorizeFor(
    manager: TokenManager,
    url: string | URL,
    wait: TokenWait | undefined,
  ): Promise<Authorization> {
    const signal = wait?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const pending = signal === undefined ? manager.getToken() : manager.getToken({ signal });
    const memos = this.#memo;
    const memo = memos instanceof WeakMap ? memos.get(manager) : memos;
    if (memo?.pending === pending) {
      return memo.settled ? memo.authorized : waitAtMost(memo.authorized, wait);
    }
    const extra = this.#extra;
    if (typeof extra === 'function') {
      const sensitive = this.#sensitive;
      const authorized = pending.then(async (token) =>
        issuedAuthorization(manager, token, {
          ...(await producedHeaders(extra, url, sensitive)),
          Authorization: authorizationHeader(token),
        }),
      );
      return waitAtMost(authorized, wait);
    }
    const staticExtra = this.#staticExtra;
    const authorized = pending.then((token) =>
      issuedAuthorization(manager, token, {
        ...staticExtra,
        Authorization: authorizationHeader(token),
      }),
    );
    const made: Memo = { pending, authorized, settled: false };
    if (typeof this.#tokens !== 'function') this.#memo = made;
    else if (memos instanceof WeakMap) memos.set(manager, made);
    else this.#memo = new WeakMap([[manager, made]]);
    const settle = () => {
      made.settled = true;
    };
    authorized.then(settle, settle);
    return waitAtMost(authorized, wait);
  }
}
