/**
 * oidc-provider 9 with mutual TLS (RFC 8705), for the interop tests: behind a Node HTTPS server
 * that asks every client for a certificate (and lets oidc-provider judge it), a client registered
 * for `tls_client_auth` with the subject `CN=<clientId>` and certificate-bound access tokens, and
 * introspection for the resource server. Beside it, on its own origin, a protected API that
 * requires client certificates and accepts a token only on its certificate's connection, learning
 * the binding (`cnf.x5t#S256`) from the provider's introspection endpoint.
 *
 * Test-only; not exported from the package.
 *
 * @module
 */
import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { createServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { Provider } from 'oidc-provider';
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';
import { type BoundApiStats, certificateBoundApi } from '../mtls/certificate-bound-api.ts';
import type { KeyAndCertificate } from '../mtls/test-pki.ts';
import { tlsFetch } from '../mtls/tls-fetch.ts';
import { closeLoopback, listenOnLoopback } from './loopback-http.ts';
import { basicAuthorization, type OidcClient } from './oidc-clients.ts';
import { countProviderEvents, newOidcStats, type OidcStats } from './oidc-stats.ts';

/**
 * A running provider and certificate-checking API.
 *
 * @example
 * ```ts
 * const server = defer(await startMtlsProvider({ tls: pki.server, clientId: 'cc-mtls' }));
 * const claims = await server.introspect(token.accessToken);
 * ```
 */
export interface MtlsProvider {
  readonly issuer: string;
  /** `${issuer}/token` */
  readonly tokenUrl: string;
  /** The protected API's base URL (its own origin). */
  readonly apiUrl: string;
  /** The `tls_client_auth` client: its certificate's subject must be `CN=<clientId>`. */
  readonly clientId: string;
  /** The provider's side: grants, refusals, introspections, its own errors. */
  readonly stats: Pick<OidcStats, 'grants' | 'grantErrors' | 'introspections' | 'serverErrors'>;
  /** The API's side: calls, and why it refused some. */
  readonly apiStats: BoundApiStats;
  /** The provider's introspection answer for `token` (RFC 7662), as the resource server gets it. */
  introspect(token: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** The part of oidc-provider's (Koa) context the mTLS helpers read. */
interface TlsContext {
  readonly socket: TLSSocket;
}

/** The certificate the client presented on the request's connection, verified or not. */
function presented(ctx: TlsContext): X509Certificate | undefined {
  const { raw } = ctx.socket.getPeerCertificate();
  return raw === undefined ? undefined : new X509Certificate(raw);
}

/**
 * Starts the provider (HTTPS with the server certificate of `tls`; client certificates requested,
 * verified against the CA of `tls`, judged by oidc-provider) and the API.
 *
 * @example
 * ```ts
 * const server = defer(await startMtlsProvider({ tls: pki.server, clientId: 'cc-mtls' }));
 * ```
 */
export async function startMtlsProvider(options: {
  readonly tls: KeyAndCertificate;
  readonly clientId: string;
}): Promise<MtlsProvider> {
  const { tls, clientId } = options;
  const resourceServer: OidcClient = {
    clientId: 'api',
    clientSecret: `api-secret-${randomBytes(12).toString('hex')}`,
  };
  const stats = newOidcStats();
  const apiStats: BoundApiStats = { apiCalls: 0, apiRejected: [] };

  const authServer = createServer({ ...tls, requestCert: true, rejectUnauthorized: false });
  const issuer = await listenOnLoopback(authServer);
  const noRedirects = { redirect_uris: [], response_types: [] };
  const provider = new Provider(issuer, {
    adapter: createMemoryAdapter(),
    jwks: {
      keys: [
        generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }),
      ],
    },
    enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
    clientAuthMethods: ['client_secret_basic', 'tls_client_auth'],
    cookies: { keys: [randomBytes(16).toString('hex')] },
    findAccount: (_ctx: unknown, accountId: string) => ({
      accountId,
      claims: () => ({ sub: accountId }),
    }),
    clients: [
      {
        client_id: clientId,
        grant_types: ['client_credentials'],
        token_endpoint_auth_method: 'tls_client_auth',
        tls_client_auth_subject_dn: `CN=${clientId}`,
        tls_client_certificate_bound_access_tokens: true,
        id_token_signed_response_alg: 'ES256',
        ...noRedirects,
      },
      {
        client_id: resourceServer.clientId,
        client_secret: resourceServer.clientSecret,
        grant_types: [],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'ES256',
        ...noRedirects,
      },
    ],
    features: {
      clientCredentials: { enabled: true },
      introspection: {
        enabled: true,
        allowedPolicy: (_ctx: unknown, client: { clientId: string }) =>
          client.clientId === resourceServer.clientId,
      },
      mTLS: {
        enabled: true,
        certificateBoundAccessTokens: true,
        tlsClientAuth: true,
        getCertificate: presented,
        certificateAuthorized: (ctx: TlsContext) => ctx.socket.authorized,
        certificateSubjectMatches: (ctx: TlsContext, property: string, expected: string) =>
          property === 'tls_client_auth_subject_dn' && presented(ctx)?.subject === expected,
      },
      devInteractions: { enabled: false },
    },
    ttl: { ClientCredentials: 300 },
  });
  countProviderEvents(provider, stats);
  authServer.on('request', provider.callback());

  // The resource server authenticates with its secret; it trusts the test CA, presents nothing.
  const introspection = tlsFetch({ ca: tls.ca });
  const introspect = async (token: string): Promise<Record<string, unknown>> => {
    stats.introspections++;
    const res = await introspection.fetch(`${issuer}/token/introspection`, {
      method: 'POST',
      headers: {
        Authorization: basicAuthorization(resourceServer),
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
    });
    if (!res.ok) throw new Error(`introspection answered ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const api = certificateBoundApi(async (token) => {
    const claims = await introspect(token);
    const thumbprint = (claims.cnf as Record<string, unknown> | undefined)?.['x5t#S256'];
    if (claims.active !== true || typeof thumbprint !== 'string') return undefined;
    return { clientId: String(claims.client_id), thumbprint };
  }, apiStats);
  const apiServer = createServer({ ...tls, requestCert: true, rejectUnauthorized: true }, api);
  const apiOrigin = await listenOnLoopback(apiServer);

  return {
    issuer,
    tokenUrl: `${issuer}/token`,
    apiUrl: `${apiOrigin}/api`,
    clientId,
    stats,
    apiStats,
    introspect,
    close: async () => {
      await Promise.all([closeLoopback(apiServer), closeLoopback(authServer)]);
      await introspection.close();
    },
  };
}
