/**
 * Turns a private key option (a `CryptoKey`, a private JWK, a PKCS#8 PEM string) into a WebCrypto
 * key that signs, with its JWS algorithm.
 *
 * @module
 */
import { fromBase64url } from './from-base64url.ts';
import { algorithmOfJwk, algorithmOfKey, type SigningAlgorithm } from './signing-algorithm.ts';
import { webCryptoAlgorithm } from './webcrypto-algorithm.ts';

/**
 * A key ready to sign JWS, and the algorithm it signs with.
 *
 * @example
 * ```ts
 * const { key, algorithm } = await importSigningKey('privateKey', pem); // algorithm: 'RS256'
 * ```
 */
export interface SigningKey {
  readonly key: CryptoKey;
  readonly algorithm: SigningAlgorithm;
}

/** DER bytes of the algorithm OIDs a PKCS#8 key names (RFC 5958 §2, RFC 8410 §7). */
const oids = {
  rsa: [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01],
  rsaPss: [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a],
  ecPublicKey: [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01],
  p256: [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07],
  ed25519: [0x2b, 0x65, 0x70],
} as const;

/**
 * Imports a private key for signing. RSA keys sign with `RS256` unless `requested` is `PS256`
 * (WebCrypto binds the algorithm at import, so it is chosen first); P-256 keys with `ES256`;
 * Ed25519 keys with `EdDSA`. A `CryptoKey` is used as it is. Rejects with a TypeError naming
 * `label` when the key cannot be imported or does not fit `requested`; the message never quotes
 * the key.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-3.1
 * @example
 * ```ts
 * const signing = await importSigningKey('clientCredentials: privateKey', jwk, 'ES256');
 * ```
 */
export async function importSigningKey(
  label: string,
  input: CryptoKey | JsonWebKey | string,
  requested?: SigningAlgorithm,
): Promise<SigningKey> {
  if (typeof input === 'string') return importPem(label, input, requested);
  if (!isJwk(input)) {
    const algorithm = algorithmOfKey(input);
    if (algorithm === undefined || (requested !== undefined && requested !== algorithm))
      throw new TypeError(`${label} does not fit signingAlgorithm '${requested ?? 'unknown'}'`);
    return { key: input, algorithm };
  }
  const algorithm = requested ?? algorithmOfJwk(input);
  if (algorithm === undefined) throw new TypeError(`${label} is not an RSA, P-256 or Ed25519 JWK`);
  // WebCrypto refuses a JWK whose `alg` differs from the import algorithm, and a public `use`.
  const { alg: _alg, use: _use, key_ops: _ops, ...jwk } = input;
  return { key: await importOrFail(label, 'jwk', jwk, algorithm), algorithm };
}

async function importPem(
  label: string,
  pem: string,
  requested: SigningAlgorithm | undefined,
): Promise<SigningKey> {
  const match = /-----BEGIN PRIVATE KEY-----([\s\S]+?)-----END PRIVATE KEY-----/.exec(pem);
  const der = match ? fromBase64url(toBase64url(match[1] ?? '')) : undefined;
  if (der === undefined) throw new TypeError(`${label} is not a readable PKCS#8 PEM`);
  const found = pemAlgorithm(der, requested);
  if (found === undefined) throw new TypeError(`${label} is not an RSA, P-256 or Ed25519 key`);
  if (requested !== undefined && requested !== found)
    throw new TypeError(
      `${label} does not fit signingAlgorithm '${requested}' (it is a ${found} key)`,
    );
  return { key: await importOrFail(label, 'pkcs8', der, found), algorithm: found };
}

/** The algorithm a PKCS#8 key's algorithm identifier names; RSA signs as `requested` allows. */
function pemAlgorithm(
  der: Uint8Array,
  requested: SigningAlgorithm | undefined,
): SigningAlgorithm | undefined {
  // The algorithm identifier comes right after the version, within the first few dozen bytes.
  const head = der.subarray(0, 40);
  if (contains(head, oids.rsaPss)) return 'PS256';
  if (contains(head, oids.rsa)) return requested === 'PS256' ? 'PS256' : 'RS256';
  if (contains(head, oids.ecPublicKey)) return contains(head, oids.p256) ? 'ES256' : undefined;
  if (contains(head, oids.ed25519)) return 'EdDSA';
  return undefined;
}

async function importOrFail(
  label: string,
  format: 'jwk' | 'pkcs8',
  data: JsonWebKey | Uint8Array,
  algorithm: SigningAlgorithm,
): Promise<CryptoKey> {
  const params = webCryptoAlgorithm(algorithm).importParams;
  try {
    return format === 'jwk'
      ? await crypto.subtle.importKey('jwk', data as JsonWebKey, params, false, ['sign'])
      : await crypto.subtle.importKey('pkcs8', data as Uint8Array<ArrayBuffer>, params, false, [
          'sign',
        ]);
  } catch {
    // The runtime's message may quote key material: it is not passed on.
    throw new TypeError(`${label} could not be imported as a ${algorithm} private key`);
  }
}

function isJwk(value: CryptoKey | JsonWebKey): value is JsonWebKey {
  return typeof (value as JsonWebKey).kty === 'string';
}

function toBase64url(base64: string): string {
  return base64.replace(/\s+/g, '').replace(/\+/g, '-').replace(/\//g, '_');
}

function contains(bytes: Uint8Array, pattern: readonly number[]): boolean {
  outer: for (let i = 0; i + pattern.length <= bytes.length; i++) {
    for (let j = 0; j < pattern.length; j++) if (bytes[i + j] !== pattern[j]) continue outer;
    return true;
  }
  return false;
}
