import { base64url } from './base64url.ts';

/**
 * The members of a public JWK that its thumbprint covers (RFC 7638 §3.2), in lexicographic
 * order, per key type.
 */
const thumbprintMembers: Readonly<Record<string, readonly string[]>> = {
  EC: ['crv', 'kty', 'x', 'y'],
  RSA: ['e', 'kty', 'n'],
  OKP: ['crv', 'kty', 'x'],
};

/**
 * The SHA-256 JWK thumbprint of a public key (RFC 7638), base64url: DPoP's `jkt` and the
 * `cnf.jkt` of a DPoP-bound token (RFC 9449 §6).
 *
 * @example
 * ```ts
 * const jwk = await crypto.subtle.exportKey('jwk', keyPair.publicKey);
 * await jwkThumbprint(jwk); // '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I'
 * ```
 */
export async function jwkThumbprint(jwk: JsonWebKey): Promise<string> {
  const members = jwk.kty === undefined ? undefined : thumbprintMembers[jwk.kty];
  if (members === undefined) throw new TypeError(`jwkThumbprint: unsupported key type ${jwk.kty}`);
  const required: Record<string, unknown> = {};
  for (const member of members) {
    const value = (jwk as Record<string, unknown>)[member];
    if (typeof value !== 'string') throw new TypeError(`jwkThumbprint: the JWK lacks "${member}"`);
    required[member] = value;
  }
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(JSON.stringify(required)),
  );
  return base64url(new Uint8Array(digest));
}

/**
 * The public members of a JWK (what a DPoP proof's header may carry): the private parts (`d`,
 * `p`, `q`, `dp`, `dq`, `qi`, `k`) and key-use metadata dropped.
 *
 * @example
 * ```ts
 * publicJwk(await crypto.subtle.exportKey('jwk', keyPair.publicKey)); // { kty: 'EC', crv: 'P-256', x, y }
 * ```
 */
export function publicJwk(jwk: JsonWebKey): JsonWebKey {
  const members = jwk.kty === undefined ? undefined : thumbprintMembers[jwk.kty];
  if (members === undefined) throw new TypeError(`publicJwk: unsupported key type ${jwk.kty}`);
  const result: Record<string, unknown> = {};
  for (const member of members) result[member] = (jwk as Record<string, unknown>)[member];
  return result as JsonWebKey;
}
