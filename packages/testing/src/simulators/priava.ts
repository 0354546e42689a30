/**
 * Seed 001, Priava: authorization code exchange and refresh at `/rest/oauth/token`, a form body
 * with `charset=utf-8`, a `TenantRegion` header, `redirect_uri` on refreshes too, `"BEARER"`
 * tokens for 6 h, single-use rotating refresh tokens.
 *
 * @module
 */
import { hasExactly, header, noStore } from '../internal/http.ts';
import { randomHex, randomToken } from '../internal/random.ts';
import { startSimulatorServer } from '../internal/simulator-server.ts';
import { oauthError } from '../internal/token-endpoint.ts';
import type { Answer } from '../internal/vendor-spec.ts';
import type { Simulator, SimulatorOptions } from '../simulator.ts';

/** The regions Priava's `TenantRegion` header accepts. */
export type PriavaRegion = 'APAC' | 'EU' | 'US';

/**
 * Options of {@link startPriavaSimulator}.
 *
 * @example
 * ```ts
 * const sim = await startPriavaSimulator({ region: 'APAC', lifetimeSeconds: 2 });
 * ```
 */
export interface PriavaSimulatorOptions extends SimulatorOptions {
  /** @default 'priava-client' */
  readonly clientId?: string | undefined;
  /** @default a random string starting with `priava-secret-` */
  readonly clientSecret?: string | undefined;
  /** The redirect URI registered for the client. @default 'https://my.app.com/oauth2callback' */
  readonly redirectUri?: string | undefined;
  /** The region the tenant lives in; other regions do not know it. @default 'EU' */
  readonly region?: PriavaRegion | undefined;
}

/**
 * A running Priava simulator.
 *
 * @example
 * ```ts
 * const code = sim.issueCode(); // what Priava's UI generates for an integration
 * ```
 */
export interface PriavaSimulator extends Simulator {
  readonly vendor: 'priava';
  readonly credentials: {
    readonly clientId: string;
    readonly clientSecret: string;
    readonly redirectUri: string;
    readonly region: PriavaRegion;
  };
  /** A new single-use authorization code, as "generated in Priava". */
  issueCode(): string;
  /** Whether `refreshToken` would be accepted now (issued, not yet used, not revoked). */
  acceptsRefreshToken(refreshToken: string): boolean;
}

const regions: readonly string[] = ['APAC', 'EU', 'US'];

/**
 * Starts a loopback simulator of Priava's token endpoint, written from its document:
 *
 * - `POST /rest/oauth/token` with `Content-Type: application/x-www-form-urlencoded;charset=utf-8`
 *   (the charset is required) and `TenantRegion: APAC | EU | US` (the tenant's own region).
 * - `grant_type=authorization_code` with exactly `client_id`, `client_secret`, `code`,
 *   `redirect_uri`; `grant_type=refresh_token` with exactly `client_id`, `client_secret`,
 *   `refresh_token`, `redirect_uri`.
 * - `200 { access_token, refresh_token, token_type: "BEARER", expires_in: 21600 }`. Codes are
 *   single-use, and so are refresh tokens: each refresh returns a new one and retires the old.
 * - Anything wrong: `400 { error, error_description }` (`invalid_request`, `invalid_client`,
 *   `invalid_grant`, `unsupported_grant_type`).
 * - The API under `apiUrl` wants `Authorization: Bearer <token>` (any casing of the scheme).
 *
 * @example
 * ```ts
 * import { authorizationCode, createTokenManager } from '@tokenwise/core';
 * import { startPriavaSimulator } from '@tokenwise/testing';
 *
 * await using sim = await startPriavaSimulator();
 * const { clientId, clientSecret, redirectUri, region } = sim.credentials;
 * const tokens = createTokenManager({
 *   flow: authorizationCode({
 *     tokenUrl: sim.tokenUrl, clientId, clientSecret, code: sim.issueCode(), redirectUri,
 *     headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8', TenantRegion: region },
 *     params: { redirect_uri: redirectUri },
 *   }),
 * });
 * ```
 */
