/**
 * What a gotAuth registration remembers about a request, kept in got's `context`, which got copies
 * into every retry and redirect hop. One module-level key, so that a request is authorized by one
 * registration only (the first whose origins it matches); each state names its owner, so that
 * every other registration leaves that request alone.
 */
import { type Authorization, ResendBudget } from '@tokenwise/core/adapter';
import { setAuthHeaders } from './auth-headers.ts';

/** The parts of got's `Options` the hooks use (the same in got 14 and 16). */
export interface HookOptions {
  readonly url?: string | URL | undefined;
  readonly method: string;
  readonly prefixUrl: string | URL;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly context: Record<string, unknown>;
  readonly body?: unknown;
  readonly signal?: AbortSignal | undefined;
  /** got's timeouts: `request` bounds the request, and separately the wait for its token. */
  readonly timeout: { readonly request?: number | undefined };
  /**
   * got's retry options (got types them `Partial`; got fills `limit` and `calculateDelay` in
   * every request; see `resend-room.ts` for the latter).
   */
  readonly retry: { readonly limit?: number | undefined; readonly calculateDelay?: unknown };
  /** got's hooks of the request (see `resend-room.ts` for `beforeRetry`). */
  readonly hooks: { readonly beforeRetry: readonly unknown[] };
}

/** What got hands `retry.calculateDelay`, as far as the hooks go. */
export interface RetryState {
  readonly attemptCount: number;
  readonly error: { readonly name: string; readonly options?: HookOptions };
  readonly retryOptions: { readonly limit: number };
}
/** got's `retry.calculateDelay`: the delay before the next attempt, 0 for none. */
export type CalculateDelay = (state: RetryState) => number | Promise<number>;
/** got's `beforeRetry` hook. */
export type BeforeRetryHook = (error: RetryState['error'], retryCount: number) => unknown;

/** The instance's base URL, kept in `context` so that retries (which reset `prefixUrl`) keep it. */
const baseKey = Symbol('tokenwise.baseUrl');
const sentKey = Symbol('tokenwise.sent');

/**
 * The options of requests a registration re-sends after their 401 → that registration. The mark
 * belongs to those options: only their re-send, the request got builds from them, is the one
 * re-send. A copy of `context` (in the re-send's own retries, or in a request the caller sends
 * again with `error.options`) carries no mark.
 */
const resent = new WeakMap<HookOptions, symbol>();

/**
 * What a request was sent with. Logged, it shows nothing: the options it points to carry the
 * token in their headers.
 */
export class Sent {
  // Private fields: a log of the request's `context` (even with custom inspectors bypassed)
  // shows neither the token nor the options whose headers carry it.
  readonly #options: HookOptions;
  readonly #auth: Authorization | undefined;
  /**
   * How many re-sends of the call (a DPoP nonce, a re-authorization) came before this attempt:
   * got's own retries after them are counted without them.
   */
  readonly resentTimes: number;

  constructor(
    /** The options this state belongs to: a copy in a retry's context is not the retry's state. */
    options: HookOptions,
    /** The registration that authorized the request (or saw the hop): only it acts on it. */
    readonly owner: symbol,
    /** The token and headers the request carried, if the owner authorized it. */
    auth: Authorization | undefined,
    /** The call's re-sends, shared by its attempts from the one re-send on. */
    readonly resends: ResendBudget,
  ) {
    this.#options = options;
    this.#auth = auth;
    this.resentTimes = resends.count;
  }

  /** The options this state belongs to. */
  get options(): HookOptions {
    return this.#options;
  }

  /** The token and headers the request carried, if the owner authorized it. */
  get auth(): Authorization | undefined {
    return this.#auth;
  }
}

Object.defineProperty(Sent.prototype, Symbol.for('nodejs.util.inspect.custom'), {
  value: (): string => 'Sent { [tokenwise request state] }',
});

function contextOf(options: HookOptions): Record<symbol, unknown> {
  return options.context as Record<symbol, unknown>;
}

