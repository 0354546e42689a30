/**
 * Seed 003, Personify: client credentials in a form body at `/connect/token` with
 * `scope=idp_api`, a 3600 s JWT, `invalid_client` errors; API calls need `X-Tenant-Id` beside the
 * bearer token.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { header, noStore } from '../internal/http.ts';
import { createJwtSigner } from '../internal/jwt.ts';
import { randomHex } from '../internal/random.ts';
import { startSimulatorServer } from '../internal/simulator-server.ts';
import { isPlainForm, oauthError } from '../internal/token-endpoint.ts';
import type { Answer } from '../internal/vendor-spec.ts';
import type { Simulator, SimulatorOptions } from '../simulator.ts';

/**
 * Options of {@link startPersonifySimulator}.
 *
 * @example
 * ```ts
 * const sim = await startPersonifySimulator({ tenantIds: ['tenant-a', 'tenant-b'] });
 * ```
 */
export interface PersonifySimulatorOptions extends SimulatorOptions {
  /** @default 'personify-client' */
  readonly clientId?: string | undefined;
  /** @default a random string starting with `personify-secret-` */
  readonly clientSecret?: string | undefined;
  /** Tenants the API knows. @default ['tenant-42'] */
  readonly tenantIds?: readonly string[] | undefined;
}

/**
 * A running Personify simulator.
 *
 * @example
 * ```ts
 * const { clientId, clientSecret, tenantId } = sim.credentials;
 * ```
 */
export interface PersonifySimulator extends Simulator {
  readonly vendor: 'personify';
  readonly credentials: {
    readonly clientId: string;
    readonly clientSecret: string;
    /** The first of `tenantIds`. */
    readonly tenantId: string;
  };
}

/**
 * The scope Personify's REST API wants, and the only one the simulator grants.
 *
 * @example
 * ```ts
 * clientCredentials({ tokenUrl: sim.tokenUrl, clientId, clientSecret, scope: personifyScope });
 * ```
 */
export const personifyScope = 'idp_api';

/**
 * Starts a loopback simulator of Personify's token endpoint and REST API, written from its
 * document:
 *
 * - `POST /connect/token`, `Content-Type: application/x-www-form-urlencoded` (a `charset=utf-8`
 *   parameter is tolerated), `client_id`, `client_secret`, `grant_type=client_credentials` and
 *   optionally ("usually") `scope=idp_api`; nothing else.
 * - `200 { access_token: <JWT>, expires_in: 3600, token_type: "Bearer", scope: "idp_api" }`.
 * - The document's one error, `400 { "error": "invalid_client", "error_description": … }`, for
 *   each of its typical causes: wrong credentials, missing form parameters, a wrong grant type.
 *   Another scope gets `400 invalid_scope`.
 * - API calls under `apiUrl` need `Authorization: Bearer <token>` (else 401) and
 *   `X-Tenant-Id: <tenant>` (missing: 400 `missing_tenant`; unknown: 403 `unknown_tenant`).
 *
 * @example
 * ```ts
 * import { clientCredentials, createAuthFetch, createTokenManager } from '@tokenwise/core';
 * import { startPersonifySimulator } from '@tokenwise/testing';
 *
 * await using sim = await startPersonifySimulator();
 * const { clientId, clientSecret, tenantId } = sim.credentials;
 * const tokens = createTokenManager({
 *   flow: clientCredentials({ tokenUrl: sim.tokenUrl, clientId, clientSecret, scope: 'idp_api' }),
 * });
 * const authedFetch = createAuthFetch({ tokens, headers: { 'X-Tenant-Id': tenantId } });
 * await authedFetch(`${sim.apiUrl}/members`);
 * ```
 */
export async function startPersonifySimulator(
  options: PersonifySimulatorOptions = {},
): Promise<PersonifySimulator> {
  const tenantIds = options.tenantIds ?? ['tenant-42'];
  const [tenantId] = tenantIds;
  if (tenantId === undefined) throw new TypeError('tenantIds must name at least one tenant');
  const credentials = {
    clientId: options.clientId ?? 'personify-client',
    clientSecret: options.clientSecret ?? `personify-secret-${randomHex(12)}`,
    tenantId,
  };
  const signer = createJwtSigner();
  const fail = (error: string, description: string, grantType?: string): Answer =>
    oauthError(400, error, grantType, { error_description: description });

  const simulator = await startSimulatorServer({
    vendor: 'personify',
    tokenPath: '/connect/token',
    defaultLifetimeSeconds: 3_600,
    options,
    token(req, body, engine) {
      const grantType = body.fields?.grant_type;
      if (!isPlainForm(req, body, ['client_id', 'client_secret', 'grant_type'], ['scope'])) {
        return fail('invalid_client', 'Missing required form parameters', grantType);
      }
      const { fields } = body;
      if (
        fields.client_id !== credentials.clientId ||
        fields.client_secret !== credentials.clientSecret
      ) {
        return fail('invalid_client', 'Invalid client credentials', grantType);
      }
      if (grantType !== 'client_credentials')
        return fail('invalid_client', 'Incorrect grant_type', grantType);
      if (fields.scope !== undefined && fields.scope !== personifyScope)
        return fail('invalid_scope', 'Unknown scope', grantType);

      const now = engine.now();
      const seconds = Math.floor(now / 1000);
      const lifetime = engine.lifetimeMs() / 1000;
      const accessToken = signer.sign(
        {
          iss: simulator.origin,
          nbf: seconds,
          iat: seconds,
          exp: seconds + Math.ceil(lifetime),
          aud: personifyScope,
          scope: [personifyScope],
          client_id: credentials.clientId,
          jti: randomUUID().replace(/-/g, '').toUpperCase(),
        },
        { typ: 'at+jwt', kid: 'personify-sim' },
      );
      engine.issue(accessToken, now + engine.lifetimeMs());
      return {
        status: 200,
        body: {
          access_token: accessToken,
          expires_in: lifetime,
          token_type: 'Bearer',
          scope: personifyScope,
        },
        headers: noStore,
        grantType,
      };
    },
    api(req) {
      const tenant = header(req, 'x-tenant-id');
      if (tenant === undefined || tenant === '') {
        return { status: 400, body: { error: 'missing_tenant' }, error: 'missing_tenant' };
      }
      if (!tenantIds.includes(tenant)) {
        return { status: 403, body: { error: 'unknown_tenant' }, error: 'unknown_tenant' };
      }
      return undefined;
    },
  });
  return Object.assign(simulator, { credentials }) as PersonifySimulator;
}
