/**
 * Parsing a URL that may not be one, without throwing.
 *
 * @module
 */

/**
 * `value` as a URL, or `undefined` when it does not parse (a relative URL, garbage).
 *
 * @example
 * ```ts
 * toUrl('/members'); // undefined
 * toUrl('https://api.example.com/members')?.origin; // 'https://api.example.com'
 * ```
 */
export function toUrl(value: string | URL): URL | undefined {
  if (value instanceof URL) return value;
  return URL.canParse(value) ? new URL(value) : undefined;
}
