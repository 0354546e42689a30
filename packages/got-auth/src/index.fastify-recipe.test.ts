/**
 * The Fastify recipe (docs/recipes/fastify.md): a service whose header function reads the tenant
 * from an AsyncLocalStorage store, run with got 14 and got 16; and the page quotes the recipe's
 * source verbatim.
 */
import { readFileSync } from 'node:fs';
import { clientId, clientSecret } from '@tokenwise/test-kit';
import { describe, expect, it } from 'vitest';
import { createVendorClient, getMember, withTenant } from './test-support/fastify-recipe.ts';
import { type Echo, gotMajors, useLoopbackVendor } from './test-support/got-stacks.ts';

describe.each(gotMajors)('%s', () => {
  const loopback = useLoopbackVendor();

  describe('a service with the tenant in AsyncLocalStorage (docs/recipes/fastify.md)', () => {
    it('gives each of many concurrent requests its own tenant, through re-sends and retries', async () => {
      const { vendor, tokens: vendorTokens } = createVendorClient({
        apiUrl: loopback.server.origin,
        tokenUrl: loopback.server.tokenUrl,
        clientId,
        clientSecret,
        backoffLimitMs: 1,
      });
      try {
        /** What Fastify does for each request: the onRequest hook, then the route handler. */
        const serve = (tenant: string, memberId: string): Promise<unknown> =>
          new Promise((resolve, reject) => {
            withTenant({ headers: { 'x-tenant-id': tenant } }, {}, () => {
              getMember(vendor, memberId).then(resolve, reject);
            });
          });
        await serve('warm', 'warm');
        loopback.server.revokeAll();
        const calls = Array.from({ length: 20 }, (_, i) => [`tenant-${i % 5}`, `m${i}`] as const);
        // Every first attempt is refused; then each re-send and got's next retry get a 503.
        for (const [, member] of calls)
          loopback.server.failAuthorized(`/members/${member}`, 503, 503);
        const echoes = (await Promise.all(
          calls.map(([tenant, member]) => serve(tenant, member)),
        )) as Echo[];
        expect(echoes.map((echo) => echo.tenant)).toEqual(calls.map(([tenant]) => tenant));
        expect(loopback.server.apiCalls).toHaveLength(1 + 4 * calls.length);
        for (const call of loopback.server.apiCalls.slice(1)) {
          const member = call.path.split('/').at(-1);
          const tenant = calls.find(([, m]) => m === member)?.[0];
          expect(call.headers['x-tenant-id']).toBe(tenant);
        }
        expect(loopback.server.tokenRequests).toHaveLength(2);
        // Outside a request there is no tenant: the call fails before anything is sent.
        await expect(getMember(vendor, 'm0')).rejects.toThrow(/no tenant/);
        expect(loopback.server.apiCalls).toHaveLength(1 + 4 * calls.length);
        const refused: (Error | undefined)[] = [];
        withTenant({ headers: {} }, {}, (error) => void refused.push(error));
        expect(refused).toMatchObject([{ message: 'X-Tenant-Id is required', statusCode: 400 }]);
      } finally {
        await vendorTokens.close();
      }
    });
  });
});

describe('docs/recipes/fastify.md', () => {
  it('quotes src/test-support/fastify-recipe.ts verbatim', () => {
    const page = readFileSync(new URL('../../../docs/recipes/fastify.md', import.meta.url), 'utf8');
    const source = readFileSync(new URL('test-support/fastify-recipe.ts', import.meta.url), 'utf8');
    const block = /^```ts title="fastify-recipe\.ts"\n([\s\S]*?)^```$/m.exec(page)?.[1];
    expect(block).toBe(source);
  });
});