/**
 * The state `options` carry in their `context`: theirs (see {@link sentWith}), or the one of the
 * attempt got copied them from (a retry, a re-send), if a registration handled either.
 *
 * @example
 * ```ts
 * const carried = carriedBy(request);
 * if (carried?.options === request) return; // this very request was authorized already
 * ```
 */
export function carriedBy(options: HookOptions): Sent | undefined {
  const state = contextOf(options)[sentKey];
  return state instanceof Sent ? state : undefined;
}

/** The state of the request `options` were sent as, if a registration handled it. */
export function sentWith(options: HookOptions): Sent | undefined {
  const state = carriedBy(options);
  return state?.options === options ? state : undefined;
}

/** Records the state of a request (or of a redirect hop, or of a hop no registration authorized). */
export function remember(state: Sent): void {
  contextOf(state.options)[sentKey] = state;
}

/**
 * Sets the headers of `auth` on `request` and remembers that `owner` sent it with them, counting
 * the call's re-sends in `resends` (see {@link resendsOf}). With a static `headers` option and a
 * Bearer token, `auth` sets every header the registration ever sets: they replace whatever the
 * caller gave under those names.
 *
 * @example
 * ```ts
 * attach(request, owner, await authorizer.authorize(url, wait), resendsOf(carried, owner, 0));
 * ```
 */
export function attach(
  request: HookOptions,
  owner: symbol,
  auth: Authorization,
  resends: ResendBudget,
): void {
  setAuthHeaders(request, auth);
  remember(new Sent(request, owner, auth, resends));
}

/** Marks the request as re-sent by `owner`: the request got builds from its options is the re-send. */
export function markResent(request: HookOptions, owner: symbol): void {
  resent.set(request, owner);
}

/**
 * The re-sends of the call `request` belongs to, for `owner`; `carried` is the state its options
 * carry (see {@link carriedBy}), `retryCount` got's count of the call's attempts so far (0 for a
 * new call). Those of the attempt before when `owner` re-sent the call already (its re-sends go
 * on being counted): `request` is that re-send (got built its options from options `owner`
 * marked), or one of got's own retries after it (a later attempt of the same call, whose copied
 * state says it followed the re-send). Else new ones: a call the caller starts again with
 * `error.options` starts at attempt 0, and gets a re-send of its own.
 *
 * @example
 * ```ts
 * const resends = resendsOf(carriedBy(request), registration, context?.retryCount ?? 0);
 * ```
 */
export function resendsOf(
  carried: Sent | undefined,
  owner: symbol,
  retryCount: number,
): ResendBudget {
  const resend =
    carried?.owner === owner &&
    (resent.get(carried.options) === owner || (carried.resentTimes > 0 && retryCount > 0));
  return resend ? carried.resends : new ResendBudget();
}

/**
 * How many of `owner`'s re-sends came before the attempt `options` were sent with (or failed
 * before being sent with): `attempt` is got's count of the call's attempts before it.
 */
export function resendsBefore(
  options: HookOptions | undefined,
  owner: symbol,
  attempt: number,
): number {
  const state = options === undefined ? undefined : carriedBy(options);
  if (state?.owner !== owner) return 0;
  return state.options === options || attempt > 0 ? state.resentTimes : 0;
}

/** Whether `error` is got's `RetryError` for `owner`'s re-send of the options it carries. */
export function isResendOf(error: RetryState['error'], owner: symbol): boolean {
  return (
    error.name === 'RetryError' &&
    error.options !== undefined &&
    resent.get(error.options) === owner
  );
}

/** Keeps the instance's `prefixUrl` as seen by the `init` hook, before a request overrides it. */
export function rememberBase(options: HookOptions): void {
  contextOf(options)[baseKey] = String(options.prefixUrl);
}

/** The instance's base URL (see {@link rememberBase}), else the request's `prefixUrl`. */
export function baseOf(options: HookOptions): string {
  return String(contextOf(options)[baseKey] ?? options.prefixUrl);
}
