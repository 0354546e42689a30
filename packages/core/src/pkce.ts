import { base64url } from './jose/base64url.ts';

/**
 * PKCE (RFC 7636) helper, on Web Crypto only.
 *
 * @module
 */

/**
 * A PKCE verifier and its S256 challenge.
 *
 * @example
 * ```ts
 * const { codeVerifier, codeChallenge } = await createPkcePair();
 * ```
 */
export interface PkcePair {
  /** Keep server-side; pass to {@link authorizationCode} as `codeVerifier`. */
  readonly codeVerifier: string;
  /** Send in the authorization request as `code_challenge`. */
  readonly codeChallenge: string;
  readonly codeChallengeMethod: 'S256';
}

/**
 * Makes a random 43-character verifier (32 bytes, base64url) and its S256 challenge.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 * @example
 * ```ts
 * const pkce = await createPkcePair();
 * const authorizeUrl = `${issuer}/authorize?code_challenge=${pkce.codeChallenge}&code_challenge_method=S256&…`;
 * ```
 */
export async function createPkcePair(): Promise<PkcePair> {
  const codeVerifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  return {
    codeVerifier,
    codeChallenge: await pkceChallenge(codeVerifier),
    codeChallengeMethod: 'S256',
  };
}

/**
 * The S256 challenge of a verifier: base64url(SHA-256(verifier)).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.2
 * @example
 * ```ts
 * await pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'); // 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'
 * ```
 */
export async function pkceChallenge(codeVerifier: string): Promise<string> {
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(codeVerifier)) {
    throw new TypeError('pkceChallenge: codeVerifier must be 43-128 characters of [A-Za-z0-9-._~]');
  }
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier));
  return base64url(new Uint8Array(digest));
}
