/**
 * A token manager's DPoP state: its key, the nonces servers gave it, and the clock proofs are
 * dated by. Token requests and every adapter sending the manager's tokens use the same one.
 *
 * @module
 */
import type { DpopKey } from './dpop-key.ts';
import { DpopNonces } from './dpop-nonces.ts';
import { accessTokenHash, type ProofTarget, signProof } from './dpop-proof.ts';

/**
 * Proves possession of one manager's key: signs proofs with the nonce last given by the target's
 * origin, and keeps the nonces answers carry.
 *
 * @example
 * ```ts
 * const session = new DpopSession(DpopKey.generated(), Date.now);
 * headers.set('DPoP', await session.proof({ url, method: 'GET', accessToken }));
 * session.remember(url, response.headers);
 * ```
 */
export class DpopSession {
  readonly key: DpopKey;
  readonly #nonces = new DpopNonces();
  readonly #now: () => number;
  /** The last access token proved and its `ath`: one token serves many requests. */
  #ath: { readonly accessToken: string; readonly hash: Promise<string> } | undefined;

  constructor(key: DpopKey, now: () => number) {
    this.key = key;
    this.#now = now;
  }

  /** A fresh proof for `target`, with the nonce its origin last gave (unless `target` names one). */
  async proof(target: ProofTarget): Promise<string> {
    const nonce = target.nonce ?? this.#nonces.for(target.url);
    const { accessToken } = target;
    let ath: string | undefined;
    if (accessToken !== undefined) {
      if (this.#ath?.accessToken !== accessToken)
        this.#ath = { accessToken, hash: accessTokenHash(accessToken) };
      ath = await this.#ath.hash;
    }
    return signProof(await this.key.material(), { ...target, nonce, ath }, this.#now());
  }

  /** Keeps the `DPoP-Nonce` of an answer from `url`; returns it when there was one. */
  remember(url: string | URL, headers: Headers): string | undefined {
    return this.#nonces.remember(url, headers);
  }

  /** The nonce the origin of `url` last gave, if any. */
  nonceFor(url: string | URL): string | undefined {
    return this.#nonces.for(url);
  }

  /** The key's JWK thumbprint (RFC 7638): what the server binds tokens to (`cnf.jkt`). */
  async thumbprint(): Promise<string> {
    return (await this.key.material()).thumbprint;
  }
}
