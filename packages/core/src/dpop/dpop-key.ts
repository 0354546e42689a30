/**
 * The key a token manager proves possession of (RFC 9449): the one the user supplied, or an ES256
 * pair made on first use.
 *
 * @module
 */
import { jwkThumbprint, publicJwk } from '../jose/jwk-thumbprint.ts';
import { algorithmOfKey, type SigningAlgorithm } from '../jose/signing-algorithm.ts';
import { checkDpopKeyPair } from './dpop-key-pair.ts';

/** What signing a proof needs: the private key, its algorithm, the public JWK and its thumbprint. */
export interface DpopKeyMaterial {
  readonly privateKey: CryptoKey;
  readonly algorithm: SigningAlgorithm;
  /** The public key as a JWK, as a proof's header carries it (`kty`, `crv`, `x`, `y` / `n`, `e`). */
  readonly jwk: JsonWebKey;
  /** RFC 7638 SHA-256 thumbprint of `jwk`: the `cnf.jkt` of the tokens bound to this key. */
  readonly thumbprint: string;
}

/**
 * A manager's DPoP key. Made from the `dpop` option, checked at once (a key pair of a supported
 * algorithm); the key itself (generated for `dpop: true`) and its public JWK are worked out on
 * first use, never at creation: a manager created in a Worker's global scope does no crypto work.
 * It never shows its key: it lives in private fields, out of `util.inspect` and `JSON.stringify`.
 *
 * @example
 * ```ts
 * const key = DpopKey.generated(); // dpop: true
 * const { algorithm, thumbprint } = await key.material(); // 'ES256', 'NzbLsXh8…'
 * ```
 */
export class DpopKey {
  readonly #make: () => Promise<CryptoKeyPair>;
  #material: Promise<DpopKeyMaterial> | undefined;

  private constructor(make: () => Promise<CryptoKeyPair>) {
    this.#make = make;
  }

  /** A non-extractable ES256 (P-256) key pair, generated on first use. */
  static generated(): DpopKey {
    return new DpopKey(
      () =>
        crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
          'sign',
          'verify',
        ]) as Promise<CryptoKeyPair>,
    );
  }

  /**
   * The user's key pair, checked now: a private signing key and its public key, of ES256 (P-256),
   * PS256 or RS256 (RSA, SHA-256) or EdDSA (Ed25519). Throws a `TypeError` naming `label`.
   */
  static of(label: string, keyPair: unknown): DpopKey {
    const given = checkDpopKeyPair(label, keyPair);
    return new DpopKey(async () => given);
  }

  /** The key, its algorithm, public JWK and thumbprint: worked out once, on first use. */
  material(): Promise<DpopKeyMaterial> {
    if (this.#material !== undefined) return this.#material;
    const made = this.#make().then(async ({ privateKey, publicKey }) => {
      const jwk = publicJwk(await crypto.subtle.exportKey('jwk', publicKey));
      const algorithm = algorithmOfKey(privateKey) as SigningAlgorithm;
      return Object.freeze({ privateKey, algorithm, jwk, thumbprint: await jwkThumbprint(jwk) });
    });
    this.#material = made;
    // A failed generation is not kept: the next request tries again.
    made.catch(() => {
      if (this.#material === made) this.#material = undefined;
    });
    return made;
  }

  /** What `JSON.stringify` shows (the key is in private fields, which `util.inspect` never shows). */
  toJSON(): string {
    return '[DpopKey]';
  }
}
