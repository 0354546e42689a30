import { requireNonEmptyString } from '../internal/options.ts';
import type { TokenHttpRequest } from '../token-http.ts';
import type { Flow } from './flow.ts';
import { is2xx } from './flow.ts';
import {
  type ClientOptions,
  oauthClient,
  parseOAuthResponse,
  scopeParam,
} from './oauth-options.ts';

/**
 * Options of {@link refreshToken}.
 *
 * @example
 * ```ts
 * const options: RefreshTokenOptions = { tokenUrl, clientId, clientSecret, refreshToken: row.refresh_token };
 * ```
 */
export interface RefreshTokenOptions extends ClientOptions {
  /** The refresh token to start from. A newer one in the store wins over it. */
  readonly refreshToken: string;
  /** Scope to request (optional; the server keeps the original scope otherwise). */
  readonly scope?: string | readonly string[] | undefined;
  /**
   * Distinguishes this grant's cache entry, e.g. the user id the refresh token belongs to.
   * @default the refresh token's SHA-256 digest, so a new starting token gets a new entry
   */
  readonly subject?: string | undefined;
}

/**
 * The refresh token grant, starting from a stored refresh token (a user's grant loaded from your
 * database). A rotated refresh token replaces the old one; an answer without `refresh_token`
 * keeps the old one. Use the manager's `onTokenChange` to persist rotations.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 * @example
 * ```ts
 * const tokens = createTokenManager({
 *   flow: refreshToken({ tokenUrl, clientId, clientSecret, refreshToken: user.refreshToken, subject: user.id }),
 *   onTokenChange: (token) => db.users.update(user.id, { refreshToken: token.refreshToken }),
 * });
 * ```
 */
export function refreshToken(options: RefreshTokenOptions): Flow {
  const client = oauthClient('refreshToken', options);
  requireNonEmptyString('refreshToken: refreshToken', options.refreshToken);
  const scope = scopeParam('refreshToken', options.scope);
  const grant = (token: string) => ({ grant_type: 'refresh_token', refresh_token: token, scope });
  const refresh = (token: string): TokenHttpRequest => client.request(grant(token));
  return {
    kind: 'refresh_token',
    tokenUrl: client.tokenUrl,
    cacheKeyMaterial: () =>
      client.keyMaterial(
        grant(options.subject === undefined ? options.refreshToken : `subject:${options.subject}`),
      ),
    initialRefreshToken: () => options.refreshToken,
    refreshGrant: refresh,
    requestSteps: client.steps,
    isSuccess: is2xx,
    parse: parseOAuthResponse,
  };
}