export async function startPriavaSimulator(
  options: PriavaSimulatorOptions = {},
): Promise<PriavaSimulator> {
  const credentials = {
    clientId: options.clientId ?? 'priava-client',
    clientSecret: options.clientSecret ?? `priava-secret-${randomHex(12)}`,
    redirectUri: options.redirectUri ?? 'https://my.app.com/oauth2callback',
    region: options.region ?? 'EU',
  };
  if (!regions.includes(credentials.region)) throw new TypeError('region must be APAC, EU or US');
  const codes = new Set<string>();
  /** Refresh tokens that are still usable (issued, not used, not revoked). */
  const refreshTokens = new Set<string>();

  const fail = (error: string, description: string, grantType?: string): Answer =>
    oauthError(400, error, grantType, { error_description: description });

  const simulator = await startSimulatorServer({
    vendor: 'priava',
    tokenPath: '/rest/oauth/token',
    defaultLifetimeSeconds: 21_600,
    options,
    token(req, body, engine) {
      const { fields } = body;
      const grantType = fields?.grant_type;
      if (body.mediaType !== 'application/x-www-form-urlencoded' || body.charset !== 'utf-8') {
        return fail(
          'invalid_request',
          'Content-Type must be application/x-www-form-urlencoded;charset=utf-8',
          grantType,
        );
      }
      const region = header(req, 'tenantregion');
      if (region === undefined || !regions.includes(region)) {
        return fail('invalid_request', 'TenantRegion header must be APAC, EU or US', grantType);
      }
      if (region !== credentials.region) {
        return fail('invalid_request', `Unknown tenant in region ${region}`, grantType);
      }
      if (fields === undefined) return fail('invalid_request', 'Malformed request body', grantType);
      const client = ['grant_type', 'client_id', 'client_secret', 'redirect_uri'];
      if (grantType === 'authorization_code') {
        if (!hasExactly(fields, [...client, 'code']))
          return fail('invalid_request', 'Unexpected or missing parameters', grantType);
      } else if (grantType === 'refresh_token') {
        if (!hasExactly(fields, [...client, 'refresh_token']))
          return fail('invalid_request', 'Unexpected or missing parameters', grantType);
      } else {
        return fail('unsupported_grant_type', 'Unsupported grant type', grantType);
      }
      if (
        fields.client_id !== credentials.clientId ||
        fields.client_secret !== credentials.clientSecret
      ) {
        return fail('invalid_client', 'Client authentication failed', grantType);
      }
      if (fields.redirect_uri !== credentials.redirectUri) {
        return fail('invalid_grant', 'redirect_uri does not match', grantType);
      }
      if (grantType === 'authorization_code') {
        if (!codes.delete(fields.code ?? ''))
          return fail('invalid_grant', 'Invalid authorization code', grantType);
      } else if (!refreshTokens.delete(fields.refresh_token ?? '')) {
        return fail('invalid_grant', 'Invalid refresh token', grantType);
      }
      const accessToken = randomToken(24);
      const refreshToken = randomToken(24);
      refreshTokens.add(refreshToken);
      engine.issue(accessToken, engine.now() + engine.lifetimeMs());
      return {
        status: 200,
        body: {
          access_token: accessToken,
          refresh_token: refreshToken,
          token_type: 'BEARER',
          expires_in: engine.lifetimeMs() / 1000,
        },
        headers: noStore,
        grantType,
      };
    },
    revokeOther: (token) => refreshTokens.delete(token),
    revokeAllOther() {
      const count = refreshTokens.size;
      refreshTokens.clear();
      return count;
    },
  });

  return Object.assign(simulator, {
    credentials,
    issueCode() {
      const code = randomToken(12);
      codes.add(code);
      return code;
    },
    acceptsRefreshToken: (refreshToken: string) => refreshTokens.has(refreshToken),
  }) as PriavaSimulator;
}
