import type { Clock } from '../clock.ts';

/** An RFC 6749 §5.2 error code (or an RFC 6750 §3.1 one). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'invalid_token'
  | 'insufficient_scope';

/** A token-endpoint outcome before it becomes a Response. */
export type TokenOutcome =
  | { readonly ok: true; readonly body: Record<string, string | number> }
  | {
      readonly ok: false;
      readonly status: number;
      readonly error: OAuthErrorCode;
      readonly description: string;
      readonly headers?: Record<string, string>;
    };

/** Shorthand for a failed {@link TokenOutcome}. */
export function failure(
  status: number,
  error: OAuthErrorCode,
  description: string,
  headers?: Record<string, string>,
): TokenOutcome {
  return headers === undefined
    ? { ok: false, status, error, description }
    : { ok: false, status, error, description, headers };
}

/** JSON with the headers every token-endpoint answer carries (RFC 6749 §5.1: no caching). */
export function jsonResponse(
  clock: Clock,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'Content-Type': 'application/json;charset=UTF-8',
      'Cache-Control': 'no-store',
      Pragma: 'no-cache',
      Date: new Date(clock.now()).toUTCString(),
      ...headers,
    },
  });
}

/** The Response for a token-endpoint outcome (RFC 6749 §5.1 success, §5.2 error). */
export function outcomeResponse(clock: Clock, outcome: TokenOutcome): Response {
  if (outcome.ok) return jsonResponse(clock, 200, outcome.body);
  return jsonResponse(
    clock,
    outcome.status,
    { error: outcome.error, error_description: outcome.description },
    outcome.headers,
  );
}

/** A quoted-string for an auth-param (RFC 9110 §5.6.4). */
export function quoted(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}
