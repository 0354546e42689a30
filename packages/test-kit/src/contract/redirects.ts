/**
 * Contract: a same-origin redirect keeps the token and the extra headers (and a 401 at its end is
 * re-sent once); a cross-origin hop drops both, even to another allowed origin, and stays
 * without them. A 401 to a request that no longer carries the token neither drops nor renews it.
 */
import { describe, expect, it } from 'vitest';
import type { Contract } from './contract.ts';
import type { ManagerLike } from './loopback.ts';

/**
 * Redirects, for one adapter.
 *
 * @example
 * describeRedirects(createContract(driver, useLoopback(driver.core)));
 */
export function describeRedirects<Client, Manager extends ManagerLike>(
  contract: Contract<Client, Manager>,
): void {
  const { client, get, send, redirect } = contract;
  const tenant = { 'X-Tenant-Id': 'tenant-1' };

  describe('redirects', () => {
    it('keeps the token and the extra headers on a same-origin redirect', async () => {
      const { a } = contract;
      const reply = await get(client({ headers: tenant }), redirect(a, '/landing'));
      expect(reply.status).toBe(200);
      expect(a.apiCalls.map((call) => call.path)).toEqual(['/redirect', '/landing']);
      expect(a.apiCalls[1]?.headers).toMatchObject({
        authorization: `Bearer ${a.issued[0]}`,
        'x-tenant-id': 'tenant-1',
      });
    });

    it('re-sends a request whose same-origin redirect ends in a 401, with a fresh token and the extra headers', async () => {
      const { a } = contract;
      const api = client({ headers: tenant });
      await get(api, a.url('/warm'));
      a.revokeAll();
      expect((await get(api, redirect(a, '/moved'))).status).toBe(200);
      expect(a.apiCalls.at(-1)).toMatchObject({ path: '/moved' });
      expect(a.apiCalls.at(-1)?.headers).toMatchObject({
        authorization: `Bearer ${a.issued[1]}`,
        'x-tenant-id': 'tenant-1',
      });
      expect(a.tokenRequests).toHaveLength(2);
    });

    it.each([
      { case: 'with extra headers', extra: tenant, bothAllowed: false },
      { case: 'without extra headers', extra: undefined, bothAllowed: false },
      { case: 'to another allowed origin', extra: tenant, bothAllowed: true },
    ])(
      "drops the token and the extra headers on a cross-origin redirect (302 and 307), $case, keeping the caller's own",
      async ({ extra, bothAllowed }) => {
        const { a, b } = contract;
        const api = client({
          ...(extra && { headers: extra }),
          ...(bothAllowed && { origins: [a.origin, b.origin] }),
        });
        for (const status of [302, 307]) {
          const to = redirect(a, b.url('/public/landing'), status);
          const reply = await send(api, { url: to, headers: { 'X-Own': 'kept' } });
          expect(reply.status).toBe(200);
        }
        expect(a.apiCalls.map((call) => call.headers.authorization)).toEqual(
          Array(2).fill(`Bearer ${a.issued[0]}`),
        );
        expect(b.apiCalls).toHaveLength(2);
        for (const call of b.apiCalls) {
          expect(call.headers.authorization).toBeUndefined();
          expect(call.headers['x-tenant-id']).toBeUndefined();
          expect(call.headers['x-own']).toBe('kept');
        }
      },
    );

    it('neither drops nor renews the token for a 401 from a cross-origin redirect target, even an allowed one', async () => {
      const { a, b } = contract;
      const api = client({ origins: [a.origin, b.origin] });
      expect((await get(api, a.url('/warm'))).status).toBe(200);
      const reply = await get(api, redirect(a, b.url('/private')));
      expect(reply.status).toBe(401);
      expect(reply.headers['www-authenticate']).toMatch(/^Bearer\b/);
      expect(b.apiCalls).toHaveLength(1);
      expect(b.apiCalls[0]?.headers.authorization).toBeUndefined();
      expect(a.tokenRequests).toHaveLength(1);
      const again = await get(api, a.url('/members'));
      expect(again.status).toBe(200);
      expect(a.apiCalls.at(-1)?.headers.authorization).toBe(`Bearer ${a.issued[0]}`);
      expect(a.tokenRequests).toHaveLength(1);
    });

    it('neither drops nor renews the token for a 401 to a request that bounced off another origin back to the API (A → B → A)', async () => {
      const { a, b } = contract;
      const api = client({ origins: [a.origin, b.origin] });
      expect((await get(api, a.url('/warm'))).status).toBe(200);
      const reply = await get(api, redirect(a, redirect(b, a.url('/back'))));
      expect(reply.status).toBe(401);
      expect(a.apiCalls.at(-1)).toMatchObject({ path: '/back' });
      expect(a.apiCalls.at(-1)?.headers.authorization).toBeUndefined();
      expect(a.tokenRequests).toHaveLength(1);
      // No cool-down either: a genuine revocation is renewed at once.
      a.revokeAll();
      expect((await get(api, a.url('/members'))).status).toBe(200);
      expect(a.tokenRequests).toHaveLength(2);
    });
  });
}
