/**
 * got's requests and answers as core's adapter seam takes them: the request a token is for (its
 * headers copied from got's record only when read), and the response the hooks get.
 *
 * @module
 */
import { type AuthRequest, describeRequest } from '@tokenwise/core/adapter';
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
 * The request `options` describe, for `authorize` and `onRejected`, read only as needed: its URL,
 * method and own headers (the authorizer hides the auth headers from a `tokens` function).
 *
 * @example
 * ```ts
 * await authorizer.authorize(requestOf(options), wait);
 * ```
 */
export function requestOf(options: HookOptions): AuthRequest {
  return describeRequest(options.url ?? '', options.method, options.headers);
}
