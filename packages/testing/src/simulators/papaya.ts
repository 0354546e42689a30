/**
 * Seed 002, Papaya Global: not OAuth. JSON credentials to `/token`, `201 Created` with a JWT and a
 * `valid_until` without seconds, `401 { "error": "Invalid request" }` for anything else.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { hasExactly } from '../internal/http.ts';
import { createJwtSigner } from '../internal/jwt.ts';
import { randomHex } from '../internal/random.ts';
import { startSimulatorServer } from '../internal/simulator-server.ts';
import type { Answer } from '../internal/vendor-spec.ts';
import type { Simulator, SimulatorOptions } from '../simulator.ts';

/**
 * Options of {@link startPapayaSimulator}.
 *
 * @example
 * ```ts
 * const sim = await startPapayaSimulator({ clockSkewMs: 60 * 60 * 1000 }); // its clock one hour ahead
 * ```
 */
export interface PapayaSimulatorOptions extends SimulatorOptions {
  /** @default '82725488-22bf-40d1-ace6-9ea6ee42f870' (the document's example) */
  readonly apiKey?: string | undefined;
  /** @default a random string starting with `papaya-secret-` */
  readonly clientSecret?: string | undefined;
}

/**
 * A running Papaya Global simulator.
 *
 * @example
 * ```ts
 * const { apiKey, clientSecret } = sim.credentials;
 * ```
 */
export interface PapayaSimulator extends Simulator {
  readonly vendor: 'papaya';
  readonly credentials: { readonly apiKey: string; readonly clientSecret: string };
}

/**
 * `valid_until` as Papaya writes it: ISO 8601 in UTC, minutes precision (`2024-07-11T07:48Z`),
 * the seconds cut off.
 *
 * @example
 * ```ts
 * papayaValidUntil(Date.parse('2024-07-11T07:48:31Z')); // '2024-07-11T07:48Z'
 * ```
 */
export function papayaValidUntil(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 16)}Z`;
}

/**
 * Starts a loopback simulator of Papaya Global's authentication endpoint, written from its
 * document (its table and example, which put the credentials in the JSON body):
 *
 * - `POST /token`, `Content-Type: application/json`, a JSON object with the strings `api_key` and
 *   `client_secret`, and optionally `token_name`; nothing else.
 * - `201 { valid_until: "2024-07-11T07:48Z", token: <JWT>, token_name }`: `valid_until` is the
 *   token's end (now plus the lifetime, seconds cut off), the JWT's `exp` is the uncut end (as in
 *   the document's example), `token_name` is the one sent or a random UUID.
 * - Anything else: `401 { "error": "Invalid request" }`.
 * - The API under `apiUrl` wants `Authorization: Bearer <token>` until `valid_until`.
 *
 * `valid_until` cannot express less than a minute, so `lifetimeSeconds` is at least 60. Papaya is
 * HTTPS-only in production; tokenwise allows `http:` on loopback, which is what this is.
 *
 * @example
 * ```ts
 * import { createTokenManager, tokenRequest } from '@tokenwise/core';
 * import { startPapayaSimulator } from '@tokenwise/testing';
 *
 * await using sim = await startPapayaSimulator();
 * const tokens = createTokenManager({
 *   flow: tokenRequest({
 *     url: sim.tokenUrl,
 *     body: { api_key: sim.credentials.apiKey, client_secret: sim.credentials.clientSecret },
 *     successStatus: 201,
 *     response: { accessToken: 'token', expiresAt: 'valid_until' },
 *   }),
 * });
 * ```
 */
export async function startPapayaSimulator(
  options: PapayaSimulatorOptions = {},
): Promise<PapayaSimulator> {
  const credentials = {
    apiKey: options.apiKey ?? '82725488-22bf-40d1-ace6-9ea6ee42f870',
    clientSecret: options.clientSecret ?? `papaya-secret-${randomHex(12)}`,
  };
  const signer = createJwtSigner();
  const refuse: Answer = {
    status: 401,
    body: { error: 'Invalid request' },
    error: 'Invalid request',
  };

  const simulator = await startSimulatorServer({
    vendor: 'papaya',
    tokenPath: '/token',
    defaultLifetimeSeconds: 86_400,
    minLifetimeSeconds: 60,
    options,
    token(_req, body, engine) {
      const { fields } = body;
      if (
        body.mediaType !== 'application/json' ||
        fields === undefined ||
        !hasExactly(fields, ['api_key', 'client_secret'], ['token_name']) ||
        fields.api_key !== credentials.apiKey ||
        fields.client_secret !== credentials.clientSecret
      ) {
        return refuse;
      }
      const now = engine.now();
      const end = now + engine.lifetimeMs();
      const validUntil = papayaValidUntil(end);
      const tokenName = fields.token_name ?? randomUUID();
      const token = signer.sign(
        {
          iat: Math.floor(now / 1000),
          exp: Math.floor(end / 1000),
          sub: 'access',
          user: { id: credentials.apiKey, owner: { id: '201000', ownerType: 'org_id' } },
        },
        { kid: 'APIKEY0', api_token_id: randomUUID() },
      );
      engine.issue(token, Date.parse(validUntil));
      return { status: 201, body: { valid_until: validUntil, token, token_name: tokenName } };
    },
  });
  return Object.assign(simulator, { credentials }) as PapayaSimulator;
}
