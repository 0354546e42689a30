/**
 * The mock's signing key, its JWK Set (RFC 7517) and JWS compact signing (RFC 7515), on
 * WebCrypto only.
 *
 * @module
 */
import { base64url } from './internal/base64url.ts';

/** JWS algorithms the mock signs JWT access tokens with (RFC 7518 §3.1). */
export type SigningAlgorithm = 'ES256' | 'RS256';

/**
 * A public JSON Web Key as served in the mock's JWK Set: `kid` is its RFC 7638 thumbprint.
 *
 * @example
 * ```ts
 * const { keys } = (await (await fetch('https://auth.test/jwks')).json()) as JsonWebKeySet;
 * keys[0]?.kid; // e.g. 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-4
 */
export interface PublicJwk {
  /** Key type: `EC` (ES256) or `RSA` (RS256). */
  readonly kty: string;
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly use: 'sig';
  /** EC: the curve (`P-256`) and coordinates. */
  readonly crv?: string | undefined;
  readonly x?: string | undefined;
  readonly y?: string | undefined;
  /** RSA: modulus and exponent. */
  readonly n?: string | undefined;
  readonly e?: string | undefined;
}

/**
 * A JWK Set document (`{ keys }`), as served at `${issuer}/jwks`.
 *
 * @example
 * ```ts
 * const set: JsonWebKeySet = await (await fetch(oauth.jwksUri)).json();
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
 */
export interface JsonWebKeySet {
  readonly keys: readonly PublicJwk[];
}

/** A signing key pair with its public JWK. */
export interface SigningKey {
  readonly privateKey: CryptoKey;
  readonly publicJwk: PublicJwk;
}

const params = {
  ES256: {
    generate: { name: 'ECDSA', namedCurve: 'P-256' } as EcKeyGenParams,
    sign: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
    thumbprintMembers: ['crv', 'kty', 'x', 'y'],
  },
  RS256: {
    generate: {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    } as RsaHashedKeyGenParams,
    sign: { name: 'RSASSA-PKCS1-v1_5' } as AlgorithmIdentifier,
    thumbprintMembers: ['e', 'kty', 'n'],
  },
} as const;

/** The RFC 7638 thumbprint of a public JWK: SHA-256 over its required members, base64url. */
async function thumbprint(jwk: JsonWebKey, members: readonly string[]): Promise<string> {
  const record = jwk as Record<string, unknown>;
  const canonical = JSON.stringify(Object.fromEntries(members.map((name) => [name, record[name]])));
  return base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical)));
}

/** Makes a fresh key pair for `alg`; the private key is not extractable. */
export async function generateSigningKey(alg: SigningAlgorithm): Promise<SigningKey> {
  const { generate, thumbprintMembers } = params[alg];
  // A key pair's public key is extractable whatever `extractable` says; the private key is not.
  const pair = (await crypto.subtle.generateKey(generate, false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const exported = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const members = Object.fromEntries(
    thumbprintMembers.map((name) => [name, exported[name as keyof JsonWebKey]]),
  );
  const kid = await thumbprint(exported, thumbprintMembers);
  const publicJwk = { ...members, kty: String(exported.kty), kid, alg, use: 'sig' } as const;
  return { privateKey: pair.privateKey, publicJwk };
}

/** Signs `claims` as a JWS compact serialization with `typ` (RFC 7515 §3.1). */
export async function signJwt(key: SigningKey, typ: string, claims: object): Promise<string> {
  const { alg, kid } = key.publicJwk;
  const input = `${base64url(JSON.stringify({ alg, typ, kid }))}.${base64url(JSON.stringify(claims))}`;
  const signature = await crypto.subtle.sign(
    params[alg].sign,
    key.privateKey,
    new TextEncoder().encode(input),
  );
  return `${input}.${base64url(signature)}`;
}
