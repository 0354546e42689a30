/**
 * The key pair of the `dpop` option, and the checks it gets when the manager is created: what can
 * be seen of the key pair without signing anything (the signing code loads on first use).
 *
 * @module
 */
import { algorithmOfKey, type SigningAlgorithm } from '../jose/signing-algorithm.ts';

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

/** The algorithms a DPoP proof may be signed with: asymmetric ones only (RFC 9449 §4.2). */
const proofAlgorithms: ReadonlySet<SigningAlgorithm> = new Set([
  'ES256',
  'PS256',
  'RS256',
  'EdDSA',
]);

/**
 * The user's key pair, checked: a private signing key and its public key, of ES256 (P-256),
 * PS256 or RS256 (RSA, SHA-256) or EdDSA (Ed25519). Throws a `TypeError` naming `label`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.2
 * @example
 * ```ts
 * const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
 * checkDpopKeyPair('createTokenManager: dpop.keyPair', pair); // the pair, checked
 * checkDpopKeyPair('createTokenManager: dpop.keyPair', {}); // throws a TypeError
 * ```
 */
export function checkDpopKeyPair(label: string, keyPair: unknown): CryptoKeyPair {
  const pair = keyPair as Partial<CryptoKeyPair> | null;
  const { privateKey, publicKey } = typeof pair === 'object' && pair !== null ? pair : {};
  if (!isCryptoKey(privateKey) || !isCryptoKey(publicKey)) {
    throw new TypeError(
      `${label} must be a CryptoKeyPair ({ privateKey, publicKey }, e.g. from crypto.subtle.generateKey)`,
    );
  }
  if (privateKey.type !== 'private' || !privateKey.usages.includes('sign'))
    throw new TypeError(`${label}.privateKey must be a private key with the "sign" usage`);
  if (publicKey.type !== 'public') throw new TypeError(`${label}.publicKey must be a public key`);
  const algorithm = algorithmOfKey(privateKey);
  if (algorithm === undefined || !proofAlgorithms.has(algorithm)) {
    throw new TypeError(
      `${label}: a ${privateKey.algorithm.name} key cannot sign DPoP proofs (use P-256 for ES256, RSA-PSS or RSASSA-PKCS1-v1_5 with SHA-256, or Ed25519)`,
    );
  }
  if (algorithmOfKey(publicKey) !== algorithm)
    throw new TypeError(`${label}: publicKey is not of the private key's algorithm`);
  return { privateKey, publicKey };
}

function isCryptoKey(value: unknown): value is CryptoKey {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as CryptoKey).type === 'string' &&
    typeof (value as CryptoKey).algorithm === 'object' &&
    Array.isArray((value as CryptoKey).usages)
  );
}
