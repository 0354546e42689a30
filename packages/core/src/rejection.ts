/**
 * What an adapter does with an answer its authorizer wants re-sent (`wantsResend`): the one rule
 * every adapter follows, so that none has a policy of its own, and the per-call count of
 * re-sends it keeps.
 *
 * @module
 */
import type { AuthRequest } from './auth-request.ts';
import type { Authorization } from './authorization.ts';
import type { Authorizer } from './authorizer.ts';
import type { Answer } from './redirect-guard.ts';

/**
 * The re-sends of one call (one request of the caller, all its attempts), kept by the adapter in
 * its call state and counted by {@link onRejected}: a call is re-authorized at most once, and
 * each re-send is counted so that a client's own retry limit can make room for it.
 *
 * @example
 * ```ts
 * const resends = new ResendBudget();
 * if (authorizer.wantsResend(answer) && (await onRejected(authorizer, { authorization, request, answer, resends, replayable }))) resend();
 * resends.count; // 1
 * ```
 */
export class ResendBudget {
  #count = 0;
  #reauthorized = false;
  #nonceResent = false;

  /** Re-sends granted so far in this call. */
  get count(): number {
    return this.#count;
  }

  /** Whether the call used its one re-authorization: its later attempts carry a fresh token. */
  get reauthorized(): boolean {
    return this.#reauthorized;
  }

  /** Records the call's one re-authorization (and its re-send). */
  reauthorize(): void {
    this.#reauthorized = true;
    this.#count++;
  }

  /**
   * Records the call's one re-send for a DPoP nonce challenge, apart from its re-authorization;
   * `false` when the call had it already.
   */
  resendForNonce(): boolean {
    if (this.#nonceResent) return false;
    this.#nonceResent = true;
    this.#count++;
    return true;
  }
}

/**
 * An answer to one attempt of a call that its authorizer wants re-sent, as the adapter saw it.
 *
 * @example
 * ```ts
 * const rejection: Rejection = { authorization, request, answer: answerOf(response), resends, replayable: true };
 * ```
 */
export interface Rejection {
  /** What the attempt carried (from `authorizer.authorize`). */
  readonly authorization: Authorization;
  /** The request the attempt sent (see `AuthRequest`). */
  readonly request: AuthRequest;
  /** The answer (see {@link Answer}). */
  readonly answer: Answer;
  /** The call's re-sends so far. */
  readonly resends: ResendBudget;
  /** Whether the call's body can be sent again (see `isReplayableBody`). */
  readonly replayable: boolean;
}

/**
 * Whether to re-send the call of `rejection` (after `authorizer.wantsResend(answer)` said yes):
 * then authorize it again and send it once more; the answer to that goes through the same check.
 *
 * A DPoP nonce challenge (401 `use_dpop_nonce`) to a request that carried a proof is re-sent
 * once per call with the nonce, without touching the token or the re-authorization.
 *
 * The first rejection of a call re-authorizes it (the authorizer drops the token it carried and
 * the call's one re-authorization is used) unless the body cannot be sent again or the authorizer
 * declines (`retryOn401: false`, cooling down, an answer from where the token did not go). The
 * rejection of a fresh token (after the call's re-authorization) is reported to the authorizer:
 * re-authorization cools down, and the answer stands.
 *
 * @example
 * ```ts
 * let answer = answerOf(response);
 * while (authorizer.wantsResend(answer) && (await onRejected(authorizer, { authorization, request, answer, resends, replayable }))) {
 *   authorization = await authorizer.authorize(request);
 *   answer = answerOf((response = await send(authorization.headers)));
 * }
 * ```
 */
export async function onRejected(authorizer: Authorizer, rejection: Rejection): Promise<boolean> {
  const { authorization, request, answer, resends, replayable } = rejection;
  // A DPoP nonce challenge is not a token rejection (RFC 9449 §9): its own re-send, once. Only
  // an attempt that carried a proof can have one: the DPoP code is loaded then, not before.
  const nonce =
    authorization.headers.DPoP === undefined
      ? undefined
      : await (await import('./dpop/dpop-authorization.ts')).nonceChallengeResend(rejection);
  if (nonce !== undefined) return nonce;
  if (resends.reauthorized) {
    authorizer.refusedOnRetry(authorization, request.url, answer);
    return false;
  }
  if (!replayable || !(await authorizer.shouldRetry(authorization, request.url, answer)))
    return false;
  resends.reauthorize();
  return true;
}
