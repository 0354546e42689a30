/**
 * oidc-provider 9 configured for the interop tests: opaque access tokens (DPoP-bound when the
 * token request carries a proof, nonces required when asked), client credentials,
 * introspection (for the resource server only), revocation (by the token's owner), the
 * authorization code grant with refresh token rotation, and interactions left to a script.
 *
 * Quiet: its own signing key, storage and cookie keys, and an account lookup, so oidc-provider
 * prints no development-only warnings.
 *
 * @module
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Provider } from 'oidc-provider';
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';
import { clientMetadata, type OidcClients } from './oidc-clients.ts';

let signingKey: Record<string, unknown> | undefined;
/** One RSA key per process: generating it is the slow part of starting a provider. */
function jwk(): Record<string, unknown> {
  signingKey ??= {
    ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
    kid: 'interop',
    use: 'sig',
  };
  return signingKey;
}

/**
 * A provider at `issuer` with `clients` (and `extraClients`, as client metadata) registered;
 * access tokens live `accessTokenTtl()` seconds, read when each is issued.
 *
 * @example
 * ```ts
 * const provider = createProvider(issuer, newOidcClients(), () => 300);
 * authServer.on('request', provider.callback());
 * ```
 */
export function createProvider(
  issuer: string,
  clients: OidcClients,
  accessTokenTtl: () => number,
  options: {
    /** More clients, as client metadata (e.g. `jwtClientMetadata(…)`). */
    readonly extraClients?: readonly Record<string, unknown>[];
    readonly dpopNonces?: boolean;
  } = {},
): Provider {
  return new Provider(issuer, {
    adapter: createMemoryAdapter(),
    jwks: { keys: [jwk()] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    findAccount: (_ctx: unknown, accountId: string) => ({
      accountId,
      claims: () => ({ sub: accountId }),
    }),
    clients: [...clientMetadata(clients), ...(options.extraClients ?? [])],
    features: {
      clientCredentials: { enabled: true },
      introspection: {
        enabled: true,
        // Only the resource server may introspect.
        allowedPolicy: (_ctx: unknown, client: { clientId: string }) =>
          client.clientId === clients.resourceServer.clientId,
      },
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx: unknown, client: { clientId: string }, token: { clientId: string }) =>
          client.clientId === token.clientId,
      },
      devInteractions: { enabled: false },
      // DPoP (RFC 9449): on, as in oidc-provider 9 by default; with `dpopNonces`, every token
      // request must carry a server nonce (a first request gets 400 use_dpop_nonce).
      dPoP: options.dpopNonces
        ? { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true }
        : { enabled: true },
    },
    scopes: ['openid', 'offline_access'],
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    },
    rotateRefreshToken: true,
    ttl: {
      AccessToken: () => accessTokenTtl(),
      ClientCredentials: () => accessTokenTtl(),
      AuthorizationCode: 60,
      RefreshToken: 3_600,
      IdToken: 60,
      Grant: 3_600,
      Interaction: 60,
      Session: 3_600,
    },
  });
}
