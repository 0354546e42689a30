/**
 * Room in ky's `retry.limit` for kyAuth's one re-send after a 401, kept out of the caller's
 * sight. ky counts a `ky.retry()` against the limit, and hands it to every `beforeRetry` hook;
 * with this room, the caller's `shouldRetry`, `beforeRetry` hooks and own forced retries see the
 * call as if the re-send had not happened.
 *
 * @module
 */
import { type AfterResponseHook, type BeforeRetryHook, isForceRetryError, type Options } from 'ky';
import { KyCall } from './ky-call.ts';

/**
 * Raises the call's `retry.limit` by `room` (the authorizer's `maxResends`: the re-authorization,
 * and a DPoP nonce re-send) and hides those re-sends from the caller's retry options and hooks
 * (see the module). `hidden` keeps the wrapper of each of the caller's hooks, made once per hook.
 * Nothing is reserved for a bad limit: ky reports it.
 *
 * @example
 * ```ts
 * init: [(options) => reserveResend(options, KyCall.start(options, authorizer), hidden)],
 * ```
 */
export function reserveResend(
  options: Options,
  call: KyCall,
  hidden: WeakMap<BeforeRetryHook, BeforeRetryHook>,
  room = 1,
): void {
  const { retry } = options;
  const limit = (typeof retry === 'number' ? retry : retry?.limit) ?? 2; // ky's default
  if (!Number.isInteger(limit) || limit < 0) return;
  call.limit = limit;
  const shouldRetry = typeof retry === 'object' ? retry.shouldRetry : undefined;
  options.retry = {
    ...(typeof retry === 'object' ? retry : undefined),
    limit: limit + room,
    // ky's own retries (not forced): within the caller's limit, counted without the re-send.
    shouldRetry: (state) => {
      const retryCount = state.retryCount - call.resends.count;
      if (retryCount > limit) return false;
      return shouldRetry?.(call.resends.count === 0 ? state : { ...state, retryCount });
    },
  };
  const { beforeRetry = [], afterResponse = [] } = options.hooks ?? {};
  // Nothing to hide nor bound: no hook of the caller's sees a retry or forces one (the common case).
  if (beforeRetry.length === 0 && afterResponse.every((hook) => ownHooks.has(hook))) return;
  const wrapped = beforeRetry.map((hook) => {
    let wrapper = hidden.get(hook);
    if (wrapper === undefined) {
      wrapper = hideResend(hook);
      hidden.set(hook, wrapper);
    }
    return wrapper;
  });
  options.hooks = { ...options.hooks, beforeRetry: [boundForcedRetries, ...wrapped] };
}

/**
 * The `afterResponse` hooks of kyAuth registrations: they force no retry but their re-send, so a
 * call whose other hooks are all kyAuth's needs no bound on forced retries.
 *
 * @example
 * ```ts
 * ownHooks.add(afterResponse);
 * ```
 */
export const ownHooks: WeakSet<AfterResponseHook> = new WeakSet();

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
