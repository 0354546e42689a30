import { TokenResponseError } from '../errors.ts';
import {
  type BodyFormat,
  type BodyParams,
  basicCredentials,
  buildRequest,
} from '../internal/build-request.ts';
import { assertHeaderRecord } from '../internal/header-safety.ts';
import { errorFields } from '../internal/token-answer.ts';
import type { TokenInput } from '../token.ts';
import type { TokenHttpRequest, TokenHttpResponse } from '../token-http.ts';

/**
 * How the client authenticates at the token endpoint (RFC 6749 §2.3.1):
 * - `client_secret_post` (default): `client_id` and `client_secret` in the body. Every seed vendor
 *   documents this, and RFC 6749 allows it.
 * - `client_secret_basic`: HTTP Basic with the form-encoded id and secret.
 * - `none`: a public client; only `client_id` in the body.
 */
export type ClientAuth = 'client_secret_post' | 'client_secret_basic' | 'none';

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

/** Client identity and endpoint, shared by the OAuth flows. */
export interface ClientOptions extends RequestOptions {
  /** The token endpoint, e.g. `https://auth.example.com/connect/token`. */
  readonly tokenUrl: string | URL;
  readonly clientId: string;
  readonly clientSecret?: string | undefined;
}

export interface OAuthClient {
  readonly tokenUrl: string;
  readonly clientId: string;
  request(grantParams: BodyParams): TokenHttpRequest;
}

/** Validates the client options (TypeError naming the option) and returns a request builder. */
export function oauthClient(flowName: string, options: ClientOptions): OAuthClient {
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`${flowName}: options must be an object`);
  const tokenUrl = validUrl(flowName, 'tokenUrl', options.tokenUrl);
  requireString(flowName, 'clientId', options.clientId);
  const clientAuth =
    options.clientAuth ?? (options.clientSecret === undefined ? 'none' : 'client_secret_post');
  if (!['client_secret_post', 'client_secret_basic', 'none'].includes(clientAuth)) {
    throw new TypeError(
      `${flowName}: clientAuth must be 'client_secret_post', 'client_secret_basic' or 'none'`,
    );
  }
  if (clientAuth !== 'none') requireString(flowName, 'clientSecret', options.clientSecret);
  validHeaders(flowName, 'headers', options.headers);
  validParams(flowName, 'params', options.params);
  const bodyFormat = options.bodyFormat ?? 'form';
  if (bodyFormat !== 'form' && bodyFormat !== 'json')
    throw new TypeError(`${flowName}: bodyFormat must be 'form' or 'json'`);
  const { clientId, clientSecret = '' } = options;
  return {
    tokenUrl,
    clientId,
    request(grantParams) {
      const auth: BodyParams =
        clientAuth === 'client_secret_post'
          ? { client_id: clientId, client_secret: clientSecret }
          : clientAuth === 'none'
            ? { client_id: clientId }
            : {};
      const headers =
        clientAuth === 'client_secret_basic'
          ? { Authorization: basicCredentials(clientId, clientSecret) }
          : {};
      // An absent grant parameter (no `scope` option) must not erase the same key in `params`.
      const grant = Object.fromEntries(
        Object.entries(grantParams).filter((entry) => entry[1] !== undefined),
      );
      return buildRequest(tokenUrl, { ...options.params, ...grant, ...auth }, bodyFormat, {
        ...headers,
        ...options.headers,
      });
    },
  };
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

export function requireString(flowName: string, option: string, value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`${flowName}: ${option} must be a non-empty string`);
  }
}

export function validUrl(flowName: string, option: string, value: unknown): string {
  if (typeof value !== 'string' && !(value instanceof URL))
    throw new TypeError(`${flowName}: ${option} must be a URL string`);
  if (!URL.canParse(value)) throw new TypeError(`${flowName}: ${option} is not a valid URL`);
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new TypeError(`${flowName}: ${option} must be an http(s) URL`);
  if (url.username || url.password)
    throw new TypeError(`${flowName}: ${option} must not contain credentials`);
  if (url.hash) throw new TypeError(`${flowName}: ${option} must not contain a #fragment`);
  return url.href;
}

/** Checks that `headers` is a record of header values a header can carry unchanged (TypeError naming it). */
export function validHeaders(flowName: string, option: string, headers: unknown): void {
  if (headers === undefined) return;
  assertHeaderRecord(headers, `${flowName}: ${option}`);
}

/** Checks that `params` is a record of strings or arrays of strings (undefined values are left out). */
export function validParams(flowName: string, option: string, params: unknown): void {
  if (params === undefined) return;
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new TypeError(`${flowName}: ${option} must be an object of parameter names and values`);
  }
  for (const [name, value] of Object.entries(params)) {
    const ok =
      value === undefined ||
      typeof value === 'string' ||
      (Array.isArray(value) && value.every((v) => typeof v === 'string'));
    if (!ok)
      throw new TypeError(`${flowName}: ${option}.${name} must be a string or an array of strings`);
  }
}
