/**
 * got's requests and answers as core's adapter seam takes them: the request a token is for, and
 * what an answer says about the token. Headers are copied from got's records only when read.
 *
 * @module
 */
import { type Answer, type AuthRequest, describeRequest, headersOf } from '@tokenwise/core/adapter';
import type { HookOptions } from './request-state.ts';

/** The parts of got's `Response` and `PlainResponse` the hooks use. */
export interface HookResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The URL that answered, after redirects. */
  readonly url: string;
  readonly request: { readonly options: HookOptions };
}

/**
 * The request `options` describe, for `authorize` and `onRejected`: its own headers, without
 * those named `sensitive` (the auth headers, once set).
 *
 * @example
 * ```ts
 * await authorizer.authorize(requestOf(options, []), wait);
 * ```
 */
export function requestOf(options: HookOptions, sensitive: Iterable<string>): AuthRequest {
  return describeRequest(String(options.url), options.method, () => {
    const headers = headersOf(options.headers);
    for (const name of sensitive) headers.delete(name);
    return headers;
  });
}

/**
 * What got's `response` says about the token (see core's `Answer`).
 *
 * @example
 * ```ts
 * if (authorizer.wantsResend(answerOf(response))) …
 * ```
 */
export function answerOf(response: HookResponse): Answer {
  return new GotAnswer(response);
}

/** A class, so that the lazy `headers` is a prototype getter, not an accessor made per answer. */
class GotAnswer implements Answer {
  readonly url: string;
  readonly status: number;
  #headers: Headers | HookResponse['headers'];

  constructor(response: HookResponse) {
    this.url = response.url;
    this.status = response.statusCode;
    this.#headers = response.headers;
  }

  get headers(): Headers {
    if (!(this.#headers instanceof Headers)) this.#headers = headersOf(this.#headers);
    return this.#headers;
  }
}
