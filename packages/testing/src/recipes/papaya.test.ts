/**
 * The Papaya Global recipe (docs/recipes/papaya.md) against the Papaya simulator, through fetch,
 * axios, got and ky: 201 answers, `valid_until` without seconds, and a server clock that is off.
 */
import { describe, expect, test } from 'vitest';
import {
  type PapayaSimulator,
  papayaValidUntil,
  startPapayaSimulator,
} from '../simulators/papaya.ts';
import { clientNames } from '../test-support/callers.ts';
import {
  startVendor,
  type VendorCase,
  vendorMatrix,
  wrongSecret,
} from '../test-support/vendor-matrix.ts';
import { papayaAxios } from './papaya/axios.ts';
import { papayaFetch } from './papaya/fetch.ts';
import { papayaGot } from './papaya/got.ts';
import { papayaKy } from './papaya/ky.ts';
import { type PapayaConfig, papayaTokens } from './papaya/tokens.ts';

const minute = 60_000;
const hour = 60 * minute;

const papaya: VendorCase<PapayaSimulator, PapayaConfig> = {
  vendor: 'papaya',
  start: (clock) => startPapayaSimulator({ now: clock.now }),
  config: (sim) => ({
    authUrl: sim.origin,
    apiUrl: sim.apiUrl,
    ...sim.credentials,
    tokenName: 'tokenwise-tests',
  }),
  withWrongSecret: (config) => ({ ...config, clientSecret: wrongSecret }),
  secrets: (sim) => [sim.credentials.clientSecret],
  tokens: (_sim, config, options) => papayaTokens(config, options),
  clients: { fetch: papayaFetch, axios: papayaAxios, got: papayaGot, ky: papayaKy },
  badCredentials: { status: 401, error: 'Invalid request' },
};

vendorMatrix(papaya);

/** Papaya's `Date` header has whole seconds: tokenwise errs early by up to one second. */
function expectExpiry(expiresAt: number | undefined, end: number): void {
  expect(expiresAt).toBeGreaterThanOrEqual(end - 1_000);
  expect(expiresAt).toBeLessThanOrEqual(end);
}

describe.each(clientNames)('papaya through %s', (name) => {
  test('201 with a JWT; valid_until without seconds is the expiry', async () => {
    const { sim, call, tokens, clock } = await startVendor(papaya, name);
    clock.advance(31_000); // 09:00:31: the seconds valid_until cannot show
    await call('payroll');

    const token = await tokens.getToken();
    const validUntil = token.raw.valid_until;
    expect(validUntil).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
    expect(validUntil).toBe(papayaValidUntil(clock.now() + 24 * hour));
    expect(token.accessToken.split('.')).toHaveLength(3);
    expect(token.raw).toMatchObject({ token_name: 'tokenwise-tests' });
    expectExpiry(token.expiresAt, Date.parse(String(validUntil)));
    expect(sim.log[0]).toMatchObject({ kind: 'token', status: 201 });
  });

  test('a simulator clock one hour ahead does not make the token look expired', async () => {
    const { sim, call, tokens, clock } = await startVendor(papaya, name);
    sim.clockSkewMs = hour;
    const start = clock.now();
    await call('payroll');

    const token = await tokens.getToken();
    // The server wrote its own time (one hour ahead) plus 24 h; tokenwise read it on our clock.
    expect(token.raw.valid_until).toBe(papayaValidUntil(start + 25 * hour));
    expectExpiry(token.expiresAt, start + 24 * hour);

    for (let i = 0; i < 5; i++) await call('payroll');
    clock.advance(23 * hour);
    await call('payroll');
    expect(sim.stats).toMatchObject({ tokenRequests: 1, apiCalls: 7, apiRejected: 0 });

    clock.advance(hour); // the end of its 24 h on both clocks: renewed before the API refuses it
    await call('payroll');
    expect(sim.stats).toMatchObject({ tokenRequests: 2, apiCalls: 8, apiRejected: 0 });
  });

  test('a simulator clock one hour behind does not make a 30 min token look expired', async () => {
    const { sim, call, tokens, clock } = await startVendor(papaya, name);
    sim.clockSkewMs = -hour;
    sim.lifetimeSeconds = 30 * 60;
    const start = clock.now();
    await call('payroll');

    const token = await tokens.getToken();
    // valid_until is half an hour in our past, read as is; the Date header puts it right.
    expect(Date.parse(String(token.raw.valid_until))).toBe(start - 30 * minute);
    expectExpiry(token.expiresAt, start + 30 * minute);
    for (let i = 0; i < 5; i++) await call('payroll');
    expect(sim.stats).toMatchObject({ tokenRequests: 1, apiCalls: 6, apiRejected: 0 });
  });
});
