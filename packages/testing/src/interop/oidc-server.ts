/**
 * A real, independently written OAuth 2.0 authorization server for interop tests: oidc-provider 9
 * in-process on 127.0.0.1 ({@link createProvider}), with opaque access tokens, client
 * credentials, introspection and revocation, and the authorization code grant driven by a
 * scripted login and consent ({@link ScriptedBrowser}). Beside it, on another origin, a protected
 * API that validates every bearer token through the provider's introspection endpoint
 * (RFC 7662), as a resource server does ({@link protectedApi}).
 *
 * Test-only; not exported from the package.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { DpopResource } from './dpop-resource.ts';
import { closeLoopback, listenOnLoopback } from './loopback-http.ts';
import { basicAuthorization, newOidcClients, type OidcClient } from './oidc-clients.ts';
import { countProviderEvents, newOidcStats, type OidcStats } from './oidc-stats.ts';
import { introspector, protectedApi } from './protected-api.ts';
import { createProvider } from './provider-configuration.ts';
import { ScriptedBrowser } from './scripted-browser.ts';

export type { OidcClient } from './oidc-clients.ts';
export type { OidcStats } from './oidc-stats.ts';

/**
 * A running provider and protected API.
 *
 * @example
 * ```ts
 * const server = await startOidcServer();
 * const flow = clientCredentials({ tokenUrl: server.tokenUrl, ...server.basic });
 * // … call server.apiUrl …
 * expect(server.stats.serverErrors).toEqual([]);
 * ```
 */
export interface OidcServer {
  readonly issuer: string;
  /** `${issuer}/token` */
  readonly tokenUrl: string;
  /** The protected API's base URL (its own origin). */
  readonly apiUrl: string;
  /** Client credentials clients, one per authentication method. */
  readonly basic: OidcClient;
  readonly post: OidcClient;
  /** The authorization code client (client_secret_post, refresh tokens, rotation). */
  readonly app: OidcClient & { readonly redirectUri: string };
  readonly stats: OidcStats;
  /** The protected API's DPoP checks: its counters, and `requireNonce` / `rotateNonce()`. */
  readonly dpop: DpopResource;
  /** Access token lifetime (seconds) for tokens issued from now on. @default 300 */
  accessTokenTtl: number;
  /**
   * Runs an authorization request for `app` as a browser would, with a scripted login of
   * `accountId` and consent to `openid offline_access`; resolves to the authorization code.
   */
  authorize(options: {
    readonly codeChallenge: string;
    readonly accountId?: string;
  }): Promise<string>;
  /**
   * Resolves once the provider's introspection calls `accessToken` inactive (polling every 25 ms,
   * for at most `limitMs`); rejects if it never does.
   */
  untilInactive(accessToken: string, limitMs?: number): Promise<void>;
  /** The provider's introspection answer for `accessToken` (RFC 7662), as the API sees it. */
  introspect(accessToken: string): Promise<Record<string, unknown>>;
  /** Revokes a token at the provider's revocation endpoint (RFC 7009), as `client` (its owner). */
  revoke(token: string, client: OidcClient): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the provider and the protected API, each on its own loopback port.
 *
 * @example
 * ```ts
 * const server = defer(await startOidcServer({ accessTokenTtl: 2 }));
 * const code = await server.authorize({ codeChallenge });
 * ```
 */
export async function startOidcServer(
  options: {
    readonly accessTokenTtl?: number;
    /** More clients, as client metadata (e.g. `jwtClientMetadata(…)`). */
    readonly extraClients?: readonly Record<string, unknown>[];
    readonly dpopNonces?: boolean;
  } = {},
): Promise<OidcServer> {
  let accessTokenTtl = options.accessTokenTtl ?? 300;
  const clients = newOidcClients();
  const { basic, post, app } = clients;
  const stats = newOidcStats();

  const authServer = createServer();
  const issuer = await listenOnLoopback(authServer);
  const provider = createProvider(issuer, clients, () => accessTokenTtl, {
    extraClients: options.extraClients ?? [],
    dpopNonces: options.dpopNonces === true,
  });
  countProviderEvents(provider, stats);
  const providerCallback = provider.callback();
  const browser = new ScriptedBrowser(provider, issuer, app);
  authServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (browser.isInteraction(req)) {
      browser.interact(req, res).catch((error: unknown) => {
        stats.serverErrors.push(error as Error);
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    providerCallback(req, res);
  });

  const introspect = introspector(issuer, clients.resourceServer, stats);
  const dpop = new DpopResource();
  const apiServer = protectedApi(introspect, stats, dpop);
  const apiOrigin = await listenOnLoopback(apiServer);

  const revoke: OidcServer['revoke'] = async (token, client) => {
    // Each client authenticates the way it is registered.
    const usesBasic = client.clientId === basic.clientId;
    const res = await fetch(`${issuer}/token/revocation`, {
      method: 'POST',
      headers: {
        ...(usesBasic ? { Authorization: basicAuthorization(client) } : {}),
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        token,
        ...(usesBasic ? {} : { client_id: client.clientId, client_secret: client.clientSecret }),
      }),
    });
    await res.body?.cancel();
    if (!res.ok) throw new Error(`revocation answered ${res.status}`);
  };

  const untilInactive: OidcServer['untilInactive'] = async (accessToken, limitMs = 3_000) => {
    const deadline = Date.now() + limitMs;
    while ((await introspect(accessToken)).active === true) {
      if (Date.now() > deadline) throw new Error('the token stayed active');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  return {
    issuer,
    tokenUrl: `${issuer}/token`,
    apiUrl: `${apiOrigin}/api`,
    basic,
    post,
    app,
    stats,
    dpop,
    get accessTokenTtl() {
      return accessTokenTtl;
    },
    set accessTokenTtl(seconds: number) {
      accessTokenTtl = seconds;
    },
    authorize: (authorization) => browser.authorize(authorization),
    untilInactive,
    introspect,
    revoke,
    close: async () => {
      await Promise.all([closeLoopback(apiServer), closeLoopback(authServer)]);
    },
  };
}
