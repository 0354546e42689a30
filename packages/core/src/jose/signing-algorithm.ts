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

/**
 * The JWS algorithm a private JWK signs with by default: RSA → `RS256` (`PS256` when its `alg`
 * says so), P-256 → `ES256`, Ed25519 → `EdDSA`; `undefined` for any other key.
 *
 * @example
 * ```ts
 * algorithmOfJwk({ kty: 'OKP', crv: 'Ed25519', x: '…', d: '…' }); // 'EdDSA'
 * ```
 */
export function algorithmOfJwk(jwk: {
  readonly kty?: string | undefined;
  readonly crv?: string | undefined;
  readonly alg?: string | undefined;
}): SigningAlgorithm | undefined {
  if (jwk.kty === 'RSA') return jwk.alg === 'PS256' ? 'PS256' : 'RS256';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  return undefined;
}
