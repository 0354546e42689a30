import { httpUrl, requireNonEmptyString } from '../internal/options.ts';
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
 * Options of {@link authorizationCode}.
 *
 * @example
 * ```ts
 * const options: AuthorizationCodeOptions = { tokenUrl, clientId, clientSecret, code, redirectUri };
 * ```
 */
export interface AuthorizationCodeOptions extends ClientOptions {
  /** The authorization code from the redirect; exchanged once. */
  readonly code: string;
  /** The redirect URI used in the authorization request. */
  readonly redirectUri: string | URL;
  /** The PKCE verifier whose challenge was sent in the authorization request (RFC 7636). */
  readonly codeVerifier?: string | undefined;
  /** Scope to request on refresh (optional; the server keeps the original scope otherwise). */
  readonly scope?: string | readonly string[] | undefined;
}

/**
 * The authorization code grant: exchanges `code` once, then renews with the refresh token the
 * server returned, keeping the newest one when the server rotates it. When the refresh token is
 * rejected (`invalid_grant`) the user must authorize again: `getToken` rejects with code
 * `ERR_REAUTHORIZATION_REQUIRED`.
 *
 * Servers that want `redirect_uri` on refresh too (Priava) get it through `params`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * @example
 * ```ts
 * const redirectUri = 'https://my.app.com/oauth2callback';
 * const flow = authorizationCode({
 *   tokenUrl: 'https://api.priava.com/rest/oauth/token',
 *   clientId, clientSecret, code, redirectUri,
 *   headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8', TenantRegion: 'EU' },
 *   params: { redirect_uri: redirectUri },
 * });
 * ```
 */
export function authorizationCode(options: AuthorizationCodeOptions): Flow {
  const client = oauthClient('authorizationCode', options);
  requireNonEmptyString('authorizationCode: code', options.code);
  const redirectUri = httpUrl('authorizationCode: redirectUri', options.redirectUri);
  if (options.codeVerifier !== undefined)
    requireNonEmptyString('authorizationCode: codeVerifier', options.codeVerifier);
  const redirect = options.redirectUri instanceof URL ? redirectUri : options.redirectUri;
  const scope = scopeParam('authorizationCode', options.scope);
  const grant = {
    grant_type: 'authorization_code',
    code: options.code,
    redirect_uri: redirect,
    code_verifier: options.codeVerifier,
  };
  const exchange = (): TokenHttpRequest => client.request(grant);
  return {
    kind: 'authorization_code',
    tokenUrl: client.tokenUrl,
    cacheKeyMaterial: () => client.keyMaterial(grant),
    initialGrant: { reusable: false, request: exchange },
    refreshGrant: (refreshToken) =>
      client.request({ grant_type: 'refresh_token', refresh_token: refreshToken, scope }),
    requestSteps: client.steps,
    isSuccess: is2xx,
    parse: parseOAuthResponse,
  };
}
