/**
 * What the kyAuth registrations of one ky client know about one call (one `api.get(…)`, all its
 * attempts), kept in the call's `context`, which ky hands every hook of the call: the first
 * registration's `init` hook makes it, the first whose origins match the URL authorizes the call.
 *
 * @module
 */
import {
  type Authorization,
  type Authorizer,
  type AuthRequest,
  isReplayableBody,
  type Rejection,
  ResendBudget,
  type TokenWait,
} from '@tokenwise/core/adapter';
import ky, { isForceRetryError, type NormalizedOptions, type Options, TimeoutError } from 'ky';

/**
 * What the owner authorized an attempt of the call with: the request as described to the
 * authorizer (see `describeRequest`).
 */
interface Sent extends Pick<Rejection, 'authorization'> {
  readonly request: AuthRequest;
}

/** Where a call's state is kept in its `context`. */
const callKey = Symbol('tokenwise.kyCall');

/** The options a hook gets, as far as the call state goes. */
type WithContext = Pick<Options | NormalizedOptions, 'context'>;

/**
 * One call as kyAuth sees it. Logged with its `context`, it shows no token: the token sent is a
 * private field.
 *
 * @example
 * ```ts
 * const call = KyCall.of(options);
 * if (call?.owner === authorizer) call.attach(request, described, authorization);
 * ```
 */
export class KyCall {
  /** The `fetch` ky sends with: the redirects kyAuth follows go through it too. */
  readonly fetch: typeof globalThis.fetch;
  /** ky's per-attempt `timeout`, which also bounds the wait for a token and the redirect hops. */
  readonly timeout: number | false;
  /** Whether the body can be sent again (none, or not a stream). */
  readonly replayable: boolean;
  /** The registration that follows the call's redirects (its `init` set `redirect: 'manual'`). */
  readonly follower: Authorizer | undefined;
  /** The registration that authorized the call: the first whose origins its URL matches. */
  owner: Authorizer | undefined;
  /** The call's re-sends, counted by core's `onRejected`. */
  readonly resends: ResendBudget = new ResendBudget();
  /** The caller's `retry.limit`, once room for the re-send was made beside it (see `resend-room.ts`). */
  limit: number | undefined;
  /** The request of the re-send, as given to `ky.retry()`: how its `ForceRetryError` is told. */
  #resend: Request | undefined;
  #sent: Sent | undefined;

  private constructor(options: Options, follower: Authorizer | undefined) {
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.timeout = options.timeout ?? 10_000;
    this.replayable = isReplayableBody(options.body);
    this.follower = follower;
  }

  /**
   * The state of the call `options` belong to, made by the first registration's `init` hook: it
   * follows the call's redirects unless the caller asked for other redirect handling.
   */
  static start(options: Options, registration: Authorizer): KyCall {
    options.context ??= {};
    const context = options.context as Record<symbol, unknown>;
    const known = context[callKey];
    if (known instanceof KyCall) return known;
    const follows = (options.redirect ?? 'follow') === 'follow';
    if (follows) options.redirect = 'manual';
    const call = new KyCall(options, follows ? registration : undefined);
    context[callKey] = call;
    return call;
  }

  /** The state of the call, if a registration started it (not for `skipAuth` calls). */
  static of(options: WithContext): KyCall | undefined {
    const call = (options.context as Record<symbol, unknown> | undefined)?.[callKey];
    return call instanceof KyCall ? call : undefined;
  }

  /** The request and authorization of the call's last attempt. */
  get sentWith(): Sent | undefined {
    return this.#sent;
  }

  /** Records what the owner authorized the call with. */
  sent(sent: Sent): void {
    this.#sent = sent;
  }

  /** Sets the headers of `authorization` on `request`, and records it as the call's last attempt. */
  attach(request: Request, described: AuthRequest, authorization: Authorization): void {
    for (const name of Object.keys(authorization.headers))
      request.headers.set(name, authorization.headers[name] as string);
    this.#sent = { authorization, request: described };
  }

  /** How long to wait for a token for `request`: its signal, and ky's `timeout`. */
  wait(request: Request): TokenWait {
    return {
      signal: request.signal,
      timeout: this.timeout,
      timeoutError: () => new TimeoutError(request),
    };
  }

  /** The one re-send of `request` with `headers` set, through `ky.retry()`. */
  resend(request: Request, headers: Readonly<Record<string, string>>): ReturnType<typeof ky.retry> {
    const resentHeaders = new Headers(request.headers);
    for (const name of Object.keys(headers)) resentHeaders.set(name, headers[name] as string);
    this.#resend = new Request(request, { headers: resentHeaders });
    return ky.retry({ request: this.#resend, delay: 0, code: 'TOKEN_RENEWED' });
  }

  /** Whether `error` is the `ForceRetryError` of this call's re-send after a 401. */
  isResend(error: unknown): boolean {
    return isForceRetryError(error) && error.customRequest === this.#resend && !!this.#resend;
  }
}

Object.defineProperty(KyCall.prototype, Symbol.for('nodejs.util.inspect.custom'), {
  value: (): string => 'KyCall { [tokenwise call state] }',
});
