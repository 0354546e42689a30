/**
 * Keeping the headers one attempt carries on the origin they were sent to, through both of
 * axios's ways of following redirects, and telling where its answer came from: which URL, and
 * whether the headers were dropped on the way.
 *
 * @module
 */
import {
  type Answer,
  answerFrom,
  answerOf,
  dropOnCrossOriginHop,
  fetchWithRedirectGuard,
  type RedirectStep,
  type RedirectTrail,
} from '@tokenwise/core/adapter';
import type { AxiosRequestConfig, AxiosResponse } from 'axios';

type Fetch = typeof globalThis.fetch;
type BeforeRedirect = NonNullable<AxiosRequestConfig['beforeRedirect']>;
type FetchOptions = NonNullable<AxiosRequestConfig['fetchOptions']>;

/** Where an attempt travels in the `fetchOptions` axios's fetch adapter hands its `fetch`. */
const attemptKey = Symbol('tokenwise.attempt');

/**
 * The redirect guard of one attempt to `url` that carries the headers `names`: the http adapter
 * (follow-redirects) calls its {@link AttemptGuard.beforeRedirect}; axios's fetch adapter sends
 * through {@link guardedFetch}, which finds the attempt in its `fetchOptions`.
 *
 * @example
 * ```ts
 * const guard = new AttemptGuard(url, Object.keys(auth.headers), config.beforeRedirect);
 * const response = await adapter({ ...config, beforeRedirect: guard.beforeRedirect, fetchOptions: guard.fetchOptions(config.fetchOptions) });
 * if (authorizer.wantsResend(guard.answer(response))) …
 * ```
 */
export class AttemptGuard {
  /** The first hop the http adapter sent without the headers. */
  #droppedAt: string | undefined;
  /** Where the fetch adapter's answer came from, as the guarded fetch saw it. */
  #answer: Answer | undefined;
  /** Where the answer came from when the adapter followed the redirects itself (DPoP, http). */
  #followed: RedirectTrail | undefined;

  constructor(
    /** The full URL of the attempt. */
    readonly url: string,
    /** The headers the attempt carries: what a hop to another origin must not. */
    readonly names: readonly string[],
    private readonly own: BeforeRedirect | undefined,
    /** What each hop on the origin needs anew: a DPoP request's proof (`redirectStepFor`). */
    readonly onHop?: RedirectStep | undefined,
  ) {}

  /**
   * The caller's own `beforeRedirect`, for a hop the adapter follows itself (a DPoP request): it
   * is given what follow-redirects gives it, and may change the hop's `headers` in `options`.
   */
  callersHook(
    options: { href: string; method: string; headers: Record<string, unknown> },
    response: { headers: Record<string, unknown>; statusCode: number },
  ): void {
    (this.own as ((...args: unknown[]) => void) | undefined)?.(options, response, {
      url: this.#followed?.url ?? this.url,
    });
  }

  /** The caller's own `beforeRedirect` first, then the headers dropped off the origin. */
  readonly beforeRedirect: BeforeRedirect = (redirect, response, request) => {
    this.own?.(redirect, response, request);
    const to: unknown = redirect.href;
    const headers: Record<string, unknown> = redirect.headers ?? {};
    // The headers stay dropped on later hops, even back to the attempt's origin.
    if (dropOnCrossOriginHop(this.url, String(to), headers, this.names))
      this.#droppedAt ??= String(to);
  };

  /** The caller's `fetchOptions` with this attempt in them, for {@link guardedFetch}. */
  fetchOptions(own: AxiosRequestConfig['fetchOptions']): FetchOptions {
    return { ...own, [attemptKey]: this } as unknown as FetchOptions;
  }

  /**
   * What `response` to the attempt says about the token: its status and headers (made on first
   * read) and where it came from: the http adapter's last response knows the URL
   * (follow-redirects' `responseUrl`), the guards where the headers were dropped; the fetch
   * adapter's guarded fetch saw it; else the attempt's URL.
   */
  answer(response: AxiosResponse): Answer {
    const fromHttp = (response.request as { res?: { responseUrl?: unknown } } | null)?.res
      ?.responseUrl;
    const fetched = typeof fromHttp === 'string' ? undefined : this.#answer;
    const url =
      typeof fromHttp === 'string' ? fromHttp : (fetched?.url ?? this.#followed?.url ?? this.url);
    const tokenDroppedAt =
      typeof fromHttp === 'string'
        ? this.#droppedAt
        : (fetched?.tokenDroppedAt ?? this.#followed?.droppedAt);
    const headers = fetched?.headers ?? (response.headers as Record<string, unknown>);
    return answerFrom(url, response.status, headers, tokenDroppedAt);
  }

  /** Records where the fetch adapter's answer came from. */
  answered(answer: Answer): void {
    this.#answer = answer;
  }

  /** Records the trail of the hops the adapter follows itself: where the answer came from. */
  followed(trail: RedirectTrail): void {
    this.#followed = trail;
  }
}

/** One guard per `fetch`: axios keeps a fetch adapter for each `env.fetch` it meets, for good. */
const guards = new WeakMap<Fetch, Fetch>();

/**
 * `fetchImpl` behind a redirect guard, for axios's fetch adapter (`env.fetch`): a request whose
 * `fetchOptions` carry an {@link AttemptGuard} follows redirects without its headers beyond the
 * origin; any other goes to `fetchImpl` as it is. The same function for the same `fetchImpl`,
 * holding nothing of any registration, so that what axios keeps of it keeps no token manager.
 *
 * @example
 * ```ts
 * config.env = { ...config.env, fetch: guardedFetch(config.env?.fetch ?? globalThis.fetch) };
 * ```
 */
export function guardedFetch(fetchImpl: Fetch): Fetch {
  let guard = guards.get(fetchImpl);
  if (guard === undefined) {
    guard = async (input, init) => {
      const attempt = (init as { [attemptKey]?: unknown } | undefined)?.[attemptKey];
      if (!(attempt instanceof AttemptGuard)) return fetchImpl(input, init);
      const response = await fetchWithRedirectGuard(fetchImpl, input, init, {
        sensitiveHeaders: attempt.names,
        onHop: attempt.onHop,
      });
      attempt.answered(answerOf(response));
      return response;
    };
    guards.set(fetchImpl, guard);
  }
  return guard;
}
