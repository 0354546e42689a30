/**
 * A real, independently written OAuth 2.0 authorization server for interop tests: oidc-provider 9
 * in-process on 127.0.0.1, with opaque access tokens, client credentials, introspection and
 * revocation, and the authorization code grant driven by a scripted login and consent. Beside it,
 * on another origin, a protected API that validates every bearer token through the provider's
 * introspection endpoint (RFC 7662), as a resource server does.
 *
 * Quiet: its own signing key, storage, cookie keys and account lookup, so oidc-provider prints no
 * development-only warnings. Test-only; not exported from the package.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Provider } from 'oidc-provider';
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';
import { bearerToken } from '../internal/http.ts';

/** Credentials of one registered client. */
export interface OidcClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Counters of one server pair. */
export interface OidcStats {
  /** Successful token requests, by grant type, in order. */
  readonly grants: string[];
  /** Token requests refused, by `error`. */
  readonly grantErrors: string[];
  introspections: number;
  apiCalls: number;
  apiRejected: number;
  /** Errors oidc-provider reported as its own fault (must stay empty). */
  readonly serverErrors: Error[];
}

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
  /** Revokes a token at the provider's revocation endpoint (RFC 7009), as `client` (its owner). */
  revoke(token: string, client: OidcClient): Promise<void>;
  close(): Promise<void>;
}

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

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

const basicAuth = (client: OidcClient): string =>
  `Basic ${btoa(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`)}`;

const secret = (name: string): string => `${name}-secret-${randomBytes(12).toString('hex')}`;

/** Starts the provider and the protected API, each on its own loopback port. */
export async function startOidcServer(
  options: { readonly accessTokenTtl?: number } = {},
): Promise<OidcServer> {
  let accessTokenTtl = options.accessTokenTtl ?? 300;
  const basic = { clientId: 'cc-basic', clientSecret: secret('cc-basic') };
  const post = { clientId: 'cc-post', clientSecret: secret('cc-post') };
  const app = {
    clientId: 'web-app',
    clientSecret: secret('web-app'),
    redirectUri: 'http://127.0.0.1/callback',
  };
  const resourceServer = { clientId: 'api', clientSecret: secret('api') };
  const stats: OidcStats = {
    grants: [],
    grantErrors: [],
    introspections: 0,
    apiCalls: 0,
    apiRejected: 0,
    serverErrors: [],
  };

  const authServer = createServer();
  const issuer = await listen(authServer);
  const noRedirects = { redirect_uris: [], response_types: [] };
  const provider = new Provider(issuer, {
    adapter: createMemoryAdapter(),
    jwks: { keys: [jwk()] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    findAccount: (_ctx: unknown, accountId: string) => ({
      accountId,
      claims: () => ({ sub: accountId }),
    }),
    clients: [
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
    ],
    features: {
      clientCredentials: { enabled: true },
      introspection: {
        enabled: true,
        // Only the resource server may introspect.
        allowedPolicy: (_ctx: unknown, client: { clientId: string }) =>
          client.clientId === resourceServer.clientId,
      },
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx: unknown, client: { clientId: string }, token: { clientId: string }) =>
          client.clientId === token.clientId,
      },
      devInteractions: { enabled: false },
    },
    scopes: ['openid', 'offline_access'],
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    },
    rotateRefreshToken: true,
    ttl: {
      AccessToken: () => accessTokenTtl,
      ClientCredentials: () => accessTokenTtl,
      AuthorizationCode: 60,
      RefreshToken: 3_600,
      IdToken: 60,
      Grant: 3_600,
      Interaction: 60,
      Session: 3_600,
    },
  });
  provider.on('grant.success', (ctx) => {
    stats.grants.push(String(ctx.oidc.params?.grant_type));
  });
  provider.on('grant.error', (_ctx, error) => {
    stats.grantErrors.push(error.error ?? error.message);
  });
  provider.on('server_error', (_ctx, error) => {
    stats.serverErrors.push(error);
  });

  const providerCallback = provider.callback();
  /** The scripted login and consent: whoever asks is `accountId`, and consents. */
  const interact = async (req: IncomingMessage, res: ServerResponse, accountId: string) => {
    const details = await provider.interactionDetails(req, res);
    const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    grant.addOIDCScope('openid offline_access');
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  };
  let nextAccount = 'user-1';
  authServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/interaction/')) {
      interact(req, res, nextAccount).catch((error: unknown) => {
        stats.serverErrors.push(error as Error);
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    providerCallback(req, res);
  });

  const introspect = async (token: string): Promise<Record<string, unknown>> => {
    stats.introspections++;
    const res = await fetch(`${issuer}/token/introspection`, {
      method: 'POST',
      headers: {
        Authorization: basicAuth(resourceServer),
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
    });
    if (!res.ok) throw new Error(`introspection answered ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  };

  const apiServer = createServer((req, res) => {
    stats.apiCalls++;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const token = bearerToken(req);
    req.resume();
    const check: Promise<Record<string, unknown>> =
      token === undefined ? Promise.resolve({ active: false }) : introspect(token);
    check.then(
      (claims) => {
        if (claims.active !== true) {
          stats.apiRejected++;
          return send(
            401,
            { error: 'invalid_token' },
            { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
          );
        }
        const url = new URL(req.url ?? '/', 'http://api');
        send(200, {
          path: url.pathname.replace(/^\/api/, ''),
          clientId: claims.client_id,
          sub: claims.sub,
          scope: claims.scope,
        });
      },
      () => send(502, { error: 'introspection_failed' }),
    );
  });
  const apiOrigin = await listen(apiServer);

  /** A minimal cookie jar: the provider's interaction and session cookies, by name. */
  const authorize: OidcServer['authorize'] = async ({ codeChallenge, accountId = 'user-1' }) => {
    nextAccount = accountId;
    const jar = new Map<string, string>();
    let url = new URL(`${issuer}/auth`);
    url.search = new URLSearchParams({
      client_id: app.clientId,
      response_type: 'code',
      redirect_uri: app.redirectUri,
      scope: 'openid offline_access',
      prompt: 'consent',
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
      state: randomBytes(8).toString('hex'),
    }).toString();
    for (let hop = 0; hop < 10; hop++) {
      const res = await fetch(url, {
        redirect: 'manual',
        headers: { Cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') },
      });
      await res.body?.cancel();
      for (const cookie of res.headers.getSetCookie()) {
        const [pair = ''] = cookie.split(';');
        const at = pair.indexOf('=');
        jar.set(pair.slice(0, at), pair.slice(at + 1));
      }
      const location = res.headers.get('location');
      if (location === null) throw new Error(`authorization stopped at ${res.status}`);
      url = new URL(location, url);
      if (url.href.startsWith(app.redirectUri)) {
        const code = url.searchParams.get('code');
        if (code === null)
          throw new Error(`authorization failed: ${url.searchParams.get('error')}`);
        return code;
      }
    }
    throw new Error('authorization did not reach the redirect URI');
  };

  const revoke: OidcServer['revoke'] = async (token, client) => {
    // Each client authenticates the way it is registered.
    const usesBasic = client.clientId === basic.clientId;
    const res = await fetch(`${issuer}/token/revocation`, {
      method: 'POST',
      headers: {
        ...(usesBasic ? { Authorization: basicAuth(client) } : {}),
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
    get accessTokenTtl() {
      return accessTokenTtl;
    },
    set accessTokenTtl(seconds: number) {
      accessTokenTtl = seconds;
    },
    authorize,
    untilInactive,
    revoke,
    close: async () => {
      await Promise.all([closeServer(apiServer), closeServer(authServer)]);
    },
  };
}
