/**
 * The URL axios sends a request config to, as the adapter sees it.
 *
 * @module
 */
import type { AxiosInstance, InternalAxiosRequestConfig } from 'axios';

/**
 * `baseURL` joined with `url` as axios joins them (`buildFullPath`), without the query from
 * `params`: enough to tell the origin, and cheap.
 *
 * @example
 * ```ts
 * joinUrl({ baseURL: 'https://api.example.com/v1/', url: '/members' } as Config);
 * // 'https://api.example.com/v1/members'
 * ```
 */
export function joinUrl(config: InternalAxiosRequestConfig): string {
  const url = config.url ?? '';
  const base = config.baseURL;
  if (!base || (absoluteUrl.test(url) && config.allowAbsoluteUrls !== false)) return url;
  if (url === '') return base;
  const head = base.endsWith('/') ? base.replace(/\/+$/, '') : base;
  return `${head}/${url.startsWith('/') ? url.replace(/^\/+/, '') : url}`;
}

/**
 * The full URL, query from `params` included, for a header function, which gets it as a `URL`:
 * undefined when it does not parse (axios could not send it either). `getUri()` is asked only
 * when there are `params`: it merges the whole config again.
 *
 * @example
 * ```ts
 * fullUrl(api, config); // 'https://api.example.com/eu/members?page=2'
 * ```
 */
export function fullUrl(
  instance: AxiosInstance,
  config: InternalAxiosRequestConfig,
): string | undefined {
  const url = config.params != null ? instance.getUri(config) : joinUrl(config);
  return URL.canParse(url) ? url : undefined;
}

/** What axios counts as absolute: `<scheme>://` or protocol-relative `//`. */
const absoluteUrl = /^([a-z][a-z\d+\-.]*:)?\/\//i;
