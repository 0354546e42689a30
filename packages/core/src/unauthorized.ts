/**
 * What an adapter does with a 401: the one rule every adapter follows, so that none has a policy
 * of its own.
 *
 * @module
 */
import type { Authorizer } from './authorizer.ts';
import type { Answer } from './redirect-guard.ts';
import type { Token } from './token.ts';

/**
 * A 401 to one attempt of a call, as the adapter saw it.
 *
 * @example
 * ```ts
 * const unauthorized: Unauthorized = { token, url, answer: answerOf(response), resent: false, replayable: true };
 * ```
 */
export interface Unauthorized {
  /** The token the attempt carried. */
  readonly token: Token;
  /** The URL the attempt was sent to. */
  readonly url: string | URL;
  /** Where the 401 came from (see {@link Answer}). */
  readonly answer: Answer;
  /** Whether the attempt was the call's one re-send (or came after it, as a client's retry). */
  readonly resent: boolean;
  /** Whether the call's body can be sent again (see `isReplayableBody`). */
  readonly replayable: boolean;
}

/**
 * Whether to re-send a call once with a fresh token after the 401 `unauthorized`. Never after
 * the call's re-send, whose 401 is reported to the authorizer (`refusedOnRetry`: a fresh token
 * refused, re-authorization cools down), nor for a body that cannot be sent again; otherwise as
 * the authorizer decides (`shouldRetry`, which drops the token the attempt carried).
 *
 * @example
 * ```ts
 * if (response.status === 401 && (await onUnauthorized(authorizer, { token, url, answer: answerOf(response), resent, replayable }))) {
 *   const fresh = await authorizer.authorize(url);
 *   // … send once more with fresh.headers
 * }
 * ```
 */
export async function onUnauthorized(
  authorizer: Authorizer,
  { token, url, answer, resent, replayable }: Unauthorized,
): Promise<boolean> {
  if (resent) {
    authorizer.refusedOnRetry(token, url, answer);
    return false;
  }
  return replayable && (await authorizer.shouldRetry(token, url, answer));
}
