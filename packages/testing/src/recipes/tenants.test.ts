/**
 * The tenants recipes (docs/recipes/tenants.md): a registry of managers per tenant, chosen by a
 * header (fetch), a subdomain (got), an AsyncLocalStorage request context (ky); a 403 configured
 * as a rejection (axios); a resource indicator per API. Against the kit's loopback server, which
 * knows one client per tenant; and the page quotes the recipe files verbatim.
 */
import { lookup } from 'node:dns';
import { readdirSync, readFileSync } from 'node:fs';
import { type LoopbackServer, startServer } from '@tokenwise/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { twoApis } from './tenants/audiences.ts';
import { tenantFetch } from './tenants/by-header.ts';
import { tenantGot } from './tenants/by-subdomain.ts';
import { forbiddenMeansExpired } from './tenants/forbidden.ts';
import { tenantTokens } from './tenants/registry.ts';
import { asTenant, tenantKy } from './tenants/request-context.ts';

const clients = { acme: 'acme-secret', globex: 'globex-secret', initech: 'initech-secret' };
const opened: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((each) => each.close()));
});

async function setup() {
  const server = await startServer({ clients });
  const tenants = tenantTokens(server.tokenUrl, (tenant) => ({
    clientId: tenant,
    clientSecret: clients[tenant as keyof typeof clients] ?? 'unknown',
  }));
  opened.push(tenants, server);
  return { server, tenants };
}

/** The tenant (client id) whose token each API call carried, in order. */
function tenantsSeen(server: LoopbackServer): (string | undefined)[] {
  const owner = new Map(
    server.tokenRequests.map((request, i) => [server.issued[i], request.params.client_id]),
  );
  return server.apiCalls.map((call) => owner.get(call.headers.authorization?.slice(7) ?? ''));
}

describe('tenants (docs/recipes/tenants.md)', () => {
  it('by header: each request carries its tenant’s token, one token request per tenant', async () => {
    const { server, tenants } = await setup();
    const api = tenantFetch(tenants, server.origin);
    const order = ['acme', 'globex', 'acme', 'initech', 'globex'];
    const replies = await Promise.all(
      order.map((tenant) => api(server.url('/members'), { headers: { 'X-Tenant-Id': tenant } })),
    );
    expect(replies.map((reply) => reply.status)).toEqual(Array(5).fill(200));
    // Each call carried the token of the tenant its header names (calls arrive in any order).
    const headed = server.apiCalls.map((call) => call.headers['x-tenant-id']);
    expect(tenantsSeen(server)).toEqual(headed);
    expect(headed.sort()).toEqual([...order].sort());
    expect(server.tokenRequests).toHaveLength(3);
    expect(tenants.size).toBe(3);
    await expect(api(server.url('/members'))).rejects.toThrow('needs X-Tenant-Id');
  });

  it('by header: a revoked token is renewed for its tenant only', async () => {
    const { server, tenants } = await setup();
    const api = tenantFetch(tenants, server.origin);
    const as = (tenant: string) =>
      api(server.url('/members'), { headers: { 'X-Tenant-Id': tenant } });
    await as('acme');
    await as('globex');
    server.revokeAll();
    expect((await as('acme')).status).toBe(200);
    expect(server.tokenRequests.map((request) => request.params.client_id)).toEqual([
      'acme',
      'globex',
      'acme',
    ]);
  });

  it('by subdomain: the host names the tenant; another host is refused before sending', async () => {
    const { server, tenants } = await setup();
    const port = new URL(server.origin).port;
    // Every *.api.example.test host is this machine, for the test.
    const api = tenantGot(tenants, 'api.example.test').extend({
      dnsLookup: ((_host: string, options: object, callback: never) =>
        lookup('127.0.0.1', options, callback)) as never,
    });
    for (const tenant of ['globex', 'acme', 'globex']) {
      const reply = await api(`http://${tenant}.api.example.test:${port}/members`);
      expect(reply.statusCode).toBe(200);
    }
    expect(tenantsSeen(server)).toEqual(['globex', 'acme', 'globex']);
    await expect(api(`http://api.other.test:${port}/members`)).rejects.toThrow(
      'api.other.test is not a tenant of api.example.test',
    );
    expect(server.apiCalls).toHaveLength(3);
  });

  it('by request context: concurrent requests of many tenants each carry their own token', async () => {
    const { server, tenants } = await setup();
    const api = tenantKy(tenants, server.origin);
    const order = Array.from({ length: 30 }, (_, i) => Object.keys(clients)[i % 3] as string);
    await Promise.all(order.map((tenant) => asTenant(tenant, () => api.get('members').json())));
    expect(new Set(server.tokenRequests.map((request) => request.params.client_id))).toEqual(
      new Set(Object.keys(clients)),
    );
    const owners = tenantsSeen(server);
    expect(owners.sort()).toEqual([...order].sort());
    await expect(api.get('members')).rejects.toThrow('call the vendor inside asTenant()');
  });

  it('a 403 configured as a rejection: one re-send with a fresh token', async () => {
    const { server, tenants } = await setup();
    server.route('/reports', (request, res) => {
      const stale = request.headers.authorization === `Bearer ${server.issued[0]}`;
      res.writeHead(stale ? 403 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ stale }));
    });
    const api = forbiddenMeansExpired(tenants.get('acme'), server.origin);
    const { status, data } = await api.get('/reports');
    expect({ status, data }).toEqual({ status: 200, data: { stale: false } });
    expect(server.tokenRequests).toHaveLength(2);
    // A 401 saying insufficient_scope is not a rejection: returned at once.
    server.route('/admin', (_request, res) => {
      res.writeHead(401, { 'www-authenticate': 'Bearer error="insufficient_scope"' });
      res.end();
    });
    await expect(api.get('/admin')).rejects.toMatchObject({ response: { status: 401 } });
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('a resource per API: the billing API’s token is asked for with its resource, and cached apart', async () => {
    const { server, tenants } = await setup();
    const billing = await startServer('localhost');
    opened.push(billing);
    const api = twoApis(tenants.get('acme'), billing.origin);
    for (let i = 0; i < 2; i++) {
      expect((await api(server.url('/members'))).status).toBe(200);
      // The billing server does not know the acme token: what matters is which token went there.
      await api(billing.url('/public/invoices'));
    }
    expect(server.tokenRequests.map((request) => request.params.resource)).toEqual([
      undefined,
      billing.origin,
    ]);
    const [plain, forBilling] = server.issued;
    expect(billing.apiCalls.map((call) => call.headers.authorization)).toEqual([
      `Bearer ${forBilling}`,
      `Bearer ${forBilling}`,
    ]);
    expect(server.apiCalls.map((call) => call.headers.authorization)).toEqual([
      `Bearer ${plain}`,
      `Bearer ${plain}`,
    ]);
  });
});

describe('docs/recipes/tenants.md', () => {
  it('shows every tenants recipe file once, verbatim', () => {
    const page = readFileSync(
      new URL('../../../../docs/recipes/tenants.md', import.meta.url),
      'utf8',
    );
    const blocks = [...page.matchAll(/^```ts title="([^"]+)"\n([\s\S]*?)^```$/gm)];
    const files = readdirSync(new URL('./tenants/', import.meta.url)).map(
      (file) => `tenants/${file}`,
    );
    expect(blocks.map((block) => block[1]).sort()).toEqual(files.sort());
    for (const [, title, code] of blocks)
      expect(code, `${title} differs from the page`).toBe(
        readFileSync(new URL(`./${title}`, import.meta.url), 'utf8'),
      );
  });
});
