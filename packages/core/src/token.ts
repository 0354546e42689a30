/**
 * The token type every flow produces and every store keeps.
 *
 * @module
 */
import { inspectSymbol } from './internal/symbols.ts';

/**
 * An access token as tokenwise caches it. Plain data, so any {@link TokenStore} can serialise it
 * with `JSON.stringify`; `util.inspect` of a token made by tokenwise shows it redacted.
 *
 * @example
 * ```ts
 * const token = await tokens.getToken();
 * await fetch(url, { headers: { Authorization: `${token.tokenType} ${token.accessToken}` } });
 * ```
 */
export interface Token {
  /** The access token to send in `Authorization`. */
  readonly accessToken: string;
  /**
   * The scheme. Tokens from a token manager are `Bearer`, or `DPoP` for a manager created with
   * `dpop` (an answer with another `token_type` is a `TokenResponseError`); a token built by hand
   * may carry another scheme.
   */
  readonly tokenType: string;
  /** When the token expires, in epoch milliseconds on the local clock; undefined = unknown. */
  readonly expiresAt?: number | undefined;
  /** When the request that produced this token was sent (epoch ms): the start of its lifetime. */
  readonly issuedAt?: number | undefined;
  /** The refresh token, when the server issued one (or the previous one, when it did not rotate). */
  readonly refreshToken?: string | undefined;
  /** When the refresh token expires (epoch ms), from `refresh_expires_in` when sent. */
  readonly refreshTokenExpiresAt?: number | undefined;
  /** Granted scope as the space-separated string of RFC 6749 §3.3. */
  readonly scope?: string | undefined;
  /** The parsed response body, as the server sent it. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/**
 * What a flow's response parser returns: the token fields before expiry is resolved against the
 * clock. Absolute `expiresAt` may be a date string, epoch seconds or epoch milliseconds.
 *
 * @example
 * ```ts
 * const input: TokenInput = { accessToken: json.token, expiresAt: json.valid_until };
 * ```
 */
export interface TokenInput {
  readonly accessToken: unknown;
  readonly tokenType?: unknown;
  /** Relative lifetime in seconds (number or numeric string), counted from when the request was sent. */
  readonly expiresIn?: unknown;
  /** Absolute expiry: ISO 8601 (seconds optional), epoch seconds (< 1e12) or epoch milliseconds. */
  readonly expiresAt?: unknown;
  readonly refreshToken?: unknown;
  /** Refresh-token lifetime in seconds (`refresh_expires_in`, `refresh_token_expires_in`). */
  readonly refreshExpiresIn?: unknown;
  /** A space-separated string or an array of scopes. */
  readonly scope?: unknown;
}

/**
 * Normalises an RFC 6749 `token_type` for the `Authorization` header: any casing of `bearer`
 * (Priava sends `"BEARER"`) becomes `Bearer`, any casing of `dpop` becomes `DPoP`; another
 * scheme is returned as given. The token manager accepts Bearer tokens, and DPoP tokens when
 * created with `dpop`: an answer with `token_type` `MAC` or any other type it cannot honour is a
 * `TokenResponseError` naming the type (RFC 6749 §7.1), and is never cached.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-7.1
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 * @example
 * ```ts
 * normalizeTokenType('BEARER'); // 'Bearer'
 * ```
 */
export function normalizeTokenType(tokenType: string): string {
  const lower = tokenType.toLowerCase();
  if (lower === 'bearer') return 'Bearer';
  return lower === 'dpop' ? 'DPoP' : tokenType;
}

/**
 * The `Authorization` header value for a token: `Bearer <access token>`. A token of type `N_A`
 * (token exchange, RFC 8693 §2.2.1) is no access token: sending it is a configuration mistake (a
 * manager whose tokens are not access tokens given to an adapter), a `TypeError`.
 *
 * @example
 * ```ts
 * headers.set('Authorization', authorizationHeader(await tokens.getToken()));
 * ```
 */
export function authorizationHeader(token: Pick<Token, 'accessToken' | 'tokenType'>): string {
  if (token.tokenType === 'N_A') {
    throw new TypeError(
      'tokens: the token has type "N_A" (RFC 8693 §2.2.1): it is not an access token and cannot be sent in an Authorization header',
    );
  }
  return `${normalizeTokenType(token.tokenType)} ${token.accessToken}`;
}

/**
 * Returns the token with a non-enumerable `util.inspect` hook that redacts the access token,
 * refresh token and raw body, so logging a token by accident does not leak it. `JSON.stringify`
 * still gives the full token, which stores rely on.
 *
 * @example
 * ```ts
 * console.log(withRedactedInspect(token)); // Token { tokenType: 'Bearer', accessToken: '[redacted]', … }
 * ```
 */
export function withRedactedInspect<T extends Token>(token: T): T {
  if (Object.hasOwn(token, inspectSymbol)) return token;
  // One function for every token (it reads `this`): a token costs a property, not a closure.
  Object.defineProperty(token, inspectSymbol, { enumerable: false, value: inspectRedacted });
  return token;
}

/** `util.inspect` of a token: every field but the tokens and the raw answer. */
function inspectRedacted(this: Token): string {
  const view: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(this)) {
    view[key] =
      key === 'accessToken' || key === 'refreshToken' || key === 'raw' ? '[redacted]' : value;
  }
  return `Token ${JSON.stringify(view)}`;
}
