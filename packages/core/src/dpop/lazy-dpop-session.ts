/**
 * A token manager's DPoP session whose code (key generation, proof signing, nonces) loads on first
 * use: a manager without the `dpop` option, and its users, never load it.
 *
 * @module
 */
import type { DpopSession } from './dpop-session.ts';

/**
 * Stands for a manager's {@link DpopSession} from its creation on: what the manager and adapters
 * hold (see `dpop-registry.ts`). The session is made, its code loaded by a dynamic import, when
 * first needed: the first token request, the first proof for a resource server. A load that fails
 * rejects every use with the same error.
 *
 * @example
 * ```ts
 * const dpop = new LazyDpopSession(undefined, Date.now); // dpop: true
 * const fetchWithProofs = dpop.withTokenEndpointProofs(fetch);
 * const session = await dpop.session();
 * ```
 */
export class LazyDpopSession {
  /** The user's checked key pair; `undefined`: an ES256 pair is generated on first use. */
  readonly #keyPair: CryptoKeyPair | undefined;
  readonly #now: () => number;
  #loading: Promise<DpopSession> | undefined;

  constructor(keyPair: CryptoKeyPair | undefined, now: () => number) {
    this.#keyPair = keyPair;
    this.#now = now;
  }

  /** The session: made (its code loaded) on the first call, the same one from then on. */
  session(): Promise<DpopSession> {
    this.#loading ??= import('./dpop-code.ts').then(({ DpopKey, DpopSession }) => {
      const key =
        this.#keyPair === undefined
          ? DpopKey.generated()
          : DpopKey.of('createTokenManager: dpop.keyPair', this.#keyPair);
      return new DpopSession(key, this.#now);
    });
    return this.#loading;
  }

  /** The key's JWK thumbprint (RFC 7638): what the server binds tokens to (`cnf.jkt`). */
  async thumbprint(): Promise<string> {
    return (await this.session()).thumbprint();
  }

  /**
   * `fetch` with a DPoP proof on every token request it sends (see `token-endpoint-proofs.ts`):
   * the proof code loads with the first request.
   */
  withTokenEndpointProofs(fetch: typeof globalThis.fetch): typeof globalThis.fetch {
    let proving: Promise<typeof globalThis.fetch> | undefined;
    return async (input, init) => {
      proving ??= Promise.all([import('./dpop-code.ts'), this.session()]).then(([code, session]) =>
        code.withTokenEndpointProofs(fetch, session),
      );
      return (await proving)(input, init);
    };
  }
}
