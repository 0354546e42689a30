/**
 * Keeping the headers one registration sets on the origin they were sent to, through both of
 * axios's ways of following redirects, and telling where the answer came from: which URL, and
 * whether the headers were dropped on the way.
 *
 * @module
 */
import {
  type Answer,
  type Authorizer,
  answerOf,
  createRedirectGuard,
} from '@tokenwise/core/adapter';
import type { AxiosRequestConfig, AxiosResponse, InternalAxiosRequestConfig } from 'axios';

type Fetch = typeof globalThis.fetch;
type BeforeRedirect = NonNullable<AxiosRequestConfig['beforeRedirect']>;
/** The members of a config that decide how an adapter follows redirects. */
export type RedirectHooks = Required<Pick<InternalAxiosRequestConfig, 'beforeRedirect' | 'env'>>;

/**
 * The redirect guards of one `axiosAuth` registration (see {@link redirectGuards}).
 *
 * @example
 * ```ts
 * const guard = guards.attempt(config, url, ['Authorization']);
 * const response = await adapter({ ...config, headers, ...guard.hooks });
 * await authorizer.shouldRetry(token, url, guard.answer(response));
 * ```
 */
export interface RedirectGuards {
  /** The guard of one attempt to `url` that carries the headers `names`. */
  attempt(config: InternalAxiosRequestConfig, url: string, names: readonly string[]): AttemptGuard;
}

/**
 * The redirect guard of one attempt (see {@link RedirectGuards.attempt}).
 *
 * @example
 * ```ts
 * const { hooks, answer } = guards.attempt(config, url, Object.keys(auth.headers));
 * ```
 */
export interface AttemptGuard {
  /**
   * The attempt's redirect hooks: for the http adapter, a `beforeRedirect` that runs the caller's
   * own first, then drops the headers on any hop to another origin than the attempt's; for the
   * fetch adapter (whose `fetch` drops `Authorization` but not the extra headers), an `env.fetch`
   * that follows redirects itself and drops both.
   */
  readonly hooks: RedirectHooks;
  /**
   * Where `response` to the attempt came from: after redirects, the http adapter's last response
   * knows the URL (follow-redirects' `responseUrl`) and the `beforeRedirect` hook where it dropped
   * the headers; the fetch adapter's guard knows both; else the attempt's URL.
   */
  answer(response: AxiosResponse): Answer;
}

/**
 * The redirect guards of the headers `authorizer` sets.
 *
 * @example
 * ```ts
 * const guards = redirectGuards(authorizer);
 * ```
 */
export function redirectGuards(authorizer: Authorizer): RedirectGuards {
  // axios caches a fetch adapter per `env.fetch` function and never evicts it: one per fetch.
  const fetches = new WeakMap<Fetch, Fetch>();
  /** The fetch adapter's `Request` (its `response.request`) → where its answer came from. */
  const answers = new WeakMap<object, Answer>();
  const guarded = (fetchImpl: Fetch): Fetch => {
    let guard = fetches.get(fetchImpl);
    if (guard === undefined) {
      const follow = createRedirectGuard(fetchImpl, () => authorizer.sensitiveHeaders());
      guard = async (input, init) => {
        const response = await follow(input, init);
        if (input instanceof Request) answers.set(input, answerOf(response));
        return response;
      };
      fetches.set(fetchImpl, guard);
    }
    return guard;
  };
  return {
    attempt(config, url, names) {
      const own = config.beforeRedirect;
      /** The first hop the http adapter sent without the headers. */
      let tokenDroppedAt: string | undefined;
      const beforeRedirect: BeforeRedirect = (redirect, response, request) => {
        own?.(redirect, response, request);
        const href: unknown = redirect.href;
        if (typeof href === 'string' && URL.canParse(href)) {
          if (new URL(href).origin === new URL(url).origin) return;
        }
        // The headers stay dropped on later hops, even back to the attempt's origin.
        tokenDroppedAt ??= String(href);
        const sensitive = new Set(names.map((name) => name.toLowerCase()));
        const headers: Record<string, unknown> = redirect.headers ?? {};
        for (const name of Object.keys(headers)) {
          if (sensitive.has(name.toLowerCase())) delete headers[name];
        }
      };
      const fetch = guarded(config.env?.fetch ?? globalThis.fetch);
      return {
        hooks: { beforeRedirect, env: { ...config.env, fetch } },
        answer(response) {
          const request = response.request as { res?: { responseUrl?: unknown } } | null;
          const fromHttp = request?.res?.responseUrl;
          if (typeof fromHttp === 'string')
            return tokenDroppedAt === undefined
              ? { url: fromHttp }
              : { url: fromHttp, tokenDroppedAt };
          // WeakMap#get answers undefined for anything that is not an object.
          return answers.get(request as object) ?? { url };
        },
      };
    },
  };
}
