/**
 * Redirects of a DPoP request through axios's http adapter, followed here: follow-redirects calls
 * `beforeRedirect` synchronously, and a hop's proof (signed with WebCrypto) cannot be made in
 * time. The adapter sends each hop with `maxRedirects: 0`, as follow-redirects would (the fetch
 * standard's method rewrite, at most `maxRedirects` hops, its error past them), with a fresh
 * proof on each hop that stays on the origin and neither the token nor a proof beyond it.
 *
 * Loaded with the first such request (`import()`): other users of axios-auth never carry it.
 *
 * @module
 */
import { headersOf, isRedirect, nextHop, type RedirectStep } from '@tokenwise/core/adapter';
import {
  type AxiosAdapter,
  AxiosError,
  AxiosHeaders,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
  isAxiosError,
} from 'axios';

type Config = InternalAxiosRequestConfig;

/** follow-redirects' limit when axios's `maxRedirects` is not set. */
const defaultMaxRedirects = 21;

/** What {@link sendFollowing} needs besides the config: where it goes, and what hops need. */
export interface Following {
  /** The full URL of the request. */
  readonly url: string;
  /** The headers dropped on the first hop to another origin. */
  readonly names: readonly string[];
  /** A fresh proof for each hop on the origin. */
  readonly onHop: RedirectStep;
  /** Whether the request's body can be sent again (on a 307/308). */
  readonly replayable: boolean;
}

/** Where the answer came from: its URL, and the first hop sent without the headers. */
export interface Followed {
  readonly url: string;
  readonly droppedAt: string | undefined;
}

/**
 * Sends `config` through `adapter` with `maxRedirects: 0` and follows its redirects here (see
 * the module). Resolves or rejects as axios does with the final answer; past the limit, with
 * follow-redirects' error as axios gives it (`ERR_FR_TOO_MANY_REDIRECTS`). A 307/308 of a body
 * that cannot be sent again is the answer. `followed` learns where the answer came from.
 *
 * @example
 * ```ts
 * const response = await sendFollowing(adapter, config, { url, names, onHop, replayable }, (at) => guard.followed(at));
 * ```
 */
export async function sendFollowing(
  adapter: AxiosAdapter,
  config: Config,
  { url: first, names, onHop, replayable }: Following,
  followed: (at: Followed) => void,
): Promise<AxiosResponse> {
  const limit = config.maxRedirects ?? defaultMaxRedirects;
  let hopConfig: Config = { ...config, maxRedirects: 0 };
  let url = first;
  let droppedAt: string | undefined;
  for (let hops = 0; ; hops++) {
    const sent = await sendOnce(adapter, hopConfig);
    followed({ url, droppedAt });
    const { response } = sent;
    const location: unknown = response.headers.location;
    if (typeof location !== 'string') return sent.settle();
    const hop = isRedirect(response.status, location)
      ? nextHop(url, response.status, location, hopConfig.method ?? 'get')
      : undefined;
    if (hop === undefined || (hop.sendsBody && hopConfig.data != null && !replayable))
      return sent.settle();
    if (hops >= limit) throw tooManyRedirects(config, response);
    release(response.data);
    const headers = AxiosHeaders.from(hopConfig.headers);
    if (!hop.sameOrigin) {
      for (const name of names) headers.delete(name);
      droppedAt ??= hop.url.href;
    }
    if (!hop.sendsBody) {
      headers.delete('content-type');
      headers.delete('content-length');
    }
    const redirect = { url, headers: headersOf(response.headers as Record<string, unknown>) };
    url = hop.url.href;
    if (droppedAt === undefined) headers.set(await onHop({ url, method: hop.method, redirect }));
    // The hop's URL is absolute and complete: no base URL before it, no `params` after it.
    const { baseURL: _, params: __, ...rest } = hopConfig;
    const data: unknown = hop.sendsBody ? hopConfig.data : undefined;
    hopConfig = { ...rest, url, method: hop.method.toLowerCase(), data, headers };
  }
}

/** One send: the response (also that of axios's HTTP error), and the outcome to hand on. */
async function sendOnce(
  adapter: AxiosAdapter,
  config: Config,
): Promise<{ readonly response: AxiosResponse; settle(): AxiosResponse }> {
  try {
    const response = await adapter(config);
    return { response, settle: () => response };
  } catch (error) {
    if (!isAxiosError(error) || error.response === undefined) throw error;
    return {
      response: error.response,
      settle: () => {
        throw error;
      },
    };
  }
}

/**
 * follow-redirects' error past the limit (`ERR_FR_TOO_MANY_REDIRECTS`), wrapped as axios's http
 * adapter wraps it: the error a caller gets without DPoP.
 */
function tooManyRedirects(config: Config, response: AxiosResponse): AxiosError {
  const code = 'ERR_FR_TOO_MANY_REDIRECTS';
  const cause = Object.assign(new Error('Maximum number of redirects exceeded'), { code });
  cause.name = `Error [${code}]`;
  return AxiosError.from(cause, code, config, response.request);
}

/** Releases the body of a redirect nobody reads: a stream's socket goes back to the pool. */
function release(data: unknown): void {
  if (typeof (data as { destroy?: unknown } | null)?.destroy === 'function')
    (data as { destroy(): void }).destroy();
}
