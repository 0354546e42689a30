/**
 * Seed 004, the partner bookings API: client credentials as a JSON body with
 * `Accept: application/json` at `/api/oauth/token`, a JWT access token, no refresh tokens.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { hasExactly, header, noStore } from '../internal/http.ts';
import { createJwtSigner } from '../internal/jwt.ts';
import { randomHex } from '../internal/random.ts';
import { startSimulatorServer } from '../internal/simulator-server.ts';
import { oauthError } from '../internal/token-endpoint.ts';
import type { Answer } from '../internal/vendor-spec.ts';
import type { Simulator, SimulatorOptions } from '../simulator.ts';

/**
 * Options of {@link startPartnerSimulator}.
 *
 * @example
 * ```ts
 * const sim = await startPartnerSimulator({ lifetimeSeconds: 2 });
 * ```
 */
export interface PartnerSimulatorOptions extends SimulatorOptions {
  /** @default '9b1e82a7-0a59-4e7e-add5-b9ffa37aade1' (the `aud` of the document's JWT) */
  readonly clientId?: string | undefined;
  /** @default a random string starting with `partner-secret-` */
  readonly clientSecret?: string | undefined;
}

/**
 * A running partner bookings API simulator.
 *
 * @example
 * ```ts
 * const { clientId, clientSecret } = sim.credentials;
 * ```
 */
export interface PartnerSimulator extends Simulator {
  readonly vendor: 'partner';
  readonly credentials: { readonly clientId: string; readonly clientSecret: string };
}

/**
 * Starts a loopback simulator of the partner bookings API's token endpoint, written from its
 * document:
 *
 * - `POST /api/oauth/token` with `Accept: application/json` and `Content-Type: application/json`,
 *   a JSON object with exactly `grant_type: "client_credentials"`, `client_id`, `client_secret`.
 * - `200 { token_type: "Bearer", expires_in: 3600, access_token: <JWT> }`; the JWT carries
 *   fractional `iat`, `nbf` and `exp` as in the document. No refresh token: "request a new one".
 * - The document shows no error; the simulator answers as the Laravel Passport server its JWT
 *   suggests: `401 { error: "invalid_client", error_description, message }` for wrong
 *   credentials, `400 unsupported_grant_type` (a `refresh_token` grant included) and
 *   `400 invalid_request` for anything else.
 * - The API under `apiUrl` wants `Authorization: Bearer <token>`.
 *
 * @example
 * ```ts
 * import { clientCredentials, createTokenManager } from '@tokenwise/core';
 * import { startPartnerSimulator } from '@tokenwise/testing';
 *
 * await using sim = await startPartnerSimulator();
 * const tokens = createTokenManager({
 *   flow: clientCredentials({ tokenUrl: sim.tokenUrl, ...sim.credentials, bodyFormat: 'json' }),
 * });
 * ```
 */
export async function startPartnerSimulator(
  options: PartnerSimulatorOptions = {},
): Promise<PartnerSimulator> {
  const credentials = {
    clientId: options.clientId ?? '9b1e82a7-0a59-4e7e-add5-b9ffa37aade1',
    clientSecret: options.clientSecret ?? `partner-secret-${randomHex(12)}`,
  };
  const signer = createJwtSigner();
  const fail = (status: number, error: string, description: string, grantType?: string): Answer =>
    oauthError(status, error, grantType, { error_description: description, message: description });

  const simulator = await startSimulatorServer({
    vendor: 'partner',
    tokenPath: '/api/oauth/token',
    defaultLifetimeSeconds: 3_600,
    options,
    token(req, body, engine) {
      const { fields } = body;
      const grantType = fields?.grant_type;
      const accept = (header(req, 'accept') ?? '').split(',').map((type) => type.trim());
      if (
        !accept.some((type) => type.split(';')[0]?.toLowerCase() === 'application/json') ||
        body.mediaType !== 'application/json' ||
        fields === undefined
      ) {
        return fail(
          400,
          'invalid_request',
          'The request must send and accept application/json',
          grantType,
        );
      }
      if (grantType !== 'client_credentials') {
        return fail(
          400,
          'unsupported_grant_type',
          'The authorization grant type is not supported by the authorization server.',
          grantType,
        );
      }
      if (!hasExactly(fields, ['grant_type', 'client_id', 'client_secret'])) {
        return fail(
          400,
          'invalid_request',
          'The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.',
          grantType,
        );
      }
      if (
        fields.client_id !== credentials.clientId ||
        fields.client_secret !== credentials.clientSecret
      ) {
        return fail(401, 'invalid_client', 'Client authentication failed', grantType);
      }
      const now = engine.now();
      const issuedAt = now / 1000;
      const accessToken = signer.sign({
        aud: credentials.clientId,
        jti: randomHex(40),
        iat: issuedAt,
        nbf: issuedAt,
        exp: issuedAt + engine.lifetimeMs() / 1000,
        sub: '',
        scopes: ['bookings:create', 'bookings:delete'],
        user_id: randomUUID(),
        partner_id: randomUUID(),
        is_test: true,
      });
      engine.issue(accessToken, now + engine.lifetimeMs());
      return {
        status: 200,
        body: {
          token_type: 'Bearer',
          expires_in: engine.lifetimeMs() / 1000,
          access_token: accessToken,
        },
        headers: noStore,
        grantType,
      };
    },
  });
  return Object.assign(simulator, { credentials }) as PartnerSimulator;
}
