/**
 * The code of docs/recipes/ky.md, run against two loopback vendors (token endpoint and API each).
 * Keep the two in step.
 */
import { clientCredentials, createTokenManager } from '@tokenwise/core';
import {
  clientId,
  clientSecret,
  closeAllServers,
  type LoopbackServer,
  startServer,
} from '@tokenwise/test-kit';
import ky from 'ky';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kyAuth } from './index.ts';

// --- docs/recipes/ky.md -------------------------------------------------------------------------
export interface VendorConfig {
  readonly apiOrigin: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

export function createVendorClient(crm: VendorConfig, billing: VendorConfig) {
  const crmTokens = createTokenManager({ flow: clientCredentials(crm) });
  const billingTokens = createTokenManager({ flow: clientCredentials(billing) });
  const api = ky
    .create({ retry: { limit: 2 }, timeout: 10_000 })
    .extend(kyAuth({ tokens: crmTokens, origins: [crm.apiOrigin] }))
    .extend(kyAuth({ tokens: billingTokens, origins: [billing.apiOrigin] }));
  return {
    contacts: () => api.get(`${crm.apiOrigin}/contacts`).json<{ path: string }>(),
    invoices: () => api.get(`${billing.apiOrigin}/invoices`).json<{ path: string }>(),
    close: () => Promise.all([crmTokens.close(), billingTokens.close()]),
  };
}
// -------------------------------------------------------------------------------------------------

let crm: LoopbackServer;
let billing: LoopbackServer;

beforeEach(async () => {
  [crm, billing] = await Promise.all([startServer(), startServer()]);
});
afterEach(closeAllServers);

const config = (server: LoopbackServer): VendorConfig => ({
  apiOrigin: server.origin,
  tokenUrl: server.tokenUrl,
  clientId,
  clientSecret,
});

describe('docs/recipes/ky.md: two vendors on one ky client', () => {
  it('sends each vendor its own token, renews only the rejected one, and keeps ky’s retries', async () => {
    const client = createVendorClient(config(crm), config(billing));
    try {
      expect(await client.contacts()).toMatchObject({ path: '/contacts' });
      expect(await client.invoices()).toMatchObject({ path: '/invoices' });
      billing.failPath('/invoices', 401, 503); // the token rejected, then the vendor busy once
      expect(await client.invoices()).toMatchObject({ path: '/invoices' });
      expect(billing.apiCalls.map((call) => call.headers.authorization)).toEqual([
        'Bearer tok-1',
        'Bearer tok-1', // 401
        'Bearer tok-2', // the re-send: 503
        'Bearer tok-2', // ky's retry: 200
      ]);
      expect([crm.tokenRequests.length, billing.tokenRequests.length]).toEqual([1, 2]);
    } finally {
      await client.close();
    }
  });
});
