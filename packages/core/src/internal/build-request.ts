import type { TokenHttpRequest } from '../token-http.ts';

/**
 * Body encodings a token request can use.
 *
 * @example
 * ```ts
 * const bodyFormat: BodyFormat = 'json';
 * ```
 */
export type BodyFormat = 'form' | 'json';

/**
 * Body parameters: repeated parameters (several `resource`s) are arrays.
 *
 * @example
 * ```ts
 * const params: BodyParams = { audience: 'api', resource: ['https://a.example', 'https://b.example'] };
 * ```
 */
export type BodyParams = Record<string, string | readonly string[] | undefined>;

/**
 * Builds a POST (or `method`) with the body encoded as a form (RFC 6749 §4) or as JSON, `Accept:
 * application/json`, and the caller's headers on top (matched case-insensitively, so a
 * `content-type` of the user's replaces ours rather than doubling it). A GET or HEAD carries the
 * parameters in the query string instead, without a body.
 */
export function buildRequest(
  url: string,
  params: BodyParams,
  format: BodyFormat,
  headers: Readonly<Record<string, string>> = {},
  method = 'POST',
): TokenHttpRequest {
  const defined = Object.entries(params).filter(
    (entry): entry is [string, string | readonly string[]] => entry[1] !== undefined,
  );
  const form = new URLSearchParams();
  for (const [key, value] of defined) {
    for (const item of typeof value === 'string' ? [value] : value) form.append(key, item);
  }
  // fetch refuses a body on GET and HEAD: their parameters go in the query string.
  if (method === 'GET' || method === 'HEAD') {
    const target = new URL(url);
    for (const [key, value] of form) target.searchParams.append(key, value);
    return {
      url: target.href,
      method,
      headers: mergeHeaders({ Accept: 'application/json' }, headers),
    };
  }
  const body = format === 'json' ? JSON.stringify(Object.fromEntries(defined)) : form.toString();
  const contentType = format === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
  return {
    url,
    method,
    headers: mergeHeaders({ 'Content-Type': contentType, Accept: 'application/json' }, headers),
    body,
  };
}

/** Merges header records; a later key replaces an earlier one whatever its casing. */
export function mergeHeaders(
  ...sources: Readonly<Record<string, string>>[]
): Record<string, string> {
  const merged: Record<string, string> = {};
  const names = new Map<string, string>();
  for (const source of sources) {
    for (const [name, value] of Object.entries(source)) {
      const previous = names.get(name.toLowerCase());
      if (previous !== undefined) delete merged[previous];
      names.set(name.toLowerCase(), name);
      merged[name] = value;
    }
  }
  return merged;
}

/**
 * How Basic credentials spell the client id and secret: `form` (RFC 6749 §2.3.1) form-encodes
 * each before Base64; `raw` sends them as they are, for servers that do not decode them.
 *
 * @example
 * ```ts
 * const basicEncoding: BasicEncoding = 'raw';
 * ```
 */
export type BasicEncoding = 'form' | 'raw';

/** RFC 6749 §2.3.1: form-encode the id and secret, then Basic-encode `id:secret`. */
export function basicCredentials(
  clientId: string,
  clientSecret: string,
  encoding: BasicEncoding = 'form',
): string {
  const encode = (value: string): string =>
    encoding === 'raw' ? value : new URLSearchParams([['', value]]).toString().slice(1);
  const bytes = new TextEncoder().encode(`${encode(clientId)}:${encode(clientSecret)}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}
