/**
 * The shapes a flow builds and reads: one HTTP request to a token endpoint, and its answer with
 * the body already read (size-capped) and parsed.
 *
 * @module
 */

/**
 * One request to a token endpoint, as a flow builds it.
 *
 * @example
 * ```ts
 * const request: TokenHttpRequest = {
 *   url: 'https://auth.example.com/token', method: 'POST',
 *   headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
 *   body: 'grant_type=client_credentials',
 * };
 * ```
 */
export interface TokenHttpRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | undefined;
}

/**
 * A token endpoint's answer: status, headers, the body text (at most 1 MiB) and the body parsed as
 * JSON, or as a form when the server sent `application/x-www-form-urlencoded`; `body` is
 * `undefined` when it is neither.
 *
 * @example
 * ```ts
 * const parse = (response: TokenHttpResponse) => response.body?.valid_until;
 * ```
 */
export interface TokenHttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: Readonly<Record<string, unknown>> | undefined;
}
