/**
 * The DPoP half of the interop resource server (RFC 9449 §7): a request with
 * `Authorization: DPoP <token>` must carry a proof for its method and URL, with `ath` of the token,
 * signed by the key the token is bound to (the `cnf.jkt` introspection reports), a fresh `jti`,
 * and, when the API requires nonces, its current nonce; a DPoP-bound token sent as Bearer is
 * refused (§7.2). The proof check is test-kit's `verifyDpopProof`, written apart from the library.
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { DpopProofRefusal, verifyDpopProof } from '@tokenwise/test-kit';

/**
 * The API's DPoP state: the `jti`s seen, and its nonce when it requires one.
 *
 * @example
 * ```ts
 * const dpop = new DpopResource();
 * dpop.requireNonce = true;
 * ```
 */
export class DpopResource {
  readonly seenJtis = new Set<string>();
  /** Refusals, by reason, in order. */
  readonly refusals: string[] = [];
  /** Nonce challenges answered (401 `use_dpop_nonce`). */
  nonceChallenges = 0;
  /** Proofs accepted. */
  proofsAccepted = 0;
  /** Every proof must carry the API's current nonce. @default false */
  requireNonce = false;
  #nonce = 1;

  /** The nonce proofs must carry now (sent as `DPoP-Nonce` on every answer when required). */
  get nonce(): string {
    return `api-nonce-${this.#nonce}`;
  }

  /** A new nonce: proofs with the previous one are challenged. */
  rotateNonce(): void {
    this.#nonce++;
  }

  /**
   * Checks the request's scheme and proof against the introspected `claims`. Resolves to
   * `undefined` when the request may pass, else to the answer's status and headers.
   */
  check(
    req: IncomingMessage,
    origin: string,
    token: { readonly scheme: 'Bearer' | 'DPoP'; readonly value: string },
    claims: Record<string, unknown>,
  ): { status: number; headers: Record<string, string>; error: string } | undefined {
    const jkt = (claims.cnf as { jkt?: string } | undefined)?.jkt;
    if (token.scheme === 'Bearer') {
      if (jkt === undefined) return undefined;
      return this.#refuse('a DPoP-bound token sent as Bearer', 'invalid_token');
    }
    if (jkt === undefined) return this.#refuse('a Bearer token sent as DPoP', 'invalid_token');
    try {
      verifyDpopProof(req.headers.dpop, {
        method: req.method ?? 'GET',
        url: new URL(req.url ?? '/', origin).href,
        accessToken: token.value,
        jkt,
        nonce: this.requireNonce ? this.nonce : undefined,
        seenJtis: this.seenJtis,
      });
    } catch (error) {
      if (!(error instanceof DpopProofRefusal)) throw error;
      if (error.nonce) {
        this.nonceChallenges++;
        return {
          status: 401,
          headers: { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce", algs="ES256 EdDSA"' },
          error: 'use_dpop_nonce',
        };
      }
      return this.#refuse(error.message, 'invalid_dpop_proof');
    }
    this.proofsAccepted++;
    return undefined;
  }

  #refuse(reason: string, error: string) {
    this.refusals.push(reason);
    return {
      status: 401,
      headers: { 'WWW-Authenticate': `DPoP error="${error}", algs="ES256 EdDSA"` },
      error,
    };
  }
}

/**
 * The token of an `Authorization: Bearer …` or `Authorization: DPoP …` header, and its scheme.
 *
 * @example
 * ```ts
 * const token = schemeToken(req); // { scheme: 'DPoP', value: 'ey…' }
 * ```
 */
export function schemeToken(
  req: IncomingMessage,
): { readonly scheme: 'Bearer' | 'DPoP'; readonly value: string } | undefined {
  const match = /^(Bearer|DPoP) +(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (match === null) return undefined;
  const scheme = (match[1] as string).toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer';
  return { scheme, value: match[2] as string };
}
