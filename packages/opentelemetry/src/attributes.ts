/**
 * Attributes of the token endpoint, as the HTTP semantic conventions name them.
 *
 * @module
 */
import type { Attributes } from '@opentelemetry/api';

const defaultPorts: Readonly<Record<string, number>> = { 'https:': 443, 'http:': 80 };

/**
 * `server.address`, `server.port` and `url.full` of a token URL as events carry it (origin and
 * path: never a query string).
 *
 * @see https://opentelemetry.io/docs/specs/semconv/http/http-spans/#http-client-span
 * @example
 * ```ts
 * endpointAttributes('https://auth.example.com/token');
 * // { 'server.address': 'auth.example.com', 'server.port': 443, 'url.full': 'https://auth.example.com/token' }
 * ```
 */
export function endpointAttributes(tokenUrl: string): Attributes {
  let url: URL;
  try {
    url = new URL(tokenUrl);
  } catch {
    return {};
  }
  const port = url.port === '' ? defaultPorts[url.protocol] : Number(url.port);
  return {
    'server.address': url.hostname,
    ...(port !== undefined && { 'server.port': port }),
    'url.full': `${url.origin}${url.pathname}`,
  };
}
