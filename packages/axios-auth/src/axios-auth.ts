import {
  type AuthOptions,
  type Authorization,
  createAuthorizer,
  createRedirectGuard,
  isReplayableBody,
  type Token,
} from '@tokenwise/core';
import { redactedHeaderValue, redactSentHeaders } from '@tokenwise/core/adapter';
import type {
  AxiosError,
  AxiosInstance,
  AxiosRequestConfig,
  AxiosResponse,
  InternalAxiosRequestConfig,
} from 'axios';

declare module 'axios' {
  interface AxiosRequestConfig {
    /**
     * tokenwise: send this request without a token (and without the extra headers), even to an
     * allowed origin. Its 401 is not retried.
     *
     * @default false
     * @example
     * ```ts
     * await api.get('/health', { skipAuth: true });
     * ```
     */
    skipAuth?: boolean | undefined;
  }
}

/**
 * Options of {@link axiosAuth}: core's `AuthOptions` (`tokens`, `origins`, `headers`,
 * `retryOn401`). With no `origins`, the allowed origin is the one of the instance's `baseURL`
 * when `axiosAuth` is called; with no `baseURL` either, every request gets the token.
 *
 * @example
 * ```ts
 * const options: AxiosAuthOptions = { tokens, headers: { 'X-Tenant-Id': tenantId } };
 * ```
 */
export interface AxiosAuthOptions extends AuthOptions {}

type BeforeRedirect = NonNullable<AxiosRequestConfig['beforeRedirect']>;
/** Per-attempt state, kept on the config under a string key so that it survives axios's copies. */
type Config = InternalAxiosRequestConfig & { [stateKey]?: Sent | 'retry' | undefined };

const stateKey = 'tokenwise';
/** The token an attempt carried; private, so it never shows in a serialised config. */
class Sent {
  readonly #token: Token;
  /** The URL the attempt went to. */
  readonly url: string;
  /** The names of the headers this adapter set: `Authorization` and the extra headers. */
  readonly names: readonly string[];
  /** Whether this attempt is the one re-send after a 401. */
  readonly resent: boolean;
  constructor(token: Token, url: string, names: readonly string[], resent: boolean) {
    this.#token = token;
    this.url = url;
    this.names = names;
    this.resent = resent;
  }
  get token(): Token {
    return this.#token;
  }
}
/** On our redirect guards: the caller's own `beforeRedirect` that the guard wraps. */
const ownHook = Symbol('tokenwise.ownBeforeRedirect');
type Guard = BeforeRedirect & { [ownHook]: BeforeRedirect | undefined };

/**
 * Registers interceptors on an axios instance so that every request to an allowed origin carries
 * `Authorization: Bearer <token>` (plus the extra headers), and a 401 is answered by one re-send
 * with a fresh token. Returns a function that removes the interceptors.
 *
 * - Redirects (Node http adapter): the token and extra headers are dropped on any cross-origin
 *   hop. With the fetch adapter and extra headers, authorized requests do not follow redirects.
 * - A 401 invalidates the token that request sent (if still cached), and the request is re-sent
 *   once; a second 401 reaches the caller as axios's usual error (or response).
 * - Stream bodies cannot be replayed: their 401 is returned as is.
 * - When no token can be obtained, the manager's typed error (`TokenEndpointError`, …) rejects
 *   the call unchanged; an aborted `signal` gives axios's `CanceledError`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 * @example
 * ```ts
 * const api = axios.create({ baseURL: 'https://api.personify.com' });
 * const eject = axiosAuth(api, { tokens, headers: { 'X-Tenant-Id': tenantId } });
 * const { data } = await api.get('/v1/members');
 * eject(); // later: stop authorizing this instance
 * ```
 */
export function axiosAuth(instance: AxiosInstance, options: AxiosAuthOptions): () => void {
  const authorizer = createAuthorizer(options, instance.defaults.baseURL);
  const headerFunction = typeof options.headers === 'function';
  // axios caches a fetch adapter per `env.fetch` function and never evicts it: one guard per fetch.
  const guards = new WeakMap<typeof globalThis.fetch, typeof globalThis.fetch>();
  /** The fetch adapter's Request (its `response.request`) → the URL that answered it. */
  const answeredFrom = new WeakMap<object, string>();
  const guardFetch = (fetchImpl: typeof globalThis.fetch): typeof globalThis.fetch => {
    let guard = guards.get(fetchImpl);
    if (guard === undefined) {
      const follow = createRedirectGuard(fetchImpl, () => authorizer.sensitiveHeaders());
      guard = async (input, init) => {
        const response = await follow(input, init);
        if (input instanceof Request) answeredFrom.set(input, response.url);
        return response;
      };
      guards.set(fetchImpl, guard);
    }
    return guard;
  };
  /**
   * The URL that answered: after redirects, the http adapter's last response knows it
   * (follow-redirects' `responseUrl`), the fetch adapter's from our guard; else the request's.
   */
  const finalUrl = (response: AxiosResponse, sent: Sent): string => {
    const request: unknown = response.request;
    const fromHttp = (request as { res?: { responseUrl?: unknown } } | null)?.res?.responseUrl;
    if (typeof fromHttp === 'string') return fromHttp;
    return (
      (typeof request === 'object' && request !== null && answeredFrom.get(request)) || sent.url
    );
  };

  const authorize = async (config: Config): Promise<InternalAxiosRequestConfig> => {
    if (config.skipAuth === true) return config;
    const url = requestUrl(instance, config, headerFunction);
    if (url === undefined || !authorizer.appliesTo(url)) return config;
    const signal = config.signal instanceof AbortSignal ? config.signal : undefined;
    let auth: Authorization;
    try {
      auth = authorizer.authorizeNow(url, signal) ?? (await authorizer.authorize(url, signal));
    } catch (error) {
      // Aborted while waiting for a token: axios itself rejects with its CanceledError, unsent.
      if (config.signal?.aborted === true) return config;
      throw error;
    }
    const names = Object.keys(auth.headers);
    for (const name of names) config.headers.set(name, auth.headers[name]);
    guardRedirects(config, url, names, guardFetch);
    config[stateKey] = new Sent(auth.token, url, names, config[stateKey] === 'retry');
    return config;
  };

  /** After a 401 to a first attempt with a replayable body: invalidate, then re-send once. */
  const retry = async (config: Config | undefined, response: AxiosResponse | undefined) => {
    const sent = config?.[stateKey];
    if (config === undefined || response?.status !== 401 || !(sent instanceof Sent)) return;
    const from = finalUrl(response, sent);
    if (sent.resent) {
      authorizer.refusedOnRetry(sent.token, sent.url, from);
      return;
    }
    if (!isReplayableBody(config.data)) return;
    if (!(await authorizer.shouldRetry(sent.token, sent.url, from))) return;
    discard(response.data);
    const again: Config = { ...config, [stateKey]: 'retry' };
    return instance.request(again);
  };

  const request = instance.interceptors.request.use(authorize);
  const response = instance.interceptors.response.use(
    // Synchronous for all but a 401: axios need not wait for this interceptor.
    (res) => (res.status === 401 ? retry(res.config, res).then((again) => again ?? res) : res),
    async (error: unknown) => {
      const axiosError = isAxiosError(error) ? error : undefined;
      const res = await retry(axiosError?.config, axiosError?.response);
      if (res !== undefined) return res;
      if (axiosError !== undefined) redact(axiosError);
      throw error;
    },
  );
  return () => {
    instance.interceptors.request.eject(request);
    instance.interceptors.response.eject(response);
  };
}

