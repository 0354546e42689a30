/**
 * Contract: what the caller gets when a request fails (a 401 after the one re-send, a refused
 * connection, a connection dropped after the token was sent) shows neither the token nor the
 * extra headers, in any rendering a logger may use.
 */
import { describe, expect, it } from 'vitest';
import { closedPortOrigin } from '../loopback-server.ts';
import { renderings } from '../renderings.ts';
import type { Contract } from './contract.ts';
import type { ManagerLike } from './loopback.ts';

/**
 * What the caller's error shows, for one adapter.
 *
 * @example
 * describeWhatErrorsShow(createContract(driver, useLoopback(driver.core)));
 */
export function describeWhatErrorsShow<Client, Manager extends ManagerLike>(
  contract: Contract<Client, Manager>,
): void {
  const { driver, client } = contract;
  const tenantKey = 'tenant-key-91d2';
  const expectNoSecrets = (outcome: unknown): void => {
    const { a } = contract;
    expect(a.issued.length).toBeGreaterThan(0);
    // Every rendering, custom inspectors bypassed too (a logger may look past them).
    for (const rendering of renderings(outcome)) {
      for (const token of a.issued) expect(rendering).not.toContain(token);
      expect(rendering).not.toContain(tenantKey);
    }
  };

  describe('what the caller gets shows', () => {
    it('a 401 after the one re-send shows neither the token nor the extra headers', async () => {
      const { a } = contract;
      const api = client({ headers: { 'X-Tenant-Key': tenantKey } });
      const outcome = await driver.outcome(api, { url: a.url('/always-401/members') });
      expect(driver.status(outcome)).toBe(401);
      expect(a.apiCalls.map((call) => call.headers.authorization)).toEqual([
        `Bearer ${a.issued[0]}`,
        `Bearer ${a.issued[1]}`,
      ]);
      expectNoSecrets(outcome);
    });

    it('a refused connection (nothing was sent) shows neither the token nor the extra headers', async () => {
      const { a } = contract;
      const closed = await closedPortOrigin();
      const api = client({ origins: [closed], headers: { 'X-Tenant-Key': tenantKey } });
      const outcome = await driver.outcome(api, { url: `${closed}/members` });
      expect(driver.isNetworkError(outcome)).toBe(true);
      expect(a.tokenRequests).toHaveLength(1); // the token was attached
      expectNoSecrets(outcome);
    });

    it('a connection dropped after the token was sent shows neither the token nor the extra headers', async () => {
      const { a } = contract;
      const api = client({ headers: { 'X-Tenant-Key': tenantKey } });
      const outcome = await driver.outcome(api, { url: a.url('/drop') });
      expect(driver.isNetworkError(outcome)).toBe(true);
      expect(a.apiCalls[0]?.headers.authorization).toBe(`Bearer ${a.issued[0]}`);
      expectNoSecrets(outcome);
    });
  });
}
