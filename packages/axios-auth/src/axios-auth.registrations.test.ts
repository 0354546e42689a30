/**
 * axiosAuth registered several times on one shared axios instance, one registration per vendor,
 * in either order: each vendor's revoked token is renewed by its own manager only; through axios's
 * http and fetch adapters.
 */
import axios from 'axios';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  authorizeVendor,
  closeVendors,
  received,
  startVendor,
  type Vendor,
} from './test-support/stack-vendors.ts';

afterEach(closeVendors);

describe.each(['http', 'fetch'] as const)('with the %s adapter', (adapter) => {
  describe('several registrations on one instance', () => {
    it("renews vendor B's revoked token, whichever registration comes first, and leaves vendor A alone", async () => {
      for (const order of [
        ['a', 'b'],
        ['b', 'a'],
      ] as const) {
        const vendors = { a: await startVendor('a'), b: await startVendor('b') };
        const api = axios.create({ adapter });
        for (const name of order) authorizeVendor(api, vendors[name]);
        await api.get(`${vendors.a.server.origin}/warm`);
        await api.get(`${vendors.b.server.origin}/warm`);
        vendors.b.server.revokeAll(); // vendor B revokes b-tok-1

        const response = await api.get(`${vendors.b.server.origin}/members`);
        await api.get(`${vendors.a.server.origin}/members`);

        expect(response.status).toBe(200);
        expect(received(vendors.b)).toEqual(['Bearer b-tok-1', 'Bearer b-tok-1', 'Bearer b-tok-2']);
        expect(received(vendors.a)).toEqual(['Bearer a-tok-1', 'Bearer a-tok-1']);
        expect(vendors.b.server.tokenRequests).toHaveLength(2);
        expect(vendors.a.server.tokenRequests).toHaveLength(1);
      }
    });

    it('keeps any number of registrations apart: each revoked vendor is renewed once, by its own manager only', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 2, max: 5 }).chain((count) =>
            fc.record({
              order: fc.shuffledSubarray([...Array(count).keys()], { minLength: count }),
              revoked: fc.subarray([...Array(count).keys()]),
            }),
          ),
          async ({ order, revoked }) => {
            const vendors = await Promise.all(order.map((_, i) => startVendor(`v${i}`)));
            const api = axios.create({ adapter });
            for (const i of order) authorizeVendor(api, vendors[i] as Vendor);
            await Promise.all(vendors.map((vendor) => api.get(vendor.server.url('/warm'))));
            for (const i of revoked) vendors[i]?.server.revokeAll();

            const responses = await Promise.all(
              vendors.map((vendor) => api.get(vendor.server.url('/members'))),
            );

            expect(responses.map((response) => response.status)).toEqual(vendors.map(() => 200));
            for (const [i, vendor] of vendors.entries()) {
              const renewed = revoked.includes(i) ? 1 : 0;
              expect(vendor.server.tokenRequests).toHaveLength(1 + renewed);
              for (const call of vendor.server.apiCalls) {
                expect(call.headers.authorization).toMatch(
                  new RegExp(`^Bearer ${vendor.name}-tok-`),
                );
                expect(call.headers['x-vendor']).toBe(vendor.name);
              }
            }
            await closeVendors();
          },
        ),
        { numRuns: 30 },
      );
    });
  });
});
