/**
 * DPoP in the adapter seam: the proof an authorization carries for its request, the nonces
 * answers hand out, and the one re-send a nonce challenge asks for (RFC 9449 §7, §9).
 *
 * @module
 */
import { carriedToken } from '../auth-options.ts';
import { type Authorization, issuedAuthorization, issuerOf } from '../authorization.ts';
import { setNewest } from '../internal/bounded-map.ts';
import { toUrl } from '../internal/url.ts';
import type { Answer } from '../redirect-guard.ts';
import type { Rejection } from '../rejection.ts';
import type { TokenManager } from '../token-manager.ts';
import { dpopSessionOf } from './dpop-registry.ts';
import type { DpopSession } from './dpop-session.ts';
import { dpopRequestHeaders, isNonceChallenge, type SentRequest } from './resource-requests.ts';

/**
 * `authorization` with a fresh `DPoP` proof for `request` when its token is a DPoP token of a
 * manager created with `dpop`, whose session is `session` (`Authorization: DPoP <token>` is
 * already there); else as it is.
 * A new object per request: a proof is never sent twice.
 *
 * @example
 * ```ts
 * const proven = await withProof(authorization, manager, await dpopSessionOf(manager)?.session(), { url, method: 'GET' });
 * proven.headers.DPoP; // 'eyJ0eXAiOiJkcG9wK2p3dCIs…'
 * ```
 */
export async function withProof(
  authorization: Authorization,
  manager: TokenManager,
  session: DpopSession | undefined,
  request: SentRequest,
): Promise<Authorization> {
  const { token } = authorization;
  if (session === undefined || token.tokenType !== 'DPoP') return authorization;
  const headers = await dpopRequestHeaders(session, token, request);
  return issuedAuthorization(manager, token, { ...authorization.headers, ...headers });
}

/** Origins an authorizer with a `tokens` function remembers the proving session of. */
const maxOrigins = 64;

/**
 * An authorizer's view of the answers to its DPoP requests: it keeps each answer's `DPoP-Nonce`
 * in the session of the `tokens` manager or, with a `tokens` function, of the manager that last
 * proved a request to the answer's origin; and tells nonce challenges. It reads no answer before
 * a proof was made, so that Bearer traffic pays nothing.
 *
 * @example
 * ```ts
 * const answers = new DpopAnswers(await dpopSessionOf(tokens)?.session());
 * answers.proved(session, url);
 * if (answers.observe(answer)) return true; // wantsResend: a nonce challenge
 * ```
 */
export class DpopAnswers {
  readonly #own: DpopSession | undefined;
  readonly #byOrigin = new Map<string, DpopSession>();
  #inUse = false;

  constructor(own: DpopSession | undefined) {
    this.#own = own;
  }

  /** A proof was made with `session` for a request to `url`. */
  proved(session: DpopSession, url: string | URL): void {
    this.#inUse = true;
    const origin = this.#own === undefined ? originOf(url) : undefined;
    if (origin === undefined || this.#byOrigin.get(origin) === session) return;
    setNewest(this.#byOrigin, origin, session, maxOrigins);
  }

  /** Keeps the answer's `DPoP-Nonce`, if any; whether the answer is a nonce challenge. */
  observe(answer: Answer): boolean {
    if (!this.#inUse) return false;
    if (answer.url !== '') {
      const origin = this.#own === undefined ? originOf(answer.url) : undefined;
      const session = this.#own ?? (origin === undefined ? undefined : this.#byOrigin.get(origin));
      session?.remember(answer.url, answer.headers);
    }
    return isNonceChallenge(answer);
  }
}

function originOf(url: string | URL): string | undefined {
  return toUrl(url)?.origin;
}

/**
 * The decision about a nonce challenge (a 401 `use_dpop_nonce`) to a request that carried a DPoP
 * proof: re-send it once per call with the nonce given (kept for the origin), without dropping the
 * token and whatever `retryOn401` says; `false` for a second challenge in the call, a challenge
 * without a nonce, one from where the proof did not go, or a body that cannot be sent again.
 * `undefined` when the rejection is not a nonce challenge to a DPoP request: the usual rules apply.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-9
 * @example
 * ```ts
 * const nonce = await nonceChallengeResend(rejection);
 * if (nonce !== undefined) return nonce;
 * ```
 */
export async function nonceChallengeResend(rejection: Rejection): Promise<boolean | undefined> {
  const { authorization, request, answer, resends, replayable } = rejection;
  if (!isNonceChallenge(answer) || authorization.headers.DPoP === undefined) return undefined;
  const manager = issuerOf(authorization, undefined);
  const session = manager === undefined ? undefined : await dpopSessionOf(manager)?.session();
  if (session === undefined || !carriedToken(request.url, answer)) return false;
  const nonce = session.remember(answer.url === '' ? request.url : answer.url, answer.headers);
  return nonce !== undefined && replayable && resends.resendForNonce();
}
