import { base64url, base64urlText } from './base64url.ts';
import type { SigningAlgorithm } from './signing-algorithm.ts';
import { webCryptoAlgorithm } from './webcrypto-algorithm.ts';

/**
 * Signs a compact JWS (RFC 7515) with WebCrypto: `base64url(header).base64url(payload).signature`.
 * `alg` is set from `algorithm`; the key must be a signing key of that algorithm (see
 * `algorithmOfKey`). The caller owns the claims: fresh `jti`, `iat`, `exp` and so on.
 *
 * @example
 * ```ts
 * const jwt = await signJws({ typ: 'dpop+jwt', jwk }, { htm: 'GET', htu, iat, jti }, privateKey, 'ES256');
 * ```
 */
export async function signJws(
  header: Readonly<Record<string, unknown>>,
  payload: Readonly<Record<string, unknown>>,
  key: CryptoKey,
  algorithm: SigningAlgorithm,
): Promise<string> {
  const signingInput = `${base64urlText(JSON.stringify({ ...header, alg: algorithm }))}.${base64urlText(
    JSON.stringify(payload),
  )}`;
  const signature = await crypto.subtle.sign(
    webCryptoAlgorithm(algorithm).signParams,
    key,
    new TextEncoder().encode(signingInput),
  );
  return `${signingInput}.${base64url(new Uint8Array(signature))}`;
}

/**
 * A random `jti` (JWT ID): 16 random bytes, base64url.
 *
 * @example
 * ```ts
 * const claims = { jti: randomJti(), iat: Math.floor(Date.now() / 1000) };
 * ```
 */
export function randomJti(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(16)));
}
