/**
 * Contract: a 401 to a request that carried the token is answered by one re-send with a fresh
 * token (never a second); the renewals of concurrent 401s are one token request; an API that
 * refuses every token costs a bounded number of token requests; `retryOn401: false` re-sends
 * nothing.
 */
import { describe, expect, it } from 'vitest';
import type { Contract } from './contract.ts';
import type { ManagerLike } from './loopback.ts';

/**
 * Re-authorization after a 401, for one adapter.
 *
 * @example
 * describeReauthorization(createContract(driver, useLoopback(driver.core)));
 */
export function describeReauthorization<Client, Manager extends ManagerLike>(
  contract: Contract<Client, Manager>,
): void {
  const { driver, client, get } = contract;

  describe('re-authorization after a 401', () => {
    it('re-sends a request refused with a 401 once, with a fresh token and the extra headers', async () => {
      const { a } = contract;
      const api = client({ headers: { 'X-Tenant-Id': 'tenant-1' } });
      await get(api, a.url('/warm'));
      a.revokeAll();
      expect((await get(api, a.url('/members'))).status).toBe(200);
      const [first, second] = a.issued;
      expect(a.apiCalls.map((call) => call.headers.authorization)).toEqual([
        `Bearer ${first}`,
        `Bearer ${first}`,
        `Bearer ${second}`,
      ]);
      expect(a.apiCalls.at(-1)?.headers['x-tenant-id']).toBe('tenant-1');
      expect(a.tokenRequests).toHaveLength(2);
    });

    it('returns the 401 to the re-send as the answer, keeps that token, and sends later 401s once each', async () => {
      const { a } = contract;
      const api = client();
      const reply = await get(api, a.url('/always-401/members'));
      expect(reply.status).toBe(401);
      expect(reply.headers['www-authenticate']).toMatch(/^Bearer\b/);
      expect(a.apiCalls.map((call) => call.headers.authorization)).toEqual([
        `Bearer ${a.issued[0]}`,
        `Bearer ${a.issued[1]}`,
      ]);
      // The fresh token was refused too: the token is not the problem, re-authorization cools
      // down. Later 401s reach the caller at once, with the client's defaults too.
      for (let i = 1; i <= 2; i++) {
        const outcome = await driver.outcome(api, { url: a.url(`/always-401/members/${i}`) });
        expect(driver.status(outcome)).toBe(401);
      }
      expect(a.apiCalls).toHaveLength(4);
      expect((await get(api, a.url('/members'))).status).toBe(200);
      expect(a.apiCalls.at(-1)?.headers.authorization).toBe(`Bearer ${a.issued[1]}`);
      expect(a.tokenRequests).toHaveLength(2);
    });

    it('renews a token revoked under 100 concurrent requests with one token request, and every request succeeds', async () => {
      const { a } = contract;
      const api = client();
      await get(api, a.url('/warm'));
      a.revokeAll();
      const replies = await Promise.all(
        Array.from({ length: 100 }, (_, i) => get(api, a.url(`/storm/${i}`))),
      );
      expect(replies.map((reply) => reply.status)).toEqual(Array(100).fill(200));
      expect(a.tokenRequests).toHaveLength(2);
      const sentWith = (token: string | undefined): number =>
        a.apiCalls.slice(1).filter((call) => call.headers.authorization === `Bearer ${token}`)
          .length;
      expect({ revoked: sentWith(a.issued[0]), renewed: sentWith(a.issued[1]) }).toEqual({
        revoked: 100,
        renewed: 100,
      });
    });

    it('with retryOn401: false, returns the first 401 and keeps the token', async () => {
      const { a } = contract;
      const api = client({ retryOn401: false });
      await get(api, a.url('/warm'));
      a.revokeAll();
      expect((await get(api, a.url('/members'))).status).toBe(401);
      expect(a.apiCalls).toHaveLength(2);
      expect(a.tokenRequests).toHaveLength(1);
    });

    it('costs at most 3 token requests for 20 sequential and 50 concurrent requests to distinct URLs of an always-401 API', async () => {
      const { a } = contract;
      const api = client();
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) {
        statuses.push((await get(api, a.url(`/always-401/sequential/${i}`))).status);
      }
      const sequential = a.tokenRequests.length;
      const concurrent = await Promise.all(
        Array.from({ length: 50 }, (_, i) => get(api, a.url(`/always-401/concurrent/${i}`))),
      );
      expect(statuses).toEqual(Array(20).fill(401));
      expect(concurrent.map((reply) => reply.status)).toEqual(Array(50).fill(401));
      expect({ sequential, total: a.tokenRequests.length }).toEqual({ sequential: 2, total: 2 });
    });

    it('shares the bound between clients of one manager: 20 requests alternating between two, distinct URLs', async () => {
      const { a } = contract;
      const first = client();
      const second = client({ headers: { 'X-Tenant-Id': 'acme' } });
      for (let i = 0; i < 20; i++) {
        const reply = await get(i % 2 === 0 ? first : second, a.url(`/always-401/shared/${i}`));
        expect(reply.status).toBe(401);
      }
      expect(a.tokenRequests).toHaveLength(2);
    });
  });
}
