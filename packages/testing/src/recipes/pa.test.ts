/**
 * The PA recipe (docs/recipes/pa.md) against the PA simulator, through fetch, axios, got and ky.
 */
import { describe, expect, test, vi } from 'vitest';
import { type PaSimulator, startPaSimulator } from '../simulators/pa.ts';
import { clientNames } from '../test-support/callers.ts';
import {
  startVendor,
  type VendorCase,
  vendorMatrix,
  wrongSecret,
} from '../test-support/vendor-matrix.ts';
import { paAxios } from './pa/axios.ts';
import { paFetch } from './pa/fetch.ts';
import { paGot } from './pa/got.ts';
import { paKy } from './pa/ky.ts';
import { type PaConfig, paTokens } from './pa/tokens.ts';

const hour = 60 * 60 * 1000;

const pa: VendorCase<PaSimulator, PaConfig> = {
  vendor: 'pa',
  start: (clock) => startPaSimulator({ now: clock.now }),
  config: (sim) => ({ authUrl: sim.origin, apiUrl: sim.apiUrl, ...sim.credentials }),
  withWrongSecret: (config) => ({ ...config, clientSecret: wrongSecret }),
  secrets: (sim) => [sim.credentials.clientSecret],
  tokens: (_sim, config, options) => paTokens(config, options),
  clients: { fetch: paFetch, axios: paAxios, got: paGot, ky: paKy },
  badCredentials: { status: 400, error: 'invalid_client' },
};

vendorMatrix(pa);

describe.each(clientNames)('pa through %s', (name) => {
  test('one 25 h token serves every call for 24 h, then is renewed in the background', async () => {
    const { sim, call, tokens, clock } = await startVendor(pa, name);
    await call('recommendations');
    const first = await tokens.getToken();
    expect(first).toMatchObject({ tokenType: 'Bearer', scope: 'api:recs api:search' });
    expect(first.expiresAt).toBe(clock.now() + 25 * hour);

    clock.advance(24 * hour - 1);
    for (let i = 0; i < 10; i++) await call('search?q=shoes');
    expect(sim.stats).toMatchObject({ tokenRequests: 1, apiCalls: 11 });

    clock.advance(hour / 2); // inside the last hour, whatever the jitter
    await call('recommendations'); // served at once with the cached token
    await vi.waitFor(() => expect(sim.stats.tokensIssued).toBe(2));
    await call('recommendations');
    const second = await tokens.getToken();
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(sim.stats).toMatchObject({ tokenRequests: 2, apiCalls: 13, apiRejected: 0 });
  });
});
