/**
 * gotAuth registered several times on one got instance, one registration per vendor with its own
 * manager, origin and tenant header: each vendor keeps its own token, headers and 401s; with
 * got 14 and got 16.
 */
import type { TokenManager } from '@tokenwise/core';
import { type LoopbackServer, startServer } from '@tokenwise/test-kit';
import type { Got } from 'got';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gotAuth } from './index.ts';
import { type Echo, gotMajors, managerOf, retryOn503 } from './test-support/got-stacks.ts';

describe.each(gotMajors)('%s', (_major, base) => {
  describe('several registrations on one instance', () => {
    let vendors: { server: LoopbackServer; tokens: TokenManager }[];
    beforeEach(async () => {
      const servers = await Promise.all([startServer(), startServer('localhost'), startServer()]);
      vendors = servers.map((server) => ({ server, tokens: managerOf(server) }));
    });
    afterEach(async () => {
      await Promise.all(
        vendors.map(async (v) => Promise.all([v.tokens.close(), v.server.close()])),
      );
    });

    /** One instance, one gotAuth per vendor, each with its own manager, origin and tenant. */
    const client = (): Got =>
      base.extend(
        retryOn503(0),
        ...vendors.map(({ server, tokens }, i) =>
          gotAuth({ tokens, origins: [server.origin], headers: { 'X-Tenant-Id': `vendor-${i}` } }),
        ),
      );

    it("renews the second vendor's revoked token with its own manager", async () => {
      const [first, second] = vendors as [(typeof vendors)[0], (typeof vendors)[0]];
      const api = client();
      await api(first.server.url('/api/warm'));
      await api(second.server.url('/api/warm'));
      second.server.revokeAll();
      const echo = await api(second.server.url('/api/after-revocation')).json<Echo>();
      expect(echo).toMatchObject({ authorization: 'Bearer tok-2', tenant: 'vendor-1' });
      expect(second.server.tokenRequests).toHaveLength(2);
      expect(first.server.tokenRequests).toHaveLength(1);
      expect((await first.tokens.getToken()).accessToken).toBe('tok-1');
      // The renewed token works at once: nothing cools down in either manager.
      second.server.revokeAll();
      expect((await api(second.server.url('/api/again')).json<Echo>()).authorization).toBe(
        'Bearer tok-3',
      );
    });

    it('keeps every vendor to its own token, headers and 401s, under concurrent revocations', async () => {
      const api = client();
      await Promise.all(vendors.map(({ server }) => api(server.url('/api/warm'))));
      for (const { server } of vendors) server.revokeAll();
      const echoes = await Promise.all(
        vendors.flatMap(({ server }) =>
          Array.from({ length: 10 }, (_, n) => api(server.url(`/api/${n}`)).json<Echo>()),
        ),
      );
      expect(echoes).toHaveLength(30);
      for (const [i, { server }] of vendors.entries()) {
        expect(server.tokenRequests).toHaveLength(2);
        // 1 warm-up + 10 refused + 10 re-sent, each with this vendor's header only.
        expect(server.apiCalls).toHaveLength(21);
        for (const call of server.apiCalls) expect(call.headers['x-tenant-id']).toBe(`vendor-${i}`);
        const sent = server.apiCalls.map((call) => call.headers.authorization);
        expect(sent.filter((value) => value === 'Bearer tok-1')).toHaveLength(11);
        expect(sent.filter((value) => value === 'Bearer tok-2')).toHaveLength(10);
      }
    });
  });
});
