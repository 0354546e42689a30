/**
 * Seed 000, the "PA" recommendations/search API: client credentials in a form body at
 * `/auth/connect/token`, a 25 h opaque token with `scope` in the answer.
 *
 * @module
 */
import { noStore } from '../internal/http.ts';
import { randomHex, randomToken } from '../internal/random.ts';
import { startSimulatorServer } from '../internal/simulator-server.ts';
import { isPlainForm, oauthError } from '../internal/token-endpoint.ts';
import type { Answer } from '../internal/vendor-spec.ts';
import type { Simulator, SimulatorOptions } from '../simulator.ts';

/**
 * Options of {@link startPaSimulator}.
 *
 * @example
 * ```ts
 * const sim = await startPaSimulator({ clientId: 'acme', clientSecret: 's3cret', lifetimeSeconds: 2 });
 * ```
 */
export interface PaSimulatorOptions extends SimulatorOptions {
  /** @default 'pa-client' */
  readonly clientId?: string | undefined;
  /** @default a random string starting with `pa-secret-` */
  readonly clientSecret?: string | undefined;
}

/**
 * A running PA simulator.
 *
 * @example
 * ```ts
 * const { clientId, clientSecret } = sim.credentials;
 * ```
 */
export interface PaSimulator extends Simulator {
  readonly vendor: 'pa';
  readonly credentials: { readonly clientId: string; readonly clientSecret: string };
}

/**
 * The `scope` PA's example answer shows, and the simulator returns.
 *
 * @example
 * ```ts
 * expect((await tokens.getToken()).scope).toBe(paScope);
 * ```
 */
export const paScope = 'api:recs api:search';

/**
 * Starts a loopback simulator of PA's token endpoint, written from its document:
 *
 * - `POST /auth/connect/token`, `Content-Type: application/x-www-form-urlencoded` (a `charset=utf-8`
 *   parameter is tolerated), exactly `client_id`, `client_secret` and
 *   `grant_type=client_credentials` in the body; credentials in an `Authorization` header are a
 *   deviation.
 * - `200 { access_token, expires_in: 90000, token_type: "Bearer", scope: "api:recs api:search" }`,
 *   with an opaque 22-character token.
 * - The document shows no error body; the simulator answers as the IdentityServer its
 *   `/connect/token` path suggests: `400 { "error": "invalid_request" | "unsupported_grant_type" | "invalid_client" }`.
 * - The API under `apiUrl` wants `Authorization: Bearer <token>`.
 *
 * @example
 * ```ts
 * import { clientCredentials, createTokenManager } from '@tokenwise/core';
 * import { startPaSimulator } from '@tokenwise/testing';
 *
 * await using sim = await startPaSimulator({ lifetimeSeconds: 2 });
 * const tokens = createTokenManager({
 *   flow: clientCredentials({ tokenUrl: sim.tokenUrl, ...sim.credentials }),
 * });
 * ```
 */
export async function startPaSimulator(options: PaSimulatorOptions = {}): Promise<PaSimulator> {
  const credentials = {
    clientId: options.clientId ?? 'pa-client',
    clientSecret: options.clientSecret ?? `pa-secret-${randomHex(12)}`,
  };
  const fail = (error: string, grantType?: string): Answer => oauthError(400, error, grantType);
  const simulator = await startSimulatorServer({
    vendor: 'pa',
    tokenPath: '/auth/connect/token',
    defaultLifetimeSeconds: 90_000,
    options,
    token(req, body, engine) {
      const grantType = body.fields?.grant_type;
      if (!isPlainForm(req, body, ['client_id', 'client_secret', 'grant_type'])) {
        return fail('invalid_request', grantType);
      }
      const { fields } = body;
      if (grantType !== 'client_credentials') return fail('unsupported_grant_type', grantType);
      if (
        fields.client_id !== credentials.clientId ||
        fields.client_secret !== credentials.clientSecret
      ) {
        return fail('invalid_client', grantType);
      }
      const accessToken = randomToken(16);
      engine.issue(accessToken, engine.now() + engine.lifetimeMs());
      return {
        status: 200,
        body: {
          access_token: accessToken,
          expires_in: engine.lifetimeMs() / 1000,
          token_type: 'Bearer',
          scope: paScope,
        },
        headers: noStore,
        grantType,
      };
    },
  });
  return Object.assign(simulator, { credentials }) as PaSimulator;
}
