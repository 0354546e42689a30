/**
 * Contract: when no token can be had, the caller gets the token manager's `TokenEndpointError`
 * as it is (not wrapped in the client's error), before the request or instead of its re-send.
 */
import { describe, expect, it } from 'vitest';
import type { Contract } from './contract.ts';
import type { ManagerLike } from './loopback.ts';

/**
 * Token endpoint failures, for one adapter.
 *
 * @example
 * describeTokenErrors(createContract(driver, useLoopback(driver.core)));
 */
export function describeTokenErrors<Client, Manager extends ManagerLike>(
  contract: Contract<Client, Manager>,
): void {
  const { driver, client, get } = contract;
  const refusal = { status: 400, body: { error: 'invalid_client', error_description: 'nope' } };

  describe('token endpoint failures', () => {
    it("rejects with the manager's TokenEndpointError, unwrapped, and calls no API", async () => {
      const { a } = contract;
      a.failTokens(refusal);
      const outcome = await driver.outcome(client(), { url: a.url('/members') });
      expect(driver.core.isTokenEndpointError(outcome)).toBe(true);
      expect(outcome).toMatchObject({ status: 400, error: 'invalid_client' });
      expect(a.apiCalls).toHaveLength(0);
    });

    it("rejects with the manager's TokenEndpointError when the re-send after a 401 gets no token", async () => {
      const { a } = contract;
      const api = client();
      await get(api, a.url('/warm'));
      a.revokeAll();
      a.failTokens(refusal);
      const outcome = await driver.outcome(api, { url: a.url('/members') });
      expect(driver.core.isTokenEndpointError(outcome)).toBe(true);
      expect(outcome).toMatchObject({ status: 400, error: 'invalid_client' });
      expect(a.apiCalls.map((call) => call.path)).toEqual(['/warm', '/members']);
    });
  });
}
