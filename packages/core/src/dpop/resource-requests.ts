/**
 * DPoP at a resource server (RFC 9449 §7, §9): the headers that carry a DPoP-bound token on one
 * request, and the answer that asks for a nonce.
 *
 * @module
 */
import type { Token } from '../token.ts';
import { challengeParam } from '../www-authenticate.ts';
import type { DpopSession } from './dpop-session.ts';

/** The request as it is sent: what its proof is for. */
export interface SentRequest {
  readonly url: string | URL;
  readonly method: string;
}

/**
 * `Authorization: DPoP <token>` and a fresh `DPoP` proof for `request` (its method, its URL
 * without query and fragment, `ath` of the token, the origin's nonce when known).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1
 * @example
 * ```ts
 * const headers = await dpopRequestHeaders(session, token, { url, method: 'GET' });
 * // { Authorization: 'DPoP eyJ…', DPoP: 'eyJ0eXAiOiJkcG9wK2p3dCIs…' }
 * ```
 */
export async function dpopRequestHeaders(
  session: DpopSession,
  token: Pick<Token, 'accessToken'>,
  request: SentRequest,
): Promise<{ readonly Authorization: string; readonly DPoP: string }> {
  const proof = await session.proof({
    url: request.url,
    method: request.method,
    accessToken: token.accessToken,
  });
  return { Authorization: `DPoP ${token.accessToken}`, DPoP: proof };
}

/**
 * Whether an answer is a resource server's DPoP nonce challenge: a 401 whose `WWW-Authenticate`
 * says `error="use_dpop_nonce"` (RFC 9449 §9). Such an answer does not reject the token: the
 * request is sent once more with the nonce (`DPoP-Nonce`), nothing is invalidated.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-9
 * @example
 * ```ts
 * isNonceChallenge({ status: 401, headers: new Headers({ 'WWW-Authenticate': 'DPoP error="use_dpop_nonce"' }) }); // true
 * ```
 */
export function isNonceChallenge(answer: {
  readonly status: number;
  readonly headers: Headers;
}): boolean {
  if (answer.status !== 401) return false;
  const challenge = answer.headers.get('www-authenticate');
  return challengeParam(challenge, 'error', 'DPoP') === 'use_dpop_nonce';
}
