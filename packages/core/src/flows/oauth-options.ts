import { TokenResponseError } from '../errors.ts';
import type { BodyFormat, BodyParams } from '../internal/build-request.ts';
import { assertHeaderRecord } from '../internal/header-safety.ts';
import {
  httpUrl,
  oneOf,
  requireNonEmptyString,
  requireObject,
  requireStringParams,
} from '../internal/options.ts';
import { errorFields } from '../internal/token-answer.ts';
import type { RequestStep } from '../request-step.ts';
import type { TokenInput } from '../token.ts';
import type { TokenHttpRequest, TokenHttpResponse } from '../token-http.ts';
import { clientAuthentication } from './client-auth.ts';
import type { ClientAssertionOptions, ClientAuth } from './client-auth-options.ts';
import { ClientRequests } from './client-requests.ts';

export type { ClientAuth } from './client-auth-options.ts';

/**
 * Request options shared by every OAuth flow.
 *
 * @example
 * ```ts
 * const shared: RequestOptions = {
 *   headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8', TenantRegion: 'EU' },
 *   params: { redirect_uri: 'https://my.app.com/oauth2callback' },
 * };
 * ```
 */
export interface RequestOptions {
  /** @default 'client_secret_post' (or 'none' when no secret is given) */
  readonly clientAuth?: ClientAuth | undefined;
  /** Body encoding. @default 'form' */
  readonly bodyFormat?: BodyFormat | undefined;
  /** Extra headers on every token request; may replace the default `Content-Type` and `Accept`. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Extra body parameters on every token request the flow makes (exchange and refreshes). */
  readonly params?: Readonly<BodyParams> | undefined;
}

/**
 * Client identity and endpoint, shared by the OAuth flows.
 *
 * @example
 * ```ts
 * const client: ClientOptions = { tokenUrl: 'https://auth.example.com/token', clientId: 'app' };
 * ```
 */
export interface ClientOptions extends RequestOptions, ClientAssertionOptions {
  /** The token endpoint, e.g. `https://auth.example.com/connect/token`. */
  readonly tokenUrl: string | URL;
  readonly clientId: string;
  readonly clientSecret?: string | undefined;
}

export interface OAuthClient {
  readonly tokenUrl: string;
  readonly clientId: string | undefined;
  /** The request template of a grant: complete unless {@link OAuthClient.steps} finish it. */
  request(grantParams: BodyParams): TokenHttpRequest;
  /** The cache key material of a grant: its template, plus what identifies the authentication. */
  keyMaterial(grantParams: BodyParams): string;
  /** Per-attempt steps of the client authentication (a fresh assertion, `'auto'`). */
  readonly steps: readonly RequestStep[] | undefined;
}

/** What a grant asks of its client (see {@link oauthClient}). */
export interface ClientRules {
  /** The grant works without client authentication (token exchange, JWT bearer). */
  readonly clientOptional?: boolean;
  /** Without a key or an assertion callback, a secret is required (client credentials). */
  readonly secretRequired?: boolean;
}

/**
 * Validates the client options (TypeError naming the option) and returns a request builder.
 * Without `clientAuth`, a key or an assertion callback means `private_key_jwt`, a secret
 * `client_secret_post`, and nothing `'none'` (unless `rules.secretRequired`).
 */
export function oauthClient(
  flowName: string,
  options:
    | ClientOptions
    | (Omit<ClientOptions, 'clientId'> & { readonly clientId?: string | undefined }),
  rules: ClientRules = {},
): OAuthClient {
  requireObject(`${flowName}: options`, options);
  const tokenUrl = httpUrl(`${flowName}: tokenUrl`, options.tokenUrl);
  if (rules.clientOptional !== true || options.clientId !== undefined)
    requireNonEmptyString(`${flowName}: clientId`, options.clientId);
  requireHeaders(`${flowName}: headers`, options.headers);
  requireStringParams(`${flowName}: params`, options.params);
  const bodyFormat = oneOf(`${flowName}: bodyFormat`, options.bodyFormat, ['form', 'json'], 'form');
  const fallback: ClientAuth =
    options.clientSecret === undefined && rules.secretRequired !== true
      ? 'none'
      : 'client_secret_post';
  const auth = clientAuthentication(flowName, options, tokenUrl, bodyFormat, fallback);
  return new ClientRequests({
    tokenUrl,
    clientId: options.clientId,
    bodyFormat,
    params: options.params,
    headers: options.headers,
    auth,
  });
}

/** `scope` as RFC 6749 §3.3 wants it: space-separated. */
export function scopeParam(
  flowName: string,
  scope: string | readonly string[] | undefined,
): string | undefined {
  if (scope === undefined) return undefined;
  if (
    typeof scope !== 'string' &&
    !(Array.isArray(scope) && scope.every((s) => typeof s === 'string'))
  ) {
    throw new TypeError(`${flowName}: scope must be a string or an array of strings`);
  }
  const joined = typeof scope === 'string' ? scope : scope.join(' ');
  return joined.trim() === '' ? undefined : joined;
}

/**
 * The parsed body of a success answer, or a {@link TokenResponseError} quoting its content type
 * (the exchange redacts and clips what it quotes).
 */
export function answerBody(response: TokenHttpResponse): Readonly<Record<string, unknown>> {
  if (response.body !== undefined) return response.body;
  throw new TokenResponseError(
    response.status,
    `Token endpoint answer is not a JSON object (content-type: ${response.headers.get('content-type') ?? 'none'})`,
  );
}

/** Reads an RFC 6749 §5.1 success answer; an `error` inside a 2xx is a {@link TokenResponseError}. */
export function parseOAuthResponse(response: TokenHttpResponse): TokenInput {
  const body = answerBody(response);
  if (body.error !== undefined && body.access_token === undefined) {
    const fields = errorFields(body);
    throw new TokenResponseError(
      response.status,
      `Token endpoint answered ${response.status} with an error (${fields.error ?? 'unknown'})`,
      fields,
    );
  }
  return {
    accessToken: body.access_token,
    tokenType: body.token_type,
    expiresIn: body.expires_in,
    expiresAt: body.expires_at,
    refreshToken: body.refresh_token,
    refreshExpiresIn: body.refresh_expires_in ?? body.refresh_token_expires_in,
    scope: body.scope,
  };
}

/**
 * Checks a record of extra headers (absent is fine): header names and values a header can carry
 * unchanged (TypeError naming the offending header).
 */
export function requireHeaders(label: string, headers: unknown): void {
  if (headers !== undefined) assertHeaderRecord(headers, label);
}