/**
 * The URL axios sends `config` to: `baseURL` joined with `url` unless `url` is absolute. A header
 * function gets it as a `URL`, so then it must parse (else undefined: axios could not send it
 * either) and carry the query axios appends from `params`, for which `getUri()` is asked. It is
 * not asked otherwise: it merges the whole config again, which costs more than the rest of the
 * adapter.
 */
function requestUrl(
  instance: AxiosInstance,
  config: Config,
  headerFunction: boolean,
): string | undefined {
  if (!headerFunction) return joinUrl(config);
  const url = config.params != null ? instance.getUri(config) : joinUrl(config);
  return URL.canParse(url) ? url : undefined;
}

/** `baseURL` joined with `url` as axios joins them (`buildFullPath`), without the query params. */
function joinUrl(config: Config): string {
  const url = config.url ?? '';
  const base = config.baseURL;
  if (!base || (absoluteUrl.test(url) && config.allowAbsoluteUrls !== false)) return url;
  if (url === '') return base;
  const head = base.endsWith('/') ? base.replace(/\/+$/, '') : base;
  return `${head}/${url.startsWith('/') ? url.replace(/^\/+/, '') : url}`;
}

/** What axios counts as absolute: `<scheme>://` or protocol-relative `//`. */
const absoluteUrl = /^([a-z][a-z\d+\-.]*:)?\/\//i;

/** Drops the auth headers on cross-origin redirect hops, after the caller's own hook ran. */
function guardRedirects(
  config: Config,
  url: string,
  names: readonly string[],
  guardFetch: (fetchImpl: typeof globalThis.fetch) => typeof globalThis.fetch,
): void {
  const current = config.beforeRedirect;
  // A re-sent config carries the guard of its first attempt: wrap what that one wrapped.
  const own = current !== undefined && ownHook in current ? (current as Guard)[ownHook] : current;
  const guard = ((redirect, response, request) => {
    own?.(redirect, response, request);
    const href: unknown = redirect.href;
    const origin = new URL(url).origin;
    if (typeof href === 'string' && URL.canParse(href) && new URL(href).origin === origin) return;
    const sensitive = new Set(names.map((name) => name.toLowerCase()));
    const headers: Record<string, unknown> = redirect.headers ?? {};
    for (const name of Object.keys(headers)) {
      if (sensitive.has(name.toLowerCase())) delete headers[name];
    }
  }) as Guard;
  guard[ownHook] = own;
  config.beforeRedirect = guard;
  // The fetch adapter follows redirects inside fetch, which drops `Authorization` but not the
  // extra headers: give it a fetch that follows redirects itself and drops both.
  config.env = { ...config.env, fetch: guardFetch(config.env?.fetch ?? globalThis.fetch) };
}

/**
 * Hides the headers this adapter set (`Authorization`, the extra headers) in an error about to
 * reach the caller, so that logging it (`String`, `toJSON`, `util.inspect`) shows no token: in
 * its config (the response's is the same object) and in the request that was sent (the http
 * adapter's `ClientRequest`, or follow-redirects' wrapper on a network error; the fetch adapter's
 * `Request`). Sending `error.config` again works: the interceptor sets the headers anew.
 */
function redact(error: AxiosError): void {
  const config = error.config as Config | undefined;
  const sent = config?.[stateKey];
  if (!(sent instanceof Sent)) return;
  for (const name of sent.names)
    if (config?.headers.has(name)) config.headers.set(name, redactedHeaderValue);
  for (const request of new Set([error.request, error.response?.request]))
    redactSentHeaders(request, sent.names);
}

function isAxiosError(error: unknown): error is AxiosError {
  return (error as { isAxiosError?: unknown } | null)?.isAxiosError === true;
}

function discard(data: unknown): void {
  if (typeof (data as { destroy?: unknown } | null)?.destroy === 'function') {
    (data as { destroy(): void }).destroy();
  } else if (data instanceof ReadableStream) {
    data.cancel().catch(() => {});
  }
}
