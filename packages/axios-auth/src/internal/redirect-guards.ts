/**
 * Keeping the headers one registration sets on the origin they were sent to, through both of
 * axios's ways of following redirects, and telling which URL finally answered.
 *
 * @module
 */
import { type Authorizer, createRedirectGuard } from '@tokenwise/core';
import type { AxiosRequestConfig, AxiosResponse, InternalAxiosRequestConfig } from 'axios';

type Fetch = typeof globalThis.fetch;
type BeforeRedirect = NonNullable<AxiosRequestConfig['beforeRedirect']>;
/** The members of a config that decide how an adapter follows redirects. */
export type RedirectHooks = Pick<InternalAxiosRequestConfig, 'beforeRedirect' | 'env'>;

/**
 * The redirect guards of one `axiosAuth` registration (see {@link redirectGuards}).
 *
 * @example
 * ```ts
 * const outgoing = { ...config, headers, ...guards.hooks(config, url, ['Authorization']) };
 * const from = guards.finalUrl(await adapter(outgoing), url);
 * ```
 */
export interface RedirectGuards {
  /**
   * The redirect hooks of an attempt to `url` that carries the headers `names`: for the http
   * adapter, a `beforeRedirect` that runs the caller's own first, then drops them on any hop to
   * another origin; for the fetch adapter (whose `fetch` drops `Authorization` but not the extra
   * headers), an `env.fetch` that follows redirects itself and drops both.
   */
  hooks(config: InternalAxiosRequestConfig, url: string, names: readonly string[]): RedirectHooks;
  /**
   * The URL that answered `response` to an attempt sent to `url`: after redirects, the http
   * adapter's last response knows it (follow-redirects' `responseUrl`), the fetch adapter's from
   * the guard; else `url`.
   */
  finalUrl(response: AxiosResponse, url: string): string;
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
  /** The fetch adapter's `Request` (its `response.request`) → the URL that answered it. */
  const answeredFrom = new WeakMap<object, string>();
  const guarded = (fetchImpl: Fetch): Fetch => {
    let guard = fetches.get(fetchImpl);
    if (guard === undefined) {
      const follow = createRedirectGuard(fetchImpl, () => authorizer.sensitiveHeaders());
      guard = async (input, init) => {
        const response = await follow(input, init);
        if (input instanceof Request) answeredFrom.set(input, response.url);
        return response;
      };
      fetches.set(fetchImpl, guard);
    }
    return guard;
  };
  return {
    hooks(config, url, names) {
      const own = config.beforeRedirect;
      const beforeRedirect: BeforeRedirect = (redirect, response, request) => {
        own?.(redirect, response, request);
        const href: unknown = redirect.href;
        if (typeof href === 'string' && URL.canParse(href)) {
          if (new URL(href).origin === new URL(url).origin) return;
        }
        const sensitive = new Set(names.map((name) => name.toLowerCase()));
        const headers: Record<string, unknown> = redirect.headers ?? {};
        for (const name of Object.keys(headers)) {
          if (sensitive.has(name.toLowerCase())) delete headers[name];
        }
      };
      const fetch = guarded(config.env?.fetch ?? globalThis.fetch);
      return { beforeRedirect, env: { ...config.env, fetch } };
    },
    finalUrl(response, url) {
      const request = response.request as { res?: { responseUrl?: unknown } } | null;
      const fromHttp = request?.res?.responseUrl;
      if (typeof fromHttp === 'string') return fromHttp;
      // WeakMap#get answers undefined for anything that is not an object.
      return answeredFrom.get(request as object) || url;
    },
  };
}
