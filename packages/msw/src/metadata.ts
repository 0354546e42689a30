/**
 * The RFC 8414 authorization server metadata document.
 *
 * @module
 */
import { grantTypes } from './grants.ts';
import type { ResolvedOptions } from './options.ts';

/**
 * The mock's endpoints, all below the issuer.
 *
 * @example
 * ```ts
 * oauth.endpoints.token; // 'https://auth.test/token'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export interface MockOAuthEndpoints {
  /** `${issuer}/token` */
  readonly token: string;
  /** `${issuer}/authorize` */
  readonly authorization: string;
  /** `${issuer}/jwks` */
  readonly jwks: string;
  /** `${issuer}/.well-known/oauth-authorization-server` */
  readonly metadata: string;
}

/** The endpoint URLs of an issuer. */
export function endpointsOf(issuer: string): MockOAuthEndpoints {
  return {
    token: `${issuer}/token`,
    authorization: `${issuer}/authorize`,
    jwks: `${issuer}/jwks`,
    metadata: `${issuer}/.well-known/oauth-authorization-server`,
  };
}

/** The metadata document served at `${issuer}/.well-known/oauth-authorization-server`. */
export function metadataDocument(options: ResolvedOptions): Record<string, unknown> {
  const endpoints = endpointsOf(options.issuer);
  const scopes = new Set(
    [...options.clients.values()].flatMap((client) => [...(client.scope ?? [])]),
  );
  return {
    issuer: options.issuer,
    authorization_endpoint: endpoints.authorization,
    token_endpoint: endpoints.token,
    jwks_uri: endpoints.jwks,
    ...(scopes.size === 0 ? {} : { scopes_supported: [...scopes] }),
    response_types_supported: ['code'],
    grant_types_supported: grantTypes,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
  };
}
