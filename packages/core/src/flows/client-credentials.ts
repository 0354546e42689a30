import { requireObject, requireStringParams } from '../internal/options.ts';
import type { Flow } from './flow.ts';
import { is2xx, requestKeyMaterial } from './flow.ts';
import {
  type ClientOptions,
  oauthClient,
  parseOAuthResponse,
  scopeParam,
} from './oauth-options.ts';

/**
 * Options of {@link clientCredentials}.
 *
 * @example
 * ```ts
 * const options: ClientCredentialsOptions = { tokenUrl, clientId, clientSecret, scope: 'idp_api' };
 * ```
 */
export interface ClientCredentialsOptions extends ClientOptions {
  readonly clientSecret: string;
  /** Requested scope: a space-separated string or an array. */
  readonly scope?: string | readonly string[] | undefined;
  /** `audience` parameter (Auth0, Okta and others). */
  readonly audience?: string | undefined;
  /** RFC 8707 resource indicator(s). */
  readonly resource?: string | readonly string[] | undefined;
}

/**
 * The OAuth 2.0 client credentials grant: the service authenticates as itself. Each renewal asks
 * for a new token; refresh tokens are not used (RFC 6749 §4.4.3). Takes per-request token
 * parameters (`getToken({ scope, resource })`), each a cache entry of its own.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 * @example
 * ```ts
 * const tokens = createTokenManager({
 *   flow: clientCredentials({
 *     tokenUrl: 'https://prod.personifyauth.com/connect/token',
 *     clientId: process.env.CLIENT_ID!, clientSecret: process.env.CLIENT_SECRET!,
 *     scope: 'idp_api',
 *   }),
 * });
 * ```
 */
export function clientCredentials(options: ClientCredentialsOptions): Flow {
  requireObject('clientCredentials: options', options);
  const client = oauthClient('clientCredentials', {
    ...options,
    clientAuth: options.clientAuth ?? 'client_secret_post',
  });
  requireStringParams('clientCredentials: options', {
    audience: options.audience,
    resource: options.resource,
  });
  const scope = scopeParam('clientCredentials', options.scope);
  const grant = {
    grant_type: 'client_credentials',
    scope,
    audience: options.audience,
    resource: options.resource,
  };
  return {
    kind: 'client_credentials',
    tokenUrl: client.tokenUrl,
    cacheKeyMaterial: () => requestKeyMaterial(client.request(grant)),
    initialGrant: { reusable: true, request: () => client.request(grant) },
    withParameters: ({ scope: asked, resource }) =>
      clientCredentials({
        ...options,
        scope: asked ?? options.scope,
        resource: resource ?? options.resource,
      }),
    isSuccess: is2xx,
    parse: parseOAuthResponse,
  };
}
