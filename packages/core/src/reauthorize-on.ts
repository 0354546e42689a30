/**
 * Which answers mean "the token was rejected": the `reauthorizeOn` option of every adapter, and
 * its default.
 *
 * @module
 */
import { parseWwwAuthenticate } from './www-authenticate.ts';

/**
 * What `reauthorizeOn` is told about an answer: its status, its headers and the URL that
 * answered (after redirects; `''` when the client does not say).
 *
 * @example
 * ```ts
 * const answered: AnsweredRequest = { status: 403, headers: new Headers(), url: 'https://api.example.com/x' };
 * ```
 */
export interface AnsweredRequest {
  readonly status: number;
  readonly headers: Headers;
  readonly url: string;
}

/**
 * Decides which answers mean "token rejected": for those, the adapter drops the token the request
 * carried and re-sends once with a new one (bounded, see `retryOn401`).
 *
 * @example
 * ```ts
 * // An API that answers 403 to an expired token:
 * const reauthorizeOn: ReauthorizeOn = (answer) => answer.status === 403 || isTokenRejection(answer);
 * ```
 */
export type ReauthorizeOn = (response: AnsweredRequest) => boolean;

/**
 * The default `reauthorizeOn`: a 401, unless a `WWW-Authenticate` challenge (of any scheme) says
 * `error="insufficient_scope"`: the token is valid but not enough, and a new one with the same
 * scope would be refused too.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 * @example
 * ```ts
 * isTokenRejection({ status: 401, headers: new Headers({ 'WWW-Authenticate': 'Bearer error="invalid_token"' }), url });  // true
 * isTokenRejection({ status: 401, headers: new Headers({ 'WWW-Authenticate': 'Bearer error="insufficient_scope"' }), url }); // false
 * ```
 */
export function isTokenRejection(response: Pick<AnsweredRequest, 'status' | 'headers'>): boolean {
  if (response.status !== 401) return false;
  const challenge = response.headers.get('www-authenticate');
  if (challenge === null) return true;
  return !parseWwwAuthenticate(challenge).some(
    ({ params }) => params.error === 'insufficient_scope',
  );
}
