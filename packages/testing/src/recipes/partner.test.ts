/**
 * The partner bookings API recipe (docs/recipes/partner.md) against its simulator, through fetch,
 * axios, got and ky: JSON client credentials, JWT tokens that cannot be refreshed.
 */
import { describe, expect, test } from 'vitest';
import { type PartnerSimulator, startPartnerSimulator } from '../simulators/partner.ts';
import { clientNames } from '../test-support/callers.ts';
import {
  startVendor,
  type VendorCase,
  vendorMatrix,
  wrongSecret,
} from '../test-support/vendor-matrix.ts';
import { partnerAxios } from './partner/axios.ts';
import { partnerFetch } from './partner/fetch.ts';
import { partnerGot } from './partner/got.ts';
import { partnerKy } from './partner/ky.ts';
import { type PartnerConfig, partnerTokens } from './partner/tokens.ts';

const partner: VendorCase<PartnerSimulator, PartnerConfig> = {
  vendor: 'partner',
  start: (clock) => startPartnerSimulator({ now: clock.now }),
  config: (sim) => ({ baseUrl: sim.origin, apiUrl: sim.apiUrl, ...sim.credentials }),
  withWrongSecret: (config) => ({ ...config, clientSecret: wrongSecret }),
  secrets: (sim) => [sim.credentials.clientSecret],
  tokens: (_sim, config, options) => partnerTokens(config, options),
  clients: { fetch: partnerFetch, axios: partnerAxios, got: partnerGot, ky: partnerKy },
  badCredentials: { status: 401, error: 'invalid_client' },
};

vendorMatrix(partner);

describe.each(clientNames)('partner through %s', (name) => {
  test('a JWT without refresh token; after expiry a new client_credentials request', async () => {
    const { sim, call, tokens, clock } = await startVendor(partner, name);
    await call('bookings');
    const first = await tokens.getToken();
    expect(first.refreshToken).toBeUndefined();
    const claims = JSON.parse(
      Buffer.from(first.accessToken.split('.')[1] ?? '', 'base64url').toString(),
    );
    expect(claims.exp - claims.iat).toBe(3600);

    clock.advance(3600 * 1000);
    await call('bookings');
    expect(sim.log.filter((request) => request.kind === 'token')).toEqual([
      expect.objectContaining({ status: 200, grantType: 'client_credentials' }),
      expect.objectContaining({ status: 200, grantType: 'client_credentials' }),
    ]);
    expect(sim.stats.apiRejected).toBe(0);
  });
});
