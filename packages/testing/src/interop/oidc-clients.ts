/**
 * The clients the interop provider registers: two client credentials clients (one per client
 * authentication method), the authorization code client, and the resource server that
 * introspects tokens. Secrets are fresh for each server.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';

/**
 * Credentials of one registered client.
 *
 * @example
 * ```ts
 * const client: OidcClient = { clientId: 'cc-basic', clientSecret: 'cc-basic-secret-…' };
 * ```
 */
export interface OidcClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

/**
 * Every client of one provider.
 *
 * @example
 * ```ts
 * const { basic, post, app, resourceServer } = newOidcClients();
 * ```
 */
export interface OidcClients {
  /** Client credentials, client_secret_basic. */
  readonly basic: OidcClient;
  /** Client credentials, client_secret_post. */
  readonly post: OidcClient;
  /** The authorization code client (client_secret_post, refresh tokens, rotation). */
  readonly app: OidcClient & { readonly redirectUri: string };
  /** The protected API: may introspect, may not ask for tokens. */
  readonly resourceServer: OidcClient;
}

const secret = (name: string): string => `${name}-secret-${randomBytes(12).toString('hex')}`;

/**
 * The clients of a new provider, each with a random secret.
 *
 * @example
 * ```ts
 * const clients = newOidcClients();
 * clients.basic.clientId; // 'cc-basic'
 * ```
 */
export function newOidcClients(): OidcClients {
  return {
    basic: { clientId: 'cc-basic', clientSecret: secret('cc-basic') },
    post: { clientId: 'cc-post', clientSecret: secret('cc-post') },
    app: {
      clientId: 'web-app',
      clientSecret: secret('web-app'),
      redirectUri: 'http://127.0.0.1/callback',
    },
    resourceServer: { clientId: 'api', clientSecret: secret('api') },
  };
}

/**
 * The clients as oidc-provider registers them (RFC 7591 client metadata).
 *
 * @example
 * ```ts
 * new Provider(issuer, { clients: clientMetadata(newOidcClients()) });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 */
export function clientMetadata(clients: OidcClients): Record<string, unknown>[] {
  const { basic, post, app, resourceServer } = clients;
  const noRedirects = { redirect_uris: [], response_types: [] };
  return [
    {
      client_id: basic.clientId,
      client_secret: basic.clientSecret,
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_basic',
      ...noRedirects,
    },
    {
      client_id: post.clientId,
      client_secret: post.clientSecret,
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_post',
      ...noRedirects,
    },
    {
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [app.redirectUri],
      token_endpoint_auth_method: 'client_secret_post',
    },
    {
      client_id: resourceServer.clientId,
      client_secret: resourceServer.clientSecret,
      grant_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
      ...noRedirects,
    },
  ];
}

/**
 * The `Authorization` header of client_secret_basic: id and secret, encoded, joined, base64.
 *
 * @example
 * ```ts
 * fetch(revocationUrl, { method: 'POST', headers: { Authorization: basicAuthorization(client) } });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function basicAuthorization(client: OidcClient): string {
  return `Basic ${btoa(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`)}`;
}
