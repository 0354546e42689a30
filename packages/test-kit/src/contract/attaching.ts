/**
 * Contract: every request to an allowed origin carries `Authorization: Bearer <token>` and the
 * extra headers; the token is fetched once for all the requests that wait for it and reused;
 * `skipAuth` sends a request as the caller wrote it.
 */
import { describe, expect, it } from 'vitest';
import type { Contract } from './contract.ts';
import type { ManagerLike } from './loopback.ts';

/**
 * Attaching the token, for one adapter.
 *
 * @example
 * describeAttaching(createContract(driver, useLoopback(driver.core)));
 */
export function describeAttaching<Client, Manager extends ManagerLike>(
  contract: Contract<Client, Manager>,
): void {
  const { client, get, send } = contract;

  describe('attaching the token', () => {
    it('sends Authorization: Bearer <token> (token_type BEARER normalised), reusing the cached token', async () => {
      const { a } = contract;
      a.tokenType = 'BEARER';
      const api = client();
      expect((await get(api, a.url('/members'))).status).toBe(200);
      expect((await get(api, a.url('/members/2'))).status).toBe(200);
      expect(a.tokenRequests).toHaveLength(1);
      expect(a.tokenRequests[0]?.body).toContain('grant_type=client_credentials');
      expect(a.apiCalls.map((call) => call.headers.authorization)).toEqual([
        `Bearer ${a.issued[0]}`,
        `Bearer ${a.issued[0]}`,
      ]);
    });

    it('sends the extra headers of a record with the token', async () => {
      const { a } = contract;
      await get(client({ headers: { 'X-Tenant-Id': 'tenant-1' } }), a.url('/members'));
      expect(a.apiCalls[0]?.headers).toMatchObject({
        authorization: `Bearer ${a.issued[0]}`,
        'x-tenant-id': 'tenant-1',
      });
    });

    it('calls a header function with the full URL of each request, and sends what it resolves to', async () => {
      const { a } = contract;
      const seen: string[] = [];
      const api = client({
        headers: async (url) => {
          seen.push(url.href);
          return { 'X-Tenant-Id': url.pathname.startsWith('/eu/') ? 'eu' : 'us' };
        },
      });
      await get(api, a.url('/eu/members?page=2'));
      await get(api, a.url('/us/members'));
      expect(seen).toEqual([a.url('/eu/members?page=2'), a.url('/us/members')]);
      expect(a.apiCalls.map((call) => call.headers['x-tenant-id'])).toEqual(['eu', 'us']);
    });

    it('shares one token request among 100 concurrent requests on a cold start', async () => {
      const { a } = contract;
      const release = a.holdTokens();
      const api = client();
      const replies = Array.from({ length: 100 }, (_, i) => get(api, a.url(`/items/${i}`)));
      await a.tokenRequestsReached(1);
      // Let every request reach the manager before the token arrives.
      await new Promise((resolve) => setTimeout(resolve, 50));
      release();
      const statuses = (await Promise.all(replies)).map((reply) => reply.status);
      expect(statuses).toEqual(Array(100).fill(200));
      expect(a.tokenRequests).toHaveLength(1);
      expect(new Set(a.apiCalls.map((call) => call.headers.authorization))).toEqual(
        new Set([`Bearer ${a.issued[0]}`]),
      );
    });

    it('sends a skipAuth request without token or extra headers, keeps its own headers, and does not re-send its 401', async () => {
      const { a } = contract;
      const api = client({ headers: { 'X-Tenant-Id': 'tenant-1' } });
      const reply = await send(api, {
        url: a.url('/members'),
        headers: { 'X-Own': 'kept' },
        skipAuth: true,
      });
      expect(reply.status).toBe(401);
      expect(a.apiCalls).toHaveLength(1);
      expect(a.apiCalls[0]?.headers.authorization).toBeUndefined();
      expect(a.apiCalls[0]?.headers['x-tenant-id']).toBeUndefined();
      expect(a.apiCalls[0]?.headers['x-own']).toBe('kept');
      expect(a.tokenRequests).toHaveLength(0);
    });
  });
}
