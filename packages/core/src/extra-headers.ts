/**
 * The extra headers of the adapter options (`headers`): never an `Authorization`, and each name
 * remembered as sensitive so that redirect guards and error redaction drop it.
 *
 * @module
 */
import type { ExtraHeaders } from './auth-options.ts';
import { assertHeaderRecord } from './internal/header-safety.ts';

/**
 * The extra headers minus any `Authorization`, which is the token's alone (in any letter case).
 *
 * @example
 * ```ts
 * withoutAuthorization({ 'X-Tenant-Id': 't1', authorization: 'x' }); // { 'X-Tenant-Id': 't1' }
 * ```
 */
export function withoutAuthorization(
  headers: Readonly<Record<string, string>>,
): Record<string, string> {
  const own: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'authorization') own[name] = value;
  }
  return own;
}

/**
 * The headers a header function produces for a request to `url`, checked, without
 * `Authorization`; their names are added to `sensitive`. The function gets its own copy of the
 * URL: it cannot change where the request goes.
 *
 * @example
 * ```ts
 * const headers = await producedHeaders((url) => ({ 'X-Tenant-Id': tenantOf(url) }), url, sensitive);
 * ```
 */
export async function producedHeaders(
  headerFunction: Extract<ExtraHeaders, (url: URL) => unknown>,
  url: string | URL,
  sensitive: Set<string>,
): Promise<Record<string, string>> {
  const result = (await headerFunction(new URL(url))) ?? {};
  assertHeaderRecord(result, "headers: the header function's result");
  const headers = withoutAuthorization(result);
  for (const name of Object.keys(headers)) sensitive.add(name.toLowerCase());
  return headers;
}
