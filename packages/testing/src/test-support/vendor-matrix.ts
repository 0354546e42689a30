/**
 * The acceptance scenario every seed vendor passes through every client (fetch, axios, got, ky),
 * using the vendor's recipe against its simulator on a shared manual clock:
 *
 * - a token is obtained and the API call succeeds;
 * - the token is reused, and renewed after its lifetime (before the API would refuse it);
 * - a token the vendor revoked costs exactly one 401 and one renewal;
 * - wrong credentials give a typed error that shows no secret, and nothing reaches the API.
 */
import { TokenEndpointError, type TokenManager, type TokenManagerOptions } from '@tokenwise/core';
import { describe, expect, test } from 'vitest';
import type { Simulator } from '../simulator.ts';
import {
  type Call,
  type ClientName,
  type ClientRecipes,
  callerFor,
  clientNames,
  rejectionOf,
} from './callers.ts';
import { defer } from './cleanup.ts';
import { type ManualClock, manualClock } from './clock.ts';
import { renderings } from './renderings.ts';

/** Use in `withWrongSecret`: a secret no simulator accepts, checked absent from errors. */
export const wrongSecret = 'wrong-secret';

/** Manager options every scenario passes to the recipe: the shared clock. */
export type ManagerOptions = Omit<TokenManagerOptions, 'flow'>;

/** How one vendor's recipe and simulator plug into the scenario. */
export interface VendorCase<Sim extends Simulator, Config> {
  readonly vendor: Sim['vendor'];
  start(clock: ManualClock): Promise<Sim>;
  /** The recipe's config pointing at the simulator, with its credentials. */
  config(sim: Sim): Config;
  /** `config` with a wrong secret. */
  withWrongSecret(config: Config): Config;
  /** The secret(s) no error may show. */
  secrets(sim: Sim): readonly string[];
  /** The recipe's token manager. */
  tokens(sim: Sim, config: Config, options: ManagerOptions): TokenManager | Promise<TokenManager>;
  readonly clients: ClientRecipes<Config, TokenManager>;
  /** What wrong credentials give: the token endpoint's status and `error`. */
  readonly badCredentials: { readonly status: number; readonly error: string };
}

/** A running vendor under test. */
export interface Running<Sim extends Simulator, Config> {
  readonly clock: ManualClock;
  readonly sim: Sim;
  readonly config: Config;
  readonly tokens: TokenManager;
  readonly call: Call;
}

/** Starts the simulator and the recipe's manager and client `name`; all closed after the test. */
export async function startVendor<Sim extends Simulator, Config>(
  vendorCase: VendorCase<Sim, Config>,
  name: ClientName,
  options: { readonly wrongSecret?: boolean } = {},
): Promise<Running<Sim, Config>> {
  const clock = manualClock();
  const sim = defer(await vendorCase.start(clock));
  const good = vendorCase.config(sim);
  const config = options.wrongSecret ? vendorCase.withWrongSecret(good) : good;
  const tokens = defer(await vendorCase.tokens(sim, config, { now: clock.now }));
  const client = vendorCase.clients[name](tokens, config);
  return { clock, sim, config, tokens, call: callerFor(name, client, sim.apiUrl) };
}

/** Defines the scenario's tests for `vendorCase`, once per client. */
export function vendorMatrix<Sim extends Simulator, Config>(
  vendorCase: VendorCase<Sim, Config>,
): void {
  describe.each(clientNames)(`${vendorCase.vendor} recipe through %s`, (name) => {
    test('obtains a token, and the API call succeeds', async () => {
      const { sim, call } = await startVendor(vendorCase, name);

      expect(await call('bookings?page=2')).toMatchObject({
        vendor: vendorCase.vendor,
        method: 'GET',
        path: '/bookings',
        query: { page: '2' },
      });
      expect(sim.stats).toMatchObject({
        tokenRequests: 1,
        tokensIssued: 1,
        apiCalls: 1,
        apiRejected: 0,
      });
    });

    test('reuses the token, and renews it after its lifetime without a 401', async () => {
      const { sim, call, tokens, clock } = await startVendor(vendorCase, name);
      for (let i = 0; i < 3; i++) await call('items');
      const first = (await tokens.getToken()).accessToken;
      expect(sim.stats).toMatchObject({ tokenRequests: 1, apiCalls: 3 });

      clock.advance(sim.lifetimeSeconds * 1000);
      expect(sim.accepts(first)).toBe(false);
      expect(await call('items')).toMatchObject({ vendor: vendorCase.vendor });

      const second = (await tokens.getToken()).accessToken;
      expect(second).not.toBe(first);
      expect(sim.accepts(second)).toBe(true);
      expect(sim.stats).toMatchObject({
        tokenRequests: 2,
        tokensIssued: 2,
        apiCalls: 4,
        apiRejected: 0,
      });
    });

    test('a token the vendor revoked costs one 401 and one renewal', async () => {
      const { sim, call, tokens } = await startVendor(vendorCase, name);
      await call('items');
      expect(sim.revoke((await tokens.getToken()).accessToken)).toBe(true);

      expect(await call('items')).toMatchObject({ vendor: vendorCase.vendor });
      expect(sim.stats).toMatchObject({ tokenRequests: 2, apiCalls: 3, apiRejected: 1 });
    });

    test('wrong credentials give a typed error that shows no secret', async () => {
      const { sim, call } = await startVendor(vendorCase, name, { wrongSecret: true });

      const error = await rejectionOf(call('items'));
      expect(error instanceof TokenEndpointError).toBe(true);
      expect(error).toMatchObject({
        code: 'ERR_TOKEN_ENDPOINT',
        status: vendorCase.badCredentials.status,
        error: vendorCase.badCredentials.error,
      });
      const shown = renderings(error);
      for (const secret of [...vendorCase.secrets(sim), wrongSecret]) {
        expect(shown).not.toContain(secret);
      }
      expect(sim.stats).toMatchObject({ tokenRequests: 1, tokenErrors: 1, apiCalls: 0 });
    });
  });
}
