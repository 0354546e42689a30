import type { RequestStep } from '../request-step.ts';
import type { Flow } from './flow.ts';
import { is2xx } from './flow.ts';
import {
  type ClientOptions,
  oauthClient,
  parseOAuthResponse,
  scopeParam,
} from './oauth-options.ts';
import { type RequestInput, requestInputStep, requireRequestInput } from './request-input.ts';

/**
 * Options of {@link jwtBearer}. Client authentication is optional (none given: none sent).
 *
 * @example
 * ```ts
 * const options: JwtBearerOptions = { tokenUrl, assertion: () => signedJwtFromYourIssuer(), scope: 'read' };
 * ```
 */
export interface JwtBearerOptions extends Omit<ClientOptions, 'clientId'> {
  /** The client, when the server wants the grant authenticated (any `clientAuth` method). */
  readonly clientId?: string | undefined;
  /** The JWT to present as the grant (`assertion`), or a function called for each token request. */
  readonly assertion: RequestInput;
  /** `scope`: a space-separated string or an array. */
  readonly scope?: string | readonly string[] | undefined;
  /**
   * What distinguishes this grant's cache entry. The default key includes a string `assertion`
   * (digested), not what a function returns: give one when managers that share a store present
   * different subjects' assertions through functions.
   */
  readonly cacheKey?: string | undefined;
}

/**
 * The JWT bearer grant (RFC 7523 §2.1): a JWT issued by a party the authorization server trusts
 * is exchanged for an access token. `assertion` may be a function, called again for every token
 * request (a JWT has a short `exp`). No refresh: when the token expires, a new request replaces
 * it.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.1
 * @example
 * ```ts
 * const tokens = createTokenManager({
 *   flow: jwtBearer({
 *     tokenUrl: 'https://auth.example.com/oauth2/token',
 *     assertion: () => signServiceAccountJwt(),
 *     scope: 'orders.read',
 *   }),
 * });
 * ```
 */
export function jwtBearer(options: JwtBearerOptions): Flow {
  const client = oauthClient('jwtBearer', options, { clientOptional: true });
  requireRequestInput('jwtBearer: assertion', options.assertion);
  if (
    options.cacheKey !== undefined &&
    (typeof options.cacheKey !== 'string' || options.cacheKey === '')
  )
    throw new TypeError('jwtBearer: cacheKey must be a non-empty string');
  const { assertion } = options;
  const grant = {
    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    assertion: typeof assertion === 'string' ? assertion : undefined,
    scope: scopeParam('jwtBearer', options.scope),
  };
  const input: RequestStep[] =
    typeof assertion === 'string'
      ? []
      : [
          requestInputStep(
            { assertion: { label: 'jwtBearer: assertion', input: assertion } },
            options.bodyFormat ?? 'form',
          ),
        ];
  const steps = [...input, ...(client.steps ?? [])];
  return {
    kind: 'jwt_bearer',
    tokenUrl: client.tokenUrl,
    cacheKeyMaterial: () =>
      options.cacheKey === undefined
        ? client.keyMaterial(grant)
        : JSON.stringify([
            client.keyMaterial({ ...grant, assertion: undefined }),
            options.cacheKey,
          ]),
    initialGrant: { reusable: true, request: () => client.request(grant) },
    requestSteps: steps.length === 0 ? undefined : steps,
    isSuccess: is2xx,
    parse: parseOAuthResponse,
  };
}
