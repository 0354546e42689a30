/**
 * The Priava recipe (docs/recipes/priava.md) against the Priava simulator, through fetch, axios,
 * got and ky: code exchange, refreshes with `redirect_uri` and `TenantRegion`, single-use rotating
 * refresh tokens kept across restarts, coalesced refreshes, and `invalid_grant`.
 */
import {
  ReauthorizationRequiredError,
  TokenEndpointError,
  type TokenManager,
} from '@tokenwise/core';
import { describe, expect, test } from 'vitest';
import { type PriavaSimulator, startPriavaSimulator } from '../simulators/priava.ts';
import { type ClientName, callerFor, clientNames, rejectionOf } from '../test-support/callers.ts';
import { defer } from '../test-support/cleanup.ts';
import { manualClock } from '../test-support/clock.ts';
import { renderings } from '../test-support/renderings.ts';
import { type VendorCase, vendorMatrix, wrongSecret } from '../test-support/vendor-matrix.ts';
import { priavaAxios } from './priava/axios.ts';
import { priavaFetch } from './priava/fetch.ts';
import { priavaGot } from './priava/got.ts';
import { priavaKy } from './priava/ky.ts';
import { type PriavaConfig, priavaTokens, type RefreshTokenVault } from './priava/tokens.ts';

const hour = 60 * 60 * 1000;
const clients = { fetch: priavaFetch, axios: priavaAxios, got: priavaGot, ky: priavaKy };

/** A vault in memory that remembers every refresh token it was given. */
function memoryVault(): RefreshTokenVault & { readonly saved: string[] } {
  const saved: string[] = [];
  return {
    saved,
    load: async () => saved.at(-1),
    save: async (refreshToken) => {
      saved.push(refreshToken);
    },
  };
}

const configOf = (sim: PriavaSimulator): PriavaConfig => ({
  baseUrl: sim.origin,
  apiUrl: sim.apiUrl,
  ...sim.credentials,
});

const priava: VendorCase<PriavaSimulator, PriavaConfig> = {
  vendor: 'priava',
  start: (clock) => startPriavaSimulator({ now: clock.now }),
  config: configOf,
  withWrongSecret: (config) => ({ ...config, clientSecret: wrongSecret }),
  secrets: (sim) => [sim.credentials.clientSecret],
  tokens: (sim, config, options) => priavaTokens(config, memoryVault(), sim.issueCode(), options),
  clients,
  badCredentials: { status: 400, error: 'invalid_client' },
};

vendorMatrix(priava);

/** The simulator, a vault, and a manager + client `name` built by the recipe. */
async function startPriava(name: ClientName) {
  const clock = manualClock();
  const sim = defer(await startPriavaSimulator({ now: clock.now }));
  const config = configOf(sim);
  const vault = memoryVault();
  const connect = async (code?: string) => {
    const tokens = defer(await priavaTokens(config, vault, code, { now: clock.now }));
    return { tokens, call: callerFor(name, clients[name](tokens, config), sim.apiUrl) };
  };
  return { clock, sim, vault, config, connect };
}

const tokenRequests = (sim: PriavaSimulator) =>
  sim.log.filter((request) => request.kind === 'token');

describe.each(clientNames)('priava through %s', (name) => {
  test('exchanges the code, refreshes on expiry with redirect_uri and TenantRegion, keeps the rotation', async () => {
    const { clock, sim, vault, connect } = await startPriava(name);
    const { tokens, call } = await connect(sim.issueCode());

    await call('events');
    expect(await tokens.getToken()).toMatchObject({
      tokenType: 'Bearer',
      raw: { token_type: 'BEARER', expires_in: 21600 },
      refreshToken: vault.saved[0],
    });
    for (let refresh = 1; refresh <= 2; refresh++) {
      clock.advance(6 * hour);
      await call('events');
      expect(vault.saved).toHaveLength(refresh + 1);
      expect(sim.acceptsRefreshToken(vault.saved[refresh - 1] ?? '')).toBe(false); // used up
      expect(sim.acceptsRefreshToken(vault.saved[refresh] ?? '')).toBe(true);
    }
    expect(
      tokenRequests(sim).map(({ status, grantType, fields }) => ({
        status,
        grantType,
        fields: [...(fields ?? [])].sort(),
      })),
    ).toEqual([
      {
        status: 200,
        grantType: 'authorization_code',
        fields: ['client_id', 'client_secret', 'code', 'grant_type', 'redirect_uri'],
      },
      ...Array(2).fill({
        status: 200,
        grantType: 'refresh_token',
        fields: ['client_id', 'client_secret', 'grant_type', 'redirect_uri', 'refresh_token'],
      }),
    ]);
    expect(sim.stats.apiRejected).toBe(0);

    // A restart starts from the saved refresh token, and goes on rotating.
    await tokens.close();
    const restarted = await connect();
    await restarted.call('events');
    expect(vault.saved).toHaveLength(4);
    expect(tokenRequests(sim).at(-1)).toMatchObject({ status: 200, grantType: 'refresh_token' });
  });

  test('20 concurrent callers at expiry cause one refresh', async () => {
    const { clock, sim, connect } = await startPriava(name);
    const { call } = await connect(sim.issueCode());
    await call('events');

    clock.advance(6 * hour);
    const answers = await Promise.all(Array.from({ length: 20 }, () => call('events')));
    expect(answers).toHaveLength(20);
    expect(tokenRequests(sim).map((request) => request.grantType)).toEqual([
      'authorization_code',
      'refresh_token',
    ]);
    expect(sim.stats).toMatchObject({ tokenRequests: 2, apiCalls: 21, apiRejected: 0 });
  });

  test('a refresh token Priava no longer accepts surfaces invalid_grant, once', async () => {
    const { clock, sim, vault, connect } = await startPriava(name);
    const { call } = await connect(sim.issueCode());
    await call('events');
    const refreshToken = vault.saved[0] ?? '';
    expect(sim.revoke(refreshToken)).toBe(true);

    clock.advance(6 * hour);
    const error = await rejectionOf(call('events'));
    expect(error instanceof ReauthorizationRequiredError).toBe(true);
    expect((error as Error).cause instanceof TokenEndpointError).toBe(true);
    expect(error).toMatchObject({
      code: 'ERR_REAUTHORIZATION_REQUIRED',
      status: 400,
      error: 'invalid_grant',
      errorDescription: 'Invalid refresh token',
    });
    const shown = renderings(error);
    expect(shown).not.toContain(refreshToken);
    expect(shown).not.toContain(sim.credentials.clientSecret);

    // Re-authorization is needed: later calls fail the same way without asking Priava again.
    await expect(call('events')).rejects.toMatchObject({ code: 'ERR_REAUTHORIZATION_REQUIRED' });
    expect(sim.stats).toMatchObject({ tokenRequests: 2, apiCalls: 1 });
  });
});

test('a TenantRegion other than the tenant’s is refused with the documented 400 body', async () => {
  const { sim, config, vault } = await startPriava('fetch');
  const tokens: TokenManager = defer(
    await priavaTokens({ ...config, region: 'US' }, vault, sim.issueCode()),
  );
  await expect(tokens.getToken()).rejects.toMatchObject({
    name: 'TokenEndpointError',
    status: 400,
    error: 'invalid_request',
    errorDescription: 'Unknown tenant in region US',
  });
});
