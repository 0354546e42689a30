import { type BodyFormat, buildRequest } from '../internal/build-request.ts';
import { httpUrl, oneOf, requireObject, requireStringParams } from '../internal/options.ts';
import type { TokenInput } from '../token.ts';
import type { TokenHttpRequest, TokenHttpResponse } from '../token-http.ts';
import type { Flow } from './flow.ts';
import { is2xx, requestKeyMaterial } from './flow.ts';
import { answerBody, requireHeaders } from './oauth-options.ts';

/**
 * Where each token field is found in a vendor's JSON answer: a property name, or a dotted path
 * (`'data.token'`).
 *
 * @example
 * ```ts
 * const papaya: TokenFieldMap = { accessToken: 'token', expiresAt: 'valid_until' };
 * ```
 */
export interface TokenFieldMap {
  readonly accessToken: string;
  readonly tokenType?: string | undefined;
  /** A relative lifetime in seconds. */
  readonly expiresIn?: string | undefined;
  /** An absolute expiry: ISO 8601 (seconds optional) or epoch seconds/milliseconds. */
  readonly expiresAt?: string | undefined;
  readonly refreshToken?: string | undefined;
  readonly scope?: string | undefined;
}

/**
 * Options of {@link tokenRequest}.
 *
 * @example
 * ```ts
 * const options: TokenRequestOptions = {
 *   url: 'https://api.vendor.example/token',
 *   body: { api_key: apiKey, client_secret: secret },
 *   successStatus: 201,
 *   response: { accessToken: 'token', expiresAt: 'valid_until' },
 * };
 * ```
 */
export interface TokenRequestOptions {
  readonly url: string | URL;
  /** The HTTP method; a `GET` sends the body's fields in the query string. @default 'POST' */
  readonly method?: string | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** The request body, or a function returning it (called for every request). */
  readonly body:
    | Readonly<Record<string, string | readonly string[] | undefined>>
    | (() => Readonly<Record<string, string | readonly string[] | undefined>>);
  /** @default 'json' */
  readonly bodyFormat?: BodyFormat | undefined;
  /** The status(es) that mean success. @default any 2xx */
  readonly successStatus?: number | readonly number[] | undefined;
  /** Where the token fields are in the answer, or a function that extracts them. */
  readonly response:
    | TokenFieldMap
    | ((body: Readonly<Record<string, unknown>>, response: TokenHttpResponse) => TokenInput);
  /**
   * Distinguishes this endpoint's tokens in a shared store (e.g. the tenant or api key id).
   * @default a SHA-256 digest of the method, URL and body
   */
  readonly cacheKey?: string | undefined;
}

/**
 * Any vendor token endpoint that is not OAuth: you say what to send and where the token is in
 * the answer. Renewal sends the same request again.
 *
 * @example
 * ```ts
 * // Papaya Global: JSON credentials, 201 Created, `valid_until` without seconds.
 * const flow = tokenRequest({
 *   url: 'https://api.papayaglobal.com/token',
 *   body: { api_key: process.env.PAPAYA_API_KEY!, client_secret: process.env.PAPAYA_SECRET! },
 *   successStatus: 201,
 *   response: { accessToken: 'token', expiresAt: 'valid_until' },
 * });
 * ```
 */
export function tokenRequest(options: TokenRequestOptions): Flow {
  requireObject('tokenRequest: options', options);
  const url = httpUrl('tokenRequest: url', options.url);
  const method = (options.method ?? 'POST').toUpperCase();
  if (!/^[A-Z]+$/.test(method))
    throw new TypeError('tokenRequest: method must be an HTTP method name');
  const bodyFormat = oneOf(
    'tokenRequest: bodyFormat',
    options.bodyFormat,
    ['form', 'json'],
    'json',
  );
  if (
    typeof options.body !== 'function' &&
    (typeof options.body !== 'object' || options.body === null)
  ) {
    throw new TypeError('tokenRequest: body must be an object or a function returning one');
  }
  const statuses = options.successStatus === undefined ? undefined : [options.successStatus].flat();
  if (statuses?.some((status) => !Number.isInteger(status) || status < 200 || status > 299)) {
    throw new TypeError('tokenRequest: successStatus must be 2xx status codes');
  }
  const parse = responseParser(options.response);
  requireHeaders('tokenRequest: headers', options.headers);
  if (typeof options.body !== 'function') requireStringParams('tokenRequest: body', options.body);
  const checkedBody = (body: unknown): Readonly<Record<string, string>> => {
    requireStringParams('tokenRequest: body', body);
    return body as Readonly<Record<string, string>>;
  };
  const bodyOf =
    typeof options.body === 'function'
      ? options.body
      : () => options.body as Readonly<Record<string, string>>;
  const request = (): TokenHttpRequest =>
    buildRequest(url, checkedBody(bodyOf()), bodyFormat, options.headers, method);
  // A body function may give other credentials on every call: without `cacheKey`, such a flow
  // shares its cache entry with no other flow (and so with no other process).
  const dynamicKey =
    typeof options.body === 'function' ? `${url}#${crypto.randomUUID()}` : undefined;
  return {
    kind: 'token_request',
    tokenUrl: url,
    cacheKeyMaterial: () => options.cacheKey ?? dynamicKey ?? requestKeyMaterial(request()),
    initialGrant: { reusable: true, request },
    isSuccess: statuses === undefined ? is2xx : (status) => statuses.includes(status),
    parse,
  };
}

function responseParser(
  response: TokenRequestOptions['response'],
): (res: TokenHttpResponse) => TokenInput {
  if (
    typeof response !== 'function' &&
    (typeof response !== 'object' || response === null || typeof response.accessToken !== 'string')
  ) {
    throw new TypeError(
      'tokenRequest: response must be a field map with an accessToken path, or a function',
    );
  }
  return (res) => {
    const body = answerBody(res);
    if (typeof response === 'function') return response(body, res);
    const at = (path: string | undefined): unknown =>
      path
        ?.split('.')
        .reduce<unknown>(
          (node, key) =>
            typeof node === 'object' && node !== null
              ? (node as Record<string, unknown>)[key]
              : undefined,
          body,
        );
    return {
      accessToken: at(response.accessToken),
      tokenType: at(response.tokenType),
      expiresIn: at(response.expiresIn),
      expiresAt: at(response.expiresAt),
      refreshToken: at(response.refreshToken),
      scope: at(response.scope),
    };
  };
}
