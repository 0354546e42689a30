/**
 * Room in ky's `retry.limit` for kyAuth's one re-send after a 401, kept out of the caller's
 * sight. ky counts a `ky.retry()` against the limit, and hands it to every `beforeRetry` hook;
 * with this room, the caller's `shouldRetry`, `beforeRetry` hooks and own forced retries see the
 * call as if the re-send had not happened.
 *
 * @module
 */
import { type BeforeRetryHook, isForceRetryError, type Options } from 'ky';
import { KyCall } from './ky-call.ts';

/**
 * Raises the call's `retry.limit` by `room` (the authorizer's `maxResends`: the re-authorization,
 * and a DPoP nonce re-send) and hides those re-sends from the caller's retry options and hooks
 * (see the module). `hidden` keeps the wrapper of each of the caller's hooks, made once per hook.
 * Nothing is reserved for a bad limit: ky reports it.
 *
 * @example
 * ```ts
 * init: [(options) => reserveResend(options, KyCall.start(options, authorizer), hidden, authorizer.maxResends)],
 * ```
 */
export function reserveResend(
  options: Options,
  call: KyCall,
  hidden: WeakMap<BeforeRetryHook, BeforeRetryHook>,
  room: number,
): void {
  const retry = typeof options.retry === 'number' ? { limit: options.retry } : { ...options.retry };
  const limit = retry.limit ?? 2; // ky's default
  if (!Number.isInteger(limit) || limit < 0) return;
  call.limit = limit;
  const { shouldRetry } = retry;
  options.retry = {
    ...retry,
    limit: limit + room,
    // ky's own retries (not forced): within the caller's limit, counted without the re-send.
    shouldRetry: (state) => {
      const retryCount = state.retryCount - call.resends.count;
      if (retryCount > limit) return false;
      return shouldRetry?.(call.resends.count === 0 ? state : { ...state, retryCount });
    },
  };
  const own = options.hooks?.beforeRetry ?? [];
  const wrapped = own.map((hook) => {
    let wrapper = hidden.get(hook);
    if (wrapper === undefined) {
      wrapper = hideResend(hook);
      hidden.set(hook, wrapper);
    }
    return wrapper;
  });
  options.hooks = { ...options.hooks, beforeRetry: [boundForcedRetries, ...wrapped] };
}

/** The caller's `beforeRetry` hook, skipped for the re-send and counting retries without it. */
function hideResend(hook: BeforeRetryHook): BeforeRetryHook {
  return (state) => {
    const call = KyCall.of(state.options);
    if (call === undefined || call.resends.count === 0) return hook(state);
    if (call.isResend(state.error)) return undefined;
    return hook({ ...state, retryCount: state.retryCount - call.resends.count });
  };
}

/**
 * Keeps the caller's own forced retries (`ky.retry()` from their `afterResponse` hooks) within
 * their limit, which ky would let them exceed by the room made for the re-send: the one beyond it
 * fails as ky fails it, with its `ForceRetryError`.
 */
const boundForcedRetries: BeforeRetryHook = ({ error, retryCount, options }) => {
  const call = KyCall.of(options);
  if (call?.limit === undefined || !isForceRetryError(error) || call.isResend(error)) return;
  if (retryCount - call.resends.count > call.limit) throw error;
};
