/**
 * gotAuth's re-send after a 401, kept out of the caller's retries. got re-sends through its
 * retry machinery (`retryWithMergedOptions` throws a `RetryError`), which asks
 * `retry.calculateDelay` about it, runs every `beforeRetry` hook for it, and counts it; gotAuth
 * raises `retry.limit` by one for it, and wraps those two so that they see the call as if the
 * re-send had not happened.
 *
 * @module
 */
import {
  type Answer,
  type Authorizer,
  isReplayableBody,
  onRejected,
} from '@tokenwise/core/adapter';
import { type HookResponse, requestOf } from './auth-request.ts';
import {
  type BeforeRetryHook,
  type CalculateDelay,
  type HookOptions,
  isResendOf,
  markResent,
  resendsBefore,
  sentWith,
} from './request-state.ts';

/**
 * What the 401 hook merges into the re-sent request's options (see {@link resendRejected}).
 *
 * @example
 * ```ts
 * retryWithMergedOptions({ preserveHooks: true, retry: { limit: 3 } } satisfies ResendOptions);
 * ```
 */
export interface ResendOptions {
  readonly preserveHooks: true;
  readonly retry: { readonly limit: number };
}

/**
 * Re-sends the request `response` answers once, with a fresh token, when `answer` (which
 * `authorizer` wants re-sent) rejects the token it carried: unless `owner` did not authorize it,
 * it was the re-send, or its body cannot go again (then `response`, as is). The remaining hooks
 * are kept (got drops them by default), so that those registered after this one see the re-sent
 * request's answer, and the rejection is seen by those before it only.
 *
 * @example
 * ```ts
 * if (authorizer.wantsResend(answer)) return resendRejected(response, answer, retry, authorizer, owner);
 * ```
 */
export async function resendRejected<R extends HookResponse>(
  response: R,
  answer: Answer,
  retryWithMergedOptions: (options: ResendOptions) => never,
  authorizer: Authorizer,
  owner: symbol,
): Promise<R> {
  const { options: request } = response.request;
  const state = sentWith(request);
  if (state?.owner !== owner || state.auth === undefined) return response;
  const rejection = {
    authorization: state.auth,
    request: requestOf(request),
    answer,
    resends: state.resends,
    replayable: isReplayableBody(request.body),
  };
  if (!(await onRejected(authorizer, rejection))) return response;
  markResent(request, owner);
  return retryWithMergedOptions({ preserveHooks: true, ...makeRoomForResend(request, owner) });
}

/** Marks the wrappers made here: a call's options are wrapped once, whoever re-sends. */
const hiding = Symbol('tokenwise.hidesResend');
type Wrapper<F> = F & { [hiding]?: true };

/**
 * Wraps, in the options of the request about to be re-sent (and so of every later attempt of the
 * call), the caller's `calculateDelay` and `beforeRetry` hooks: the re-send is not shown to them,
 * and the attempts after it are counted without it. Returns the merge that makes room for it.
 */
function makeRoomForResend(options: HookOptions, owner: symbol): { retry: { limit: number } } {
  // got's own objects for this request (copied for each attempt), which `HookOptions` leaves open.
  const retry = options.retry as { calculateDelay?: Wrapper<CalculateDelay>; limit?: number };
  const hooks = options.hooks.beforeRetry as Wrapper<BeforeRetryHook>[];
  const delay = retry.calculateDelay;
  if (delay !== undefined && delay[hiding] !== true)
    retry.calculateDelay = hideFromDelay(delay, owner);
  hooks.forEach((hook, at) => {
    if (hook[hiding] !== true) hooks[at] = hideFromHook(hook, owner);
  });
  return { retry: { limit: (retry.limit ?? 0) + 1 } };
}

function hideFromDelay(calculateDelay: CalculateDelay, owner: symbol): CalculateDelay {
  const wrapper: Wrapper<CalculateDelay> = (state) => {
    // got re-sends after a timer: 1 ms is what it computes for a RetryError itself.
    if (isResendOf(state.error, owner)) return 1;
    const before = resendsBefore(state.error.options, owner, state.attemptCount - 1);
    if (before === 0) return calculateDelay(state);
    const { attemptCount, retryOptions } = state;
    return calculateDelay({
      ...state,
      attemptCount: attemptCount - before,
      retryOptions: { ...retryOptions, limit: retryOptions.limit - before },
    });
  };
  wrapper[hiding] = true;
  return wrapper;
}

function hideFromHook(hook: BeforeRetryHook, owner: symbol): BeforeRetryHook {
  const wrapper: Wrapper<BeforeRetryHook> = (error, retryCount) => {
    if (isResendOf(error, owner)) return undefined;
    return hook(error, retryCount - resendsBefore(error.options, owner, retryCount - 1));
  };
  wrapper[hiding] = true;
  return wrapper;
}
