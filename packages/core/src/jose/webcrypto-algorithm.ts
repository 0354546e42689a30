/**
 * WebCrypto's parameters for each JWS algorithm: what signing needs (client assertions, DPoP
 * proofs), loaded with the signing code.
 *
 * @module
 */
import type { SigningAlgorithm } from './signing-algorithm.ts';

/**
 * WebCrypto's parameters for importing a key of a JWS algorithm and signing with it. ECDSA
 * signatures come out of WebCrypto as `r || s` (IEEE P1363), which is what JWS wants.
 *
 * @example
 * ```ts
 * const { importParams, signParams } = webCryptoAlgorithm('PS256');
 * await crypto.subtle.sign(signParams, key, data);
 * ```
 */
export function webCryptoAlgorithm(algorithm: SigningAlgorithm): {
  readonly importParams: RsaHashedImportParams | EcKeyImportParams | HmacImportParams | Algorithm;
  readonly signParams: Algorithm | RsaPssParams | EcdsaParams;
} {
  switch (algorithm) {
    case 'RS256':
      return {
        importParams: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
        signParams: { name: 'RSASSA-PKCS1-v1_5' },
      };
    case 'PS256':
      return {
        importParams: { name: 'RSA-PSS', hash: 'SHA-256' },
        signParams: { name: 'RSA-PSS', saltLength: 32 } as RsaPssParams,
      };
    case 'ES256':
      return {
        importParams: { name: 'ECDSA', namedCurve: 'P-256' },
        signParams: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
      };
    case 'EdDSA':
      return { importParams: { name: 'Ed25519' }, signParams: { name: 'Ed25519' } };
    case 'HS256':
      return {
        importParams: { name: 'HMAC', hash: 'SHA-256' },
        signParams: { name: 'HMAC' },
      };
  }
}
