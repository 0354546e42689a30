/**
 * What can be seen of a `privateKey` option without importing it: the checks made when a flow is
 * created, so that a public key or a key of the wrong kind fails at once with a TypeError naming
 * the option.
 *
 * @module
 */
import { algorithmOfKey, type SigningAlgorithm } from '../jose/signing-algorithm.ts';

/**
 * A private key for `private_key_jwt`: a WebCrypto `CryptoKey` (type `private`, usable to sign),
 * a private JWK (with `d`), or a PKCS#8 PEM string (`-----BEGIN PRIVATE KEY-----`).
 *
 * @example
 * ```ts
 * const privateKey: PrivateKeyInput = process.env.CLIENT_PRIVATE_KEY_PEM!;
 * ```
 */
export type PrivateKeyInput = CryptoKey | JsonWebKey | string;

/**
 * The algorithms `private_key_jwt` signs with: `RS256` (the default for RSA keys), `PS256`,
 * `ES256` (P-256 keys) and `EdDSA` (Ed25519 keys).
 *
 * @example
 * ```ts
 * const signingAlgorithm: AsymmetricSigningAlgorithm = 'PS256';
 * ```
 */
export type AsymmetricSigningAlgorithm = Exclude<SigningAlgorithm, 'HS256'>;

/**
 * Checks what is visible of a private key option and returns the algorithm when it is known
 * without importing (a `CryptoKey`, a JWK); a PEM's algorithm is read when it is imported.
 * TypeError naming `label` for a public key, a JWK without `d`, a PEM that is not PKCS#8, or a key
 * that does not fit `requested`.
 *
 * @example
 * ```ts
 * checkPrivateKey('clientCredentials: privateKey', jwk, 'ES256'); // 'ES256'
 * ```
 */
export function checkPrivateKey(
  label: string,
  key: unknown,
  requested: AsymmetricSigningAlgorithm | undefined,
): AsymmetricSigningAlgorithm | undefined {
  const fits = (algorithm: SigningAlgorithm | undefined): AsymmetricSigningAlgorithm => {
    if (algorithm === undefined || algorithm === 'HS256')
      throw new TypeError(`${label} must be an RSA, P-256 or Ed25519 key`);
    if (requested !== undefined && requested !== algorithm)
      throw new TypeError(
        `${label} does not fit signingAlgorithm '${requested}' (it is a ${algorithm} key)`,
      );
    return algorithm;
  };
  if (typeof key === 'string') {
    if (/-----BEGIN [A-Z ]*PUBLIC KEY-----/.test(key))
      throw new TypeError(`${label} is a public key (a PUBLIC KEY PEM); give the private key`);
    if (/-----BEGIN (?:RSA|EC) PRIVATE KEY-----/.test(key))
      throw new TypeError(
        `${label} must be a PKCS#8 PEM (-----BEGIN PRIVATE KEY-----); convert it with \`openssl pkcs8 -topk8 -nocrypt\``,
      );
    if (!/-----BEGIN PRIVATE KEY-----[\s\S]+-----END PRIVATE KEY-----/.test(key))
      throw new TypeError(
        `${label} must be a PKCS#8 PEM string (-----BEGIN PRIVATE KEY-----), a private JWK or a CryptoKey`,
      );
    return requested;
  }
  if (isCryptoKey(key)) {
    if (key.type !== 'private')
      throw new TypeError(`${label} is a ${key.type} CryptoKey; give the private key`);
    if (!key.usages.includes('sign'))
      throw new TypeError(`${label} is a CryptoKey that cannot sign (its usages lack 'sign')`);
    return fits(algorithmOfKey(key));
  }
  if (typeof key !== 'object' || key === null)
    throw new TypeError(
      `${label} must be a PKCS#8 PEM string, a private JWK or a CryptoKey (got ${key === null ? 'null' : typeof key})`,
    );
  const jwk = key as JsonWebKey;
  if (typeof jwk.d !== 'string')
    throw new TypeError(`${label} is a JWK without "d", a public key; give the private JWK`);
  if (jwk.kty === 'RSA')
    return fits(requested === 'PS256' || jwk.alg === 'PS256' ? 'PS256' : 'RS256');
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return fits('ES256');
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return fits('EdDSA');
  throw new TypeError(`${label} must be an RSA, P-256 or Ed25519 JWK (kty ${String(jwk.kty)})`);
}

/** A WebCrypto key, recognised by shape so that keys from another realm count too. */
function isCryptoKey(value: unknown): value is CryptoKey {
  if (typeof CryptoKey !== 'undefined' && value instanceof CryptoKey) return true;
  const candidate = value as Partial<CryptoKey> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.type === 'string' &&
    typeof candidate.algorithm === 'object' &&
    Array.isArray(candidate.usages)
  );
}
