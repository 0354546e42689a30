/**
 * The URL axios sends a request config to, as far as its origin goes: asked of axios (`getUri`),
 * or answered without asking for the common case where the URL cannot leave the base URL's.
 *
 * @module
 */
import type { AxiosInstance, InternalAxiosRequestConfig } from 'axios';

/**
 * Where `config` goes, as far as its origin goes: for a URL that cannot be absolute (no scheme,
 * not `//`), the instance's `baseURL`, which axios puts before it; else `getUri(config)`. A
 * string that does not parse as a URL (a relative base URL) gives `undefined`: axios cannot
 * send it to an origin that is known here.
 *
 * @example
 * ```ts
 * requestOrigin(api, { baseURL: 'https://api.example.com/v1', url: 'members' }); // 'https://api.example.com/v1'
 * requestOrigin(api, { baseURL: 'https://api.example.com', url: 'https://other.example/x' }); // 'https://other.example/x'
 * ```
 */
export function requestOrigin(
  instance: AxiosInstance,
  config: InternalAxiosRequestConfig,
): string | undefined {
  const base = config.baseURL;
  if (base && !mayBeAbsolute.test(config.url ?? '')) return parsesAsUrl(base) ? base : undefined;
  const target = instance.getUri(config);
  return URL.canParse(target) ? target : undefined;
}

/** A scheme (`https:`, `mailto:`) or a protocol-relative `//`: axios may take it as absolute. */
const mayBeAbsolute = /^(?:[a-z][a-z\d+\-.]*:|[\\/]{2})/i;

/** The base URL checked last, and whether it parses: an instance has one, checked once. */
let lastBase = { url: '', parses: false };

function parsesAsUrl(base: string): boolean {
  if (base !== lastBase.url) lastBase = { url: base, parses: URL.canParse(base) };
  return lastBase.parses;
}
