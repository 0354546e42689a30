import { TokenResponseError } from '../errors.ts';
import { parseExpiresIn, resolveExpiresAt } from '../expiry-fields.ts';
import { normalizeTokenType, type Token, type TokenInput, withRedactedInspect } from '../token.ts';
import { isSendableToken } from './header-safety.ts';

export interface TokenTimings {
  readonly status: number;
  readonly sentAt: number;
  readonly receivedAt: number;
  readonly dateHeader: string | null;
  readonly defaultLifetimeMs?: number | undefined;
  /** Token types the flow accepts besides Bearer (`N_A` for token exchange), matched exactly. */
  readonly otherTokenTypes?: readonly string[] | undefined;
  /** The request carried a DPoP proof: a `DPoP` token is accepted too. */
  readonly dpop?: boolean | undefined;
}

/**
 * Validates a flow's {@link TokenInput} and resolves it into a {@link Token}. Every malformed field
 * becomes a {@link TokenResponseError} that names the field. A missing or empty `token_type` is
 * Bearer, as is `bearer` in any case; `DPoP` (any case) is DPoP when the request carried a proof
 * (`timings.dpop`); any other type (`MAC`, `PoP`, or `DPoP` without a proof) is a
 * {@link TokenResponseError} naming it, so such a token is never cached nor sent as Bearer.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-7.1
 * @example
 * ```ts
 * const token = createToken({ accessToken: 'at', expiresIn: 3600 }, body, timings);
 * ```
 */
export function createToken(
  input: TokenInput,
  raw: Readonly<Record<string, unknown>>,
  timings: TokenTimings,
  previous?: { readonly refreshToken: string; readonly refreshTokenExpiresAt?: number | undefined },
): Token {
  const fail = (message: string, cause?: unknown): never => {
    throw new TokenResponseError(timings.status, message, {}, cause);
  };
  const { accessToken } = input;
  if (typeof accessToken !== 'string' || accessToken.trim() === '') {
    fail(
      `Token endpoint answer has no access token (expected a non-empty string, got ${typeOf(accessToken)})`,
    );
  }
  const access = accessToken as string;
  // RFC 6749 A.12: VSCHAR only, and nothing a header would trim: sent exactly as issued, or not at all.
  if (!isSendableToken(access)) {
    fail('Token endpoint answer has an access token with characters an HTTP header cannot carry');
  }
  if (
    input.tokenType !== undefined &&
    input.tokenType !== null &&
    typeof input.tokenType !== 'string'
  ) {
    fail(
      `Token endpoint answer has a token_type of type ${typeOf(input.tokenType)}, expected a string`,
    );
  }
  const tokenType =
    typeof input.tokenType === 'string' && input.tokenType.trim()
      ? input.tokenType.trim()
      : 'Bearer';
  // RFC 6749 §7.1 / RFC 9110 auth-scheme: a token68-style name, no spaces.
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(tokenType)) {
    fail('Token endpoint answer has a token_type that is not a valid HTTP authentication scheme');
  }
  // RFC 6749 §7.1: a client must not use a token whose type it does not understand. A DPoP,
  // MAC or PoP token sent as Bearer would be rejected, or worse, accepted without its proof.
  // RFC 9449 §5: a server may answer Bearer to a DPoP request; that token is used as Bearer.
  const scheme = normalizeTokenType(tokenType);
  if (
    scheme !== 'Bearer' &&
    !(scheme === 'DPoP' && timings.dpop === true) &&
    !(timings.otherTokenTypes ?? []).includes(tokenType)
  ) {
    fail(
      `Token endpoint answered a token of type "${tokenType}", which tokenwise cannot use: only Bearer tokens are supported (RFC 6749 §7.1)${
        scheme === 'DPoP' ? '; DPoP tokens need the `dpop` option of createTokenManager' : ''
      }`,
    );
  }
  if (
    input.refreshToken !== undefined &&
    input.refreshToken !== null &&
    typeof input.refreshToken !== 'string'
  ) {
    fail(
      `Token endpoint answer has a refresh_token of type ${typeOf(input.refreshToken)}, expected a string`,
    );
  }
  const rotated =
    typeof input.refreshToken === 'string' && input.refreshToken !== ''
      ? input.refreshToken
      : undefined;
  // A server that does not rotate keeps the previous refresh token, and its expiry.
  const refreshToken = rotated ?? previous?.refreshToken;

  let expiresAt: number | undefined;
  let refreshTokenExpiresAt: number | undefined;
  try {
    expiresAt = resolveExpiresAt({
      expiresIn: input.expiresIn,
      expiresAt: input.expiresAt,
      accessToken: access,
      sentAt: timings.sentAt,
      receivedAt: timings.receivedAt,
      dateHeader: timings.dateHeader,
      defaultLifetimeMs: timings.defaultLifetimeMs,
    });
    const refreshLifetime =
      rotated === undefined
        ? undefined
        : parseExpiresIn(input.refreshExpiresIn, 'refresh_expires_in');
    refreshTokenExpiresAt =
      rotated === undefined
        ? previous?.refreshTokenExpiresAt
        : refreshLifetime === undefined || refreshLifetime === 0
          ? undefined
          : timings.sentAt + refreshLifetime;
  } catch (error) {
    return fail(`Token endpoint answer has an invalid expiry: ${(error as Error).message}`);
  }
  // Expired by the time the answer arrived (a lifetime shorter than the round trip): unusable.
  if (expiresAt !== undefined && expiresAt <= timings.receivedAt) {
    fail(
      'Token endpoint answered with a token that is already expired (is the server clock or expires_in wrong?)',
    );
  }
  const token: Token = {
    accessToken: access,
    tokenType: scheme,
    ...(expiresAt === undefined ? {} : { expiresAt }),
    issuedAt: timings.sentAt,
    ...(refreshToken === undefined ? {} : { refreshToken }),
    ...(refreshTokenExpiresAt === undefined ? {} : { refreshTokenExpiresAt }),
    ...scopeOf(input.scope, fail),
    raw,
  };
  return withRedactedInspect(token);
}

function scopeOf(scope: unknown, fail: (message: string) => never): { scope?: string } {
  if (scope === undefined || scope === null) return {};
  if (typeof scope === 'string')
    return scope.trim() ? { scope: scope.trim().split(/\s+/).join(' ') } : {};
  if (Array.isArray(scope) && scope.every((item) => typeof item === 'string'))
    return scope.length ? { scope: scope.join(' ') } : {};
  return fail(`Token endpoint answer has a scope of type ${typeOf(scope)}, expected a string`);
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string' && value.trim() === '') return 'an empty string';
  return typeof value;
}
