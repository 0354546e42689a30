/**
 * Tokens and codes a test names before any request: the loopback server gets them from its own
 * mock (a code exchange, a client-credentials grant, an authorization), with the names reserved
 * for that one call, so the mock knows them as it knows every token it issued. Seeding goes
 * through the mock's handlers directly, not the socket: it is not in `tokenRequests` (the
 * mock's own `oauth.tokenRequests` lists it).
 */
import { createHash } from 'node:crypto';
import type { ClientConfig, MockOAuthServer } from '@tokenwise/msw';
import { getResponse } from 'msw';
import type { TokenNames } from './token-names.ts';

/** Where seeded codes and refresh tokens are said to be redirected (never fetched). */
const seedRedirectUri = 'https://seed.invalid/callback';

/**
 * Options of `acceptCode`.
 *
 * @example
 * await server.acceptCode('code-9d2', { redirectUri: 'https://app.example/cb', codeVerifier });
 */
export interface AcceptCodeOptions {
  /** The `redirect_uri` the client will send with the code. */
  readonly redirectUri: string;
  /** The PKCE verifier the client will send; without it the code has no challenge. */
  readonly codeVerifier?: string;
  /** @default the server's first client */
  readonly clientId?: string;
}

/**
 * Seeds tokens and codes into one server's mock.
 *
 * @example
 * const seeds = new Seeds(oauth, names, { [clientId]: clientSecret });
 * await seeds.refreshToken('refresh-start');
 */
export class Seeds {
  readonly #oauth: MockOAuthServer;
  readonly #names: TokenNames;
  readonly #clients: Readonly<Record<string, ClientConfig>>;
  readonly #defaultClient: string;
  #count = 0;

  constructor(
    oauth: MockOAuthServer,
    names: TokenNames,
    clients: Readonly<Record<string, ClientConfig>>,
  ) {
    this.#oauth = oauth;
    this.#names = names;
    this.#clients = clients;
    this.#defaultClient = Object.keys(clients)[0] ?? '';
  }

  /** Makes `token` a refresh token of `clientId` that the mock accepts (and rotates). */
  refreshToken(token: string, clientId = this.#defaultClient): Promise<void> {
    const n = ++this.#count;
    const reserved = {
      code: [`seed-code-${n}`],
      access_token: [`seed-access-${n}`],
      refresh_token: [token],
    };
    return this.#names.run(reserved, async () => {
      const code = await this.#oauth.authorize({ clientId, redirectUri: seedRedirectUri });
      const params = { grant_type: 'authorization_code', code, redirect_uri: seedRedirectUri };
      await this.#grant(clientId, params);
    });
  }

  /** Makes `token` an access token of `clientId` that the API accepts. */
  accessToken(token: string, clientId = this.#defaultClient): Promise<void> {
    return this.#names.run({ access_token: [token] }, () =>
      this.#grant(clientId, { grant_type: 'client_credentials' }),
    );
  }

  /** Makes `code` an authorization code the token endpoint exchanges once. */
  async code(code: string, options: AcceptCodeOptions): Promise<void> {
    const { redirectUri, codeVerifier, clientId = this.#defaultClient } = options;
    const codeChallenge =
      codeVerifier === undefined
        ? undefined
        : createHash('sha256').update(codeVerifier).digest('base64url');
    await this.#names.run({ code: [code] }, () =>
      this.#oauth.authorize({ clientId, redirectUri, codeChallenge }),
    );
  }

  /** Runs a grant through the mock's token endpoint; throws unless it issued. */
  async #grant(clientId: string, params: Record<string, string>): Promise<void> {
    const config = this.#clients[clientId];
    const secret = typeof config === 'object' && config !== null ? config.secret : config;
    const body = new URLSearchParams({
      ...params,
      client_id: clientId,
      ...(secret ? { client_secret: secret } : {}),
    });
    const request = new Request(this.#oauth.endpoints.token, { method: 'POST', body });
    const response = await getResponse([...this.#oauth.handlers], request);
    if (response?.status !== 200)
      throw new Error(`seeding ${params.grant_type} for ${clientId}: ${await response?.text()}`);
  }
}
