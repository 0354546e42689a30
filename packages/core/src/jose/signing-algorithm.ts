/**
 * The JWS algorithms tokenwise signs with (RFC 7518, RFC 8037): client assertions
 * (`private_key_jwt`, `client_secret_jwt`) and DPoP proofs.
 *
 * @example
 * ```ts
 * const algorithm: SigningAlgorithm = 'ES256';
 * ```
 */
export type SigningAlgorithm = 'RS256' | 'PS256' | 'ES256' | 'EdDSA' | 'HS256';

/** Every {@link SigningAlgorithm}, for validating options. */
export const signingAlgorithms: readonly SigningAlgorithm[] = [
  'RS256',
  'PS256',
  'ES256',
  'EdDSA',
  'HS256',
];

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

/**
 * The JWS algorithm a WebCrypto key signs with by default: RSA → `RS256` (`PS256` for an
 * RSA-PSS key), P-256 → `ES256`, Ed25519 → `EdDSA`, HMAC → `HS256`; `undefined` for a key
 * tokenwise cannot sign JWS with (another curve, another hash).
 *
 * @example
 * ```ts
 * const { privateKey } = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
 * algorithmOfKey(privateKey); // 'ES256'
 * ```
 */
export function algorithmOfKey(key: CryptoKey): SigningAlgorithm | undefined {
  const algorithm = key.algorithm as KeyAlgorithm & {
    readonly namedCurve?: string;
    readonly hash?: { readonly name: string };
  };
  const sha256 = algorithm.hash?.name === 'SHA-256';
  switch (algorithm.name) {
    case 'RSASSA-PKCS1-v1_5':
      return sha256 ? 'RS256' : undefined;
    case 'RSA-PSS':
      return sha256 ? 'PS256' : undefined;
    case 'ECDSA':
      return algorithm.namedCurve === 'P-256' ? 'ES256' : undefined;
    case 'Ed25519':
      return 'EdDSA';
    case 'HMAC':
      return sha256 ? 'HS256' : undefined;
    default:
      return undefined;
  }
}
