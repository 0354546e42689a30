/**
 * A DPoP proof JWT (RFC 9449 §4.2): what is signed, and for which request.
 *
 * @module
 */
import { base64url } from '../jose/base64url.ts';
import { randomJti, signJws } from '../jose/jws.ts';
import type { DpopKeyMaterial } from './dpop-key.ts';

/** The request a proof is for, and what it binds beside it. */
export interface ProofTarget {
  /** The URL the request is sent to: `htu` is it without query and fragment. */
  readonly url: string | URL;
  /** The request method: `htm`, upper-case. */
  readonly method: string;
  /** The server's nonce, when it gave one. */
  readonly nonce?: string | undefined;
  /** The access token sent with the proof (to a resource server): `ath` is its SHA-256. */
  readonly accessToken?: string | undefined;
  /** `ath` already worked out for `accessToken` (see {@link accessTokenHash}). */
  readonly ath?: string | undefined;
}

/**
 * `htu` (RFC 9449 §4.2): the target URI without query and fragment.
 *
 * @example
 * ```ts
 * proofUri('https://api.example.com/v1/me?x=1#top'); // 'https://api.example.com/v1/me'
 * ```
 */
export function proofUri(url: string | URL): string {
  const target = new URL(url);
  target.search = '';
  target.hash = '';
  return target.href;
}

/**
 * `ath` (RFC 9449 §4.2): base64url of the SHA-256 of the access token's ASCII bytes.
 *
 * @example
 * ```ts
 * await accessTokenHash('Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU'); // 'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo'
 * ```
 */
export async function accessTokenHash(accessToken: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken));
  return base64url(new Uint8Array(digest));
}

/**
 * Signs a proof for `target` at `now` (epoch ms): header `typ: dpop+jwt`, `alg` and the public
 * `jwk`; claims `jti` (fresh), `htm`, `htu`, `iat`, and `nonce` and `ath` when given.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.2
 * @example
 * ```ts
 * const proof = await signProof(await key.material(), { url, method: 'POST', nonce }, Date.now());
 * headers.set('DPoP', proof);
 * ```
 */
export async function signProof(
  key: DpopKeyMaterial,
  target: ProofTarget,
  now: number,
): Promise<string> {
  const claims: Record<string, unknown> = {
    jti: randomJti(),
    htm: target.method.toUpperCase(),
    htu: proofUri(target.url),
    iat: Math.floor(now / 1000),
  };
  if (target.nonce !== undefined) claims.nonce = target.nonce;
  if (target.accessToken !== undefined)
    claims.ath = target.ath ?? (await accessTokenHash(target.accessToken));
  return signJws({ typ: 'dpop+jwt', jwk: key.jwk }, claims, key.privateKey, key.algorithm);
}
