import type { BodyParams } from '../internal/build-request.ts';
import { requireObject, requireStringParams } from '../internal/options.ts';
import type { TokenInput } from '../token.ts';
import type { TokenHttpResponse } from '../token-http.ts';
import type { TokenParameters } from '../token-parameters.ts';
import type { Flow } from './flow.ts';
import { is2xx } from './flow.ts';
import {
  type ClientOptions,
  type OAuthClient,
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
  /** The client secret; not needed with `privateKey` or `clientAssertion`. */
  readonly clientSecret?: string | undefined;
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
  // A secret is expected unless a key or an assertion callback authenticates the client.
  const client = oauthClient('clientCredentials', options, { secretRequired: true });
  return new ClientCredentialsFlow(client, grantOf(options));
}

/** What the grant asks for: the options that become its parameters. */
type GrantOptions = Pick<ClientCredentialsOptions, 'scope' | 'audience' | 'resource'>;

/**
 * The grant parameters of `options` (checked): only those given, since the grant is kept for the
 * manager's lifetime, and one shared object when none is.
 */
function grantOf(options: GrantOptions): BodyParams {
  const { audience, resource } = options;
  requireStringParams('clientCredentials: options', { audience, resource });
  const scope = scopeParam('clientCredentials', options.scope);
  if (scope === undefined && audience === undefined && resource === undefined) return bareGrant;
  const grant: BodyParams = { grant_type: 'client_credentials' };
  if (scope !== undefined) grant.scope = scope;
  if (audience !== undefined) grant.audience = audience;
  if (resource !== undefined) grant.resource = resource;
  return grant;
}

/** The grant of a client asking for no scope, audience or resource. */
const bareGrant: BodyParams = /* @__PURE__ */ Object.freeze({ grant_type: 'client_credentials' });

/**
 * The {@link Flow} of {@link clientCredentials}: a class, so that an idle manager holds one object
 * for it (its methods are shared), not an object, a scope and a closure per method. It keeps the
 * client and the grant, not the options they were read from.
 */
class ClientCredentialsFlow implements Flow {
  readonly tokenUrl: string;
  readonly requestSteps: Flow['requestSteps'];
  readonly #client: OAuthClient;
  readonly #grant: BodyParams;

  constructor(client: OAuthClient, grant: BodyParams) {
    this.tokenUrl = client.tokenUrl;
    this.requestSteps = client.steps;
    this.#client = client;
    this.#grant = grant;
  }

  get kind(): string {
    return 'client_credentials';
  }

  /** The client credentials request, sent again for every token (it can be). */
  get initialGrant(): NonNullable<Flow['initialGrant']> {
    const client = this.#client;
    const grant = this.#grant;
    return { reusable: true, request: () => client.request(grant) };
  }

  cacheKeyMaterial(): string {
    return this.#client.keyMaterial(this.#grant);
  }

  /** The same client (its authentication, a signing key imported once) asking for other parameters. */
  withParameters({ scope, resource }: TokenParameters): Flow {
    // The grant holds the options' scope (joined), audience and resource, as checked.
    const grant = this.#grant as Readonly<GrantOptions>;
    const asked: GrantOptions = {
      scope: scope ?? grant.scope,
      audience: grant.audience,
      resource: resource ?? grant.resource,
    };
    return new ClientCredentialsFlow(this.#client, grantOf(asked));
  }

  isSuccess(status: number): boolean {
    return is2xx(status);
  }

  parse(response: TokenHttpResponse): TokenInput {
    return parseOAuthResponse(response);
  }
}
