/**
 * Adding body parameters to a request already built: what a per-attempt step does (a client
 * assertion, a subject token). A module of its own, so that it loads with those steps and not
 * with every flow.
 *
 * @module
 */
import type { TokenHttpRequest } from '../token-http.ts';
import type { BodyFormat } from './build-request.ts';

/**
 * The request with more body parameters, encoded as its body already is (`format`): what a
 * per-attempt step adds (a client assertion, a subject token) to the flow's request.
 *
 * @example
 * ```ts
 * appendBodyParams(request, { client_assertion: jwt }, 'form');
 * ```
 */
export function appendBodyParams(
  request: TokenHttpRequest,
  params: Readonly<Record<string, string | undefined>>,
  format: BodyFormat,
): TokenHttpRequest {
  const defined = Object.entries(params).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  if (request.method === 'GET' || request.method === 'HEAD') {
    const target = new URL(request.url);
    for (const [key, value] of defined) target.searchParams.set(key, value);
    return { ...request, url: target.href };
  }
  if (format === 'json') {
    const body = JSON.parse(request.body || '{}') as Record<string, unknown>;
    return { ...request, body: JSON.stringify({ ...body, ...Object.fromEntries(defined) }) };
  }
  const form = new URLSearchParams(request.body ?? '');
  for (const [key, value] of defined) form.set(key, value);
  return { ...request, body: form.toString() };
}
