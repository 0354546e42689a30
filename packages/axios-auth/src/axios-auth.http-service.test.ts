/**
 * axiosAuth on NestJS's HttpService, with axios-retry, two vendors on one shared instance; through
 * axios's http and fetch adapters.
 */
import { HttpService } from '@nestjs/axios';
import axios from 'axios';
import axiosRetry from 'axios-retry';
import { lastValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  authorizeVendor,
  closeVendors,
  received,
  startVendor,
} from './test-support/stack-vendors.ts';

afterEach(closeVendors);

describe.each(['http', 'fetch'] as const)('with the %s adapter', (adapter) => {
  describe("NestJS's HttpService", () => {
    it('calls two vendors through one shared instance with axios-retry: each token renewed by its own manager', async () => {
      const billing = await startVendor('billing');
      const crm = await startVendor('crm');
      const http = new HttpService(axios.create({ adapter, timeout: 5_000 }));
      axiosRetry(http.axiosRef, { retries: 3 });
      authorizeVendor(http.axiosRef, billing);
      authorizeVendor(http.axiosRef, crm);
      await lastValueFrom(http.get(billing.server.url('/warm')));
      await lastValueFrom(http.get(crm.server.url('/warm')));
      crm.server.revokeAll();
      billing.server.failPath('/invoices', 503);

      const [invoices, contacts] = await Promise.all([
        lastValueFrom(http.get(billing.server.url('/invoices'))),
        lastValueFrom(http.get(crm.server.url('/contacts'))),
      ]);

      expect([invoices.status, contacts.status]).toEqual([200, 200]);
      expect(received(billing)).toEqual(Array(3).fill('Bearer billing-tok-1'));
      expect(received(crm)).toEqual(['Bearer crm-tok-1', 'Bearer crm-tok-1', 'Bearer crm-tok-2']);
      expect([billing.server.tokenRequests.length, crm.server.tokenRequests.length]).toEqual([
        1, 2,
      ]);
    });
  });
});
