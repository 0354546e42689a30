/**
 * An HTTP client's response as core's {@link Answer}: for a client that hands its hooks a status
 * and a header record (axios, got, Node's `IncomingMessage`) rather than a fetch `Response`.
 *
 * @module
 */
import { headersOf } from './auth-request.ts';
import type { Answer } from './redirect-guard.ts';

/**
 * What a client's response says about the token (see {@link Answer}), for `wantsResend` and
 * `onRejected`: the URL that answered (after the redirects the client followed), its status, its
 * headers (a `Headers` as they are, or a client's header record such as axios's `AxiosHeaders`
 * or got's and Node's `IncomingHttpHeaders`, copied with `headersOf` only if
 * something reads them: most answers are judged by their status alone), and the first hop a
 * redirect guard sent without the auth headers, if any.
 *
 * @example
 * ```ts
 * // got's afterResponse hook
 * const answer = answerFrom(response.url, response.statusCode, response.headers);
 * if (authorizer.wantsResend(answer) && (await onRejected(authorizer, { …, answer }))) resend();
 * // axios, after a guard dropped the token on a hop to another origin
 * answerFrom(responseUrl, response.status, response.headers, droppedAt);
 * ```
 */
export function answerFrom(
  url: string | URL,
  status: number,
  headers: Headers | Readonly<Record<string, unknown>>,
  tokenDroppedAt?: string | URL | undefined,
): Answer {
  return new ClientAnswer(url, status, headers, tokenDroppedAt);
}

/** A class, so that the lazy `headers` is a prototype getter, not an accessor made per answer. */
class ClientAnswer implements Answer {
  readonly url: string | URL;
  readonly status: number;
  readonly tokenDroppedAt: string | URL | undefined;
  #headers: Headers | Readonly<Record<string, unknown>>;

  constructor(
    url: string | URL,
    status: number,
    headers: Headers | Readonly<Record<string, unknown>>,
    tokenDroppedAt: string | URL | undefined,
  ) {
    this.url = url;
    this.status = status;
    this.tokenDroppedAt = tokenDroppedAt;
    this.#headers = headers;
  }

  get headers(): Headers {
    if (!(this.#headers instanceof Headers)) this.#headers = headersOf(this.#headers);
    return this.#headers;
  }
}
