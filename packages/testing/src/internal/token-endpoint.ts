/**
 * What several vendors' token endpoints share: the RFC 6749 error answer, and the check of a
 * plain client-credentials form (no `Authorization` header, UTF-8, exactly the documented fields).
 */
import { hasExactly, header, noStore, type ReadBody, type RequestHeaders } from './http.ts';
import type { Answer } from './vendor-spec.ts';

/**
 * A token-endpoint error: `{ error, ...fields }` with `status`, not to be cached (RFC 6749 §5.2).
 * Vendors add `error_description` (Personify, Priava) or a `message` too (the partner API).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @example
 * ```ts
 * return oauthError(400, 'invalid_client', grantType, { error_description: 'Unknown client' });
 * ```
 */
export function oauthError(
  status: number,
  error: string,
  grantType: string | undefined,
  fields: Readonly<Record<string, string>> = {},
): Answer {
  return { status, body: { error, ...fields }, headers: noStore, error, grantType };
}

/**
 * Whether `body` is a form (`application/x-www-form-urlencoded`, UTF-8 or no charset) sent
 * without an `Authorization` header, with every `required` field and none outside `optional`.
 *
 * @example
 * ```ts
 * if (!isPlainForm(request, body, ['client_id', 'client_secret', 'grant_type'], ['scope'])) return fail();
 * ```
 */
export function isPlainForm(
  request: RequestHeaders,
  body: ReadBody,
  required: readonly string[],
  optional: readonly string[] = [],
): body is ReadBody & { readonly fields: Readonly<Record<string, string>> } {
  return (
    body.mediaType === 'application/x-www-form-urlencoded' &&
    (body.charset === undefined || body.charset === 'utf-8') &&
    body.fields !== undefined &&
    header(request, 'authorization') === undefined &&
    hasExactly(body.fields, required, optional)
  );
}
