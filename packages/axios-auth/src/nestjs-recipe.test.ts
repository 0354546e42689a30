/**
 * The NestJS recipe (docs/recipes/nestjs.md) is the file test-support/recipes/nestjs-vendors.ts,
 * quoted verbatim but for its import of this package; this runs it against two loopback vendors
 * through NestJS's HttpService, constructed directly (no DI container).
 */
import { readFile } from 'node:fs/promises';
import { HttpService } from '@nestjs/axios';
import {
  clientId,
  clientSecret,
  closeAllServers,
  type LoopbackServer,
  startServer,
} from '@tokenwise/test-kit';
import axios from 'axios';
import { afterEach, describe, expect, it } from 'vitest';
import { VendorApis, VendorsModule } from './test-support/recipes/nestjs-vendors.ts';

const recipeFile = new URL('./test-support/recipes/nestjs-vendors.ts', import.meta.url);
const page = new URL('../../../docs/recipes/nestjs.md', import.meta.url);

const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((close) => close()));
  await closeAllServers();
});

/** A vendor whose tokens are named after it (`<name>-tok-<n>`), so that a stray token shows. */
const vendor = (name: string): Promise<LoopbackServer> =>
  startServer({ accessTokenPrefix: `${name}-tok-` });

const settings = (server: LoopbackServer) => ({
  tokenUrl: server.tokenUrl,
  clientId,
  clientSecret,
  apiUrl: server.origin,
});

describe('the NestJS recipe', () => {
  it.each(['http', 'fetch'] as const)(
    'one HttpService, two vendors (%s adapter): a revoked token is renewed by its own manager, a 503 retried',
    async (adapter) => {
      const [billing, crm] = [await vendor('billing'), await vendor('crm')];
      const apis = new VendorApis(
        new HttpService(axios.create({ adapter })),
        settings(billing),
        settings(crm),
      );
      closing.push(() => apis.onApplicationShutdown());
      await apis.invoices();
      await apis.contacts();
      crm.revokeAll(); // the CRM revokes its token
      billing.failPath('/invoices', 503); // billing is busy once

      const [invoices, contacts] = await Promise.all([apis.invoices(), apis.contacts()]);

      expect(invoices).toMatchObject({ path: '/invoices', authorization: 'Bearer billing-tok-1' });
      expect(contacts).toMatchObject({ path: '/contacts', authorization: 'Bearer crm-tok-2' });
      // The warm-up, the 503, and axios-retry's retry: all with billing's first token.
      expect(billing.callsTo('/invoices').map((call) => call.headers.authorization)).toEqual(
        Array(3).fill('Bearer billing-tok-1'),
      );
      expect(crm.callsTo('/contacts').map((call) => call.headers.authorization)).toEqual([
        'Bearer crm-tok-1',
        'Bearer crm-tok-1',
        'Bearer crm-tok-2',
      ]);
      expect([billing.tokenRequests.length, crm.tokenRequests.length]).toEqual([1, 2]);
    },
  );

  it('declares the module NestJS builds: HttpModule imported, VendorApis made from HttpService', () => {
    const [provider] = Reflect.getMetadata('providers', VendorsModule) as {
      provide: unknown;
      inject: unknown[];
    }[];
    expect(provider?.provide).toBe(VendorApis);
    expect(provider?.inject).toEqual([HttpService]);
    expect(Reflect.getMetadata('imports', VendorsModule)).toHaveLength(1);
  });

  it('is quoted verbatim in docs/recipes/nestjs.md', async () => {
    const code = (await readFile(recipeFile, 'utf8')).replace(
      "from '../../index.ts';",
      "from '@tokenwise/axios-auth';",
    );
    const markdown = await readFile(page, 'utf8');
    const blocks = [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
    expect(blocks).toContain(code);
  });
});
