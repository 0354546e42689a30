/**
 * The key pair type of the `dpop` option.
 *
 * @module
 */

/**
 * A key pair for DPoP proofs: what `crypto.subtle.generateKey` makes (a `CryptoKeyPair`), for
 * the `dpop` option of {@link createTokenManager}.
 *
 * @example
 * ```ts
 * const keyPair: DpopKeyPair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
 * ```
 */
export interface DpopKeyPair {
  /** Signs the proofs: a private key with the `sign` usage. */
  readonly privateKey: InstanceType<typeof CryptoKey>;
  /** Goes into each proof's header as a JWK: its public half. */
  readonly publicKey: InstanceType<typeof CryptoKey>;
}
