/**
 * The Personify recipe (docs/recipes/personify.md) against the Personify simulator, through
 * fetch, axios, got and ky.
 */
import { describe, expect, test } from 'vitest';
import type { PersonifySimulator } from '../simulators/personify.ts';
import { startPersonifySimulator } from '../simulators/personify.ts';
import { clientNames } from '../test-support/callers.ts';
import {
  startVendor,
  type VendorCase,
  vendorMatrix,
  wrongSecret,
} from '../test-support/vendor-matrix.ts';
import { personifyAxios } from './personify/axios.ts';
import { personifyFetch } from './personify/fetch.ts';
import { personifyGot } from './personify/got.ts';
import { personifyKy } from './personify/ky.ts';
import { type PersonifyConfig, personifyTokens } from './personify/tokens.ts';

const personify: VendorCase<PersonifySimulator, PersonifyConfig> = {
  vendor: 'personify',
  start: (clock) => startPersonifySimulator({ now: clock.now }),
  config: (sim) => ({ authUrl: sim.origin, apiUrl: sim.apiUrl, ...sim.credentials }),
  withWrongSecret: (config) => ({ ...config, clientSecret: wrongSecret }),
  secrets: (sim) => [sim.credentials.clientSecret],
  tokens: (_sim, config, options) => personifyTokens(config, options),
  clients: { fetch: personifyFetch, axios: personifyAxios, got: personifyGot, ky: personifyKy },
  badCredentials: { status: 400, error: 'invalid_client' },
};

vendorMatrix(personify);

describe.each(clientNames)('personify through %s', (name) => {
  test('every API call carries X-Tenant-Id, and the token asks for scope=idp_api', async () => {
    const { sim, call, tokens } = await startVendor(personify, name);
    await call('members');
    expect(await tokens.getToken()).toMatchObject({ scope: 'idp_api', tokenType: 'Bearer' });
    expect(sim.log.filter((request) => request.kind === 'token')).toEqual([
      expect.objectContaining({
        status: 200,
        grantType: 'client_credentials',
        fields: expect.arrayContaining(['client_id', 'client_secret', 'grant_type', 'scope']),
      }),
    ]);
    // The simulator refuses API calls without X-Tenant-Id (400): an accepted call carried it.
    expect(sim.stats).toMatchObject({ apiCalls: 1, apiRejected: 0 });
  });
});
