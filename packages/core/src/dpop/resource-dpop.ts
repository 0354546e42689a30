/**
 * An authorizer's DPoP half: a proof on each DPoP token it hands out, and the nonces of the
 * answers to proven requests. The proof code loads with the first DPoP token.
 *
 * @module
 */
import type { AuthOptions } from '../auth-options.ts';
import type { Authorization } from '../authorization.ts';
import type { TokenManager } from '../token-manager.ts';
import type { DpopAnswers } from './dpop-authorization.ts';
import type { LazyDpopSession } from './lazy-dpop-session.ts';
import type { SentRequest } from './resource-requests.ts';

/**
 * The DPoP state of one authorizer.
 *
 * @example
 * ```ts
 * const dpop = new ResourceDpop(options.tokens, sensitive);
 * const authorization = await authorizeFor(manager, url).then(dpop.prover(manager, session, { url, method }));
 * if (dpop.answers?.observe(answer)) resend(); // a nonce challenge
 * ```
 */
export class ResourceDpop {
  /**
   * Where the nonces of the answers to DPoP requests go (see `dpop-authorization.ts`): made with
   * the first proof, when the DPoP code loads. No answer before it needs one.
   */
  answers: DpopAnswers | undefined;
  readonly #tokensPerRequest: boolean;
  readonly #sensitive: Set<string>;

  /**
   * `tokens`: the authorizer's `tokens` option; when it is a function, nonces are kept per manager
   * only. `sensitive`: the authorizer's sensitive header names, which gain `dpop`.
   */
  constructor(tokens: AuthOptions['tokens'], sensitive: Set<string>) {
    this.#tokensPerRequest = typeof tokens === 'function';
    this.#sensitive = sensitive;
  }

  /** A DPoP proof for `request` on a DPoP token of `manager` (whose session is `dpop`). */
  prover(
    manager: TokenManager,
    dpop: LazyDpopSession,
    request: SentRequest,
  ): (authorization: Authorization) => Promise<Authorization> {
    return async (authorization) => {
      if (authorization.token.tokenType !== 'DPoP') return authorization;
      const [proving, session] = await Promise.all([
        import('./dpop-authorization.ts'),
        dpop.session(),
      ]);
      this.answers ??= new proving.DpopAnswers(this.#tokensPerRequest ? undefined : session);
      this.answers.proved(session, request.url);
      this.#sensitive.add('dpop');
      return proving.withProof(authorization, manager, session, request);
    };
  }
}
