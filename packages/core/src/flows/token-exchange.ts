import { requireNonEmptyString, requireStringParams } from '../internal/options.ts';
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
 * Options of {@link tokenExchange}: the RFC 8693 §2.1 parameters by their RFC names, and client
 * authentication, which is optional (none given: no client authentication).
 *
 * @example
 * ```ts
 * const options: TokenExchangeOptions = {
 *   tokenUrl, subjectToken: incomingAccessToken,
 *   subjectTokenType: 'urn:ietf:params:oauth:token-type:access_token',
 *   audience: 'https://orders.example.com',
 * };
 * ```
 */
export interface TokenExchangeOptions extends Omit<ClientOptions, 'clientId'> {
  /** The client, when the server wants the exchange authenticated (any `clientAuth` method). */
  readonly clientId?: string | undefined;
  /** The token to exchange (`subject_token`), or a function called for each token request. */
  readonly subjectToken: RequestInput;
  /** `subject_token_type`, e.g. `urn:ietf:params:oauth:token-type:jwt`. */
  readonly subjectTokenType: string;
  /** `actor_token`: who acts on the subject's behalf (delegation); a string or a function. */
  readonly actorToken?: RequestInput | undefined;
  /** `actor_token_type`: required with `actorToken`, refused without it. */
  readonly actorTokenType?: string | undefined;
  /** `requested_token_type`, e.g. `urn:ietf:params:oauth:token-type:access_token`. */
  readonly requestedTokenType?: string | undefined;
  /** `audience`: the logical name(s) of the target service. */
  readonly audience?: string | readonly string[] | undefined;
  /** `resource`: the URI(s) of the target service (RFC 8707). */
  readonly resource?: string | readonly string[] | undefined;
  /** `scope`: a space-separated string or an array. */
  readonly scope?: string | readonly string[] | undefined;
  /**
   * What distinguishes this exchange's cache entry. The default key includes a string
   * `subjectToken` (digested), not what a function returns: give one when managers that share a
   * store exchange different subjects through functions (e.g. the user id).
   */
  readonly cacheKey?: string | undefined;
}

const tokenTypeNote = 'a token type URI such as urn:ietf:params:oauth:token-type:jwt';

/**
 * The OAuth 2.0 token exchange grant (RFC 8693): trades a token the service holds (a user's access
 * token, a workload's identity token) for one for another audience. `subjectToken` and
 * `actorToken` may be functions, called again for every token request. No refresh: when the
 * token expires, a new exchange replaces it. `issued_token_type` stays in `Token.raw`; a token
 * of type `N_A` (not an access token) is returned by `getToken()`, and the adapters refuse to
 * send it.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-2.1
 * @example
 * ```ts
 * const tokens = createTokenManager({
 *   flow: tokenExchange({
 *     tokenUrl: 'https://sts.googleapis.com/v1/token',
 *     subjectToken: () => readFile(process.env.OIDC_TOKEN_FILE!, 'utf8'),
 *     subjectTokenType: 'urn:ietf:params:oauth:token-type:jwt',
 *     audience: '//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/p/providers/k8s',
 *     requestedTokenType: 'urn:ietf:params:oauth:token-type:access_token',
 *     scope: 'https://www.googleapis.com/auth/cloud-platform',
 *   }),
 * });
 * ```
 */
export function tokenExchange(options: TokenExchangeOptions): Flow {
  const client = oauthClient('tokenExchange', options, { clientOptional: true });
  const label = (name: string): string => `tokenExchange: ${name}`;
  requireRequestInput(label('subjectToken'), options.subjectToken);
  requireNonEmptyString(label('subjectTokenType'), options.subjectTokenType);
  if (options.actorToken !== undefined) {
    requireRequestInput(label('actorToken'), options.actorToken);
    if (options.actorTokenType === undefined)
      throw new TypeError(
        `${label('actorTokenType')} is required with actorToken (${tokenTypeNote})`,
      );
  }
  if (options.actorTokenType !== undefined) {
    if (options.actorToken === undefined)
      throw new TypeError(`${label('actorTokenType')} must not be given without actorToken`);
    requireNonEmptyString(label('actorTokenType'), options.actorTokenType);
  }
  if (options.requestedTokenType !== undefined)
    requireNonEmptyString(label('requestedTokenType'), options.requestedTokenType);
  if (options.cacheKey !== undefined) requireNonEmptyString(label('cacheKey'), options.cacheKey);
  requireStringParams(label('options'), { audience: options.audience, resource: options.resource });
  const { subjectToken, actorToken } = options;
  const grant = {
    grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
    resource: options.resource,
    audience: options.audience,
    scope: scopeParam('tokenExchange', options.scope),
    requested_token_type: options.requestedTokenType,
    subject_token: typeof subjectToken === 'string' ? subjectToken : undefined,
    subject_token_type: options.subjectTokenType,
    actor_token: typeof actorToken === 'string' ? actorToken : undefined,
    actor_token_type: options.actorTokenType,
  };
  const inputs: RequestStep[] =
    typeof subjectToken === 'string' && typeof actorToken !== 'function'
      ? []
      : [
          requestInputStep(
            {
              subject_token: { label: label('subjectToken'), input: subjectToken },
              actor_token: { label: label('actorToken'), input: actorToken },
            },
            options.bodyFormat ?? 'form',
          ),
        ];
  const steps = [...inputs, ...(client.steps ?? [])];
  return {
    kind: 'token_exchange',
    tokenUrl: client.tokenUrl,
    cacheKeyMaterial: () =>
      options.cacheKey === undefined
        ? client.keyMaterial(grant)
        : JSON.stringify([
            client.keyMaterial({ ...grant, subject_token: undefined, actor_token: undefined }),
            options.cacheKey,
          ]),
    initialGrant: { reusable: true, request: () => client.request(grant) },
    requestSteps: steps.length === 0 ? undefined : steps,
    otherTokenTypes: ['N_A'],
    isSuccess: is2xx,
    parse: parseOAuthResponse,
  };
}
