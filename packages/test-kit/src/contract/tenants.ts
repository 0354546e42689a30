/**
 * Contract: a `tokens` function chooses the manager of each request (a tenant's) from its URL,
 * method and headers; a rejection renews the token in the manager that issued it, bounded per
 * manager; `reauthorizeOn` decides which answers re-authorize, and by default a 401 whose
 * challenge says `insufficient_scope` does not.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TokensRequest } from '../describe-adapter.ts';
import { clientId, clientSecret } from '../loopback-server.ts';
import type { Contract } from './contract.ts';
import type { ManagerLike } from './loopback.ts';

/**
 * Tenants and the re-authorization policy, for one adapter.
 *
 * @example
 * describeTenants(createContract(driver, useLoopback(driver.core)));
 */
export function describeTenants<Client, Manager extends ManagerLike>(
  contract: Contract<Client, Manager>,
): void {
  const { driver, client, get, send } = contract;
  const made: Manager[] = [];
  /** Another manager of the loopback token endpoint, closed after the test. */
  const manager = (): Manager => {
    const { createTokenManager, clientCredentials } = driver.core;
    const flow = clientCredentials({ tokenUrl: contract.a.tokenUrl, clientId, clientSecret });
    const tokens = createTokenManager({ flow, retry: false });
    made.push(tokens);
    return tokens;
  };
  afterEach(async () => {
    await Promise.all(made.splice(0).map((tokens) => tokens.close()));
  });

  describe('a manager per request (tenants)', () => {
    it('attaches the token of the manager a tokens function chooses from the request', async () => {
      const { a } = contract;
      const tenants: Record<string, Manager> = { acme: manager(), globex: manager() };
      const seen: TokensRequest[] = [];
      const api = client({
        tokens: (request) => {
          seen.push(request);
          return tenants[request.headers.get('x-tenant') ?? ''] as Manager;
        },
      });
      for (const tenant of ['acme', 'globex', 'acme']) {
        const reply = await send(api, {
          method: 'put',
          url: a.url(`/members?tenant=${tenant}`),
          headers: { 'X-Tenant': tenant },
        });
        expect(reply.status).toBe(200);
      }
      const [acme, globex] = a.issued;
      expect(a.apiCalls.map((call) => call.headers.authorization)).toEqual([
        `Bearer ${acme}`,
        `Bearer ${globex}`,
        `Bearer ${acme}`,
      ]);
      expect(a.tokenRequests).toHaveLength(2);
      expect(seen[0]?.url).toBe(a.url('/members?tenant=acme'));
      expect(seen[0]?.method).toBe('PUT');
      expect(seen.map((request) => request.headers.has('authorization'))).not.toContain(true);
    });

    it("shows a tokens function neither the caller's own Authorization nor the rejected token", async () => {
      const { a } = contract;
      const tenant = manager();
      const seen: (string | null)[] = [];
      const api = client({
        tokens: (request) => {
          seen.push(request.headers.get('authorization'));
          return tenant;
        },
      });
      const reply = await send(api, {
        method: 'get',
        url: a.url('/always-401/x'),
        headers: { Authorization: 'Basic Y2FsbGVyOnNlY3JldA==' },
      });
      expect(reply.status).toBe(401);
      expect(seen).toEqual([null, null]); // the first attempt, and the re-send with a new token
    });

    it('renews a rejected token in the manager that issued it, and bounds re-authorization per manager', async () => {
      const { a } = contract;
      const tenants: Record<string, Manager> = { acme: manager(), globex: manager() };
      const api = client({
        tokens: async ({ url }) =>
          tenants[new URL(url).searchParams.get('tenant') ?? ''] as Manager,
      });
      for (let i = 0; i < 10; i++) {
        const reply = await get(api, a.url(`/always-401/${i}?tenant=acme`));
        expect(reply.status).toBe(401);
      }
      expect(a.tokenRequests).toHaveLength(2); // acme: the first token and one renewal, then quiet
      expect((await get(api, a.url('/always-401/x?tenant=globex'))).status).toBe(401);
      expect(a.tokenRequests).toHaveLength(4); // globex is not cooling down: its own two
      const sent = a.apiCalls.slice(-2).map((call) => call.headers.authorization);
      expect(sent).toEqual([`Bearer ${a.issued[2]}`, `Bearer ${a.issued[3]}`]);
    });

    it('rejects the call with a TypeError naming tokens when the function returns no manager', async () => {
      const { a } = contract;
      const api = client({ tokens: () => 'acme' as never });
      const outcome = await driver.outcome(api, { url: a.url('/members') });
      expect(outcome).toBeInstanceOf(TypeError);
      expect((outcome as TypeError).message).toMatch(
        /^tokens: the tokens function must return a token manager/,
      );
      expect(a.apiCalls).toHaveLength(0);
    });
  });

  describe('which answers re-authorize (reauthorizeOn)', () => {
    it('re-authorizes on what a custom reauthorizeOn says (a 403), told the status, headers and final URL', async () => {
      const { a } = contract;
      a.route('/forbidden-when-stale', (request, res) => {
        const stale = request.headers.authorization === `Bearer ${a.issued[0]}`;
        res.writeHead(stale ? 403 : 200, { 'x-reason': stale ? 'expired' : 'fine' });
        res.end(stale ? 'stale' : 'ok');
      });
      const seen: unknown[] = [];
      const api = client({
        reauthorizeOn: ({ status, headers, url }) => {
          seen.push([status, headers.get('x-reason'), url]);
          return status === 403;
        },
      });
      const reply = await get(api, a.url('/forbidden-when-stale'));
      expect([reply.status, reply.body]).toEqual([200, 'ok']);
      expect(a.tokenRequests).toHaveLength(2);
      const url = a.url('/forbidden-when-stale');
      expect(seen).toEqual([
        [403, 'expired', url],
        [200, 'fine', url],
      ]);
    });

    it('by default returns a 401 whose challenge says insufficient_scope at once, keeping the token', async () => {
      const { a } = contract;
      a.route('/admin', (_request, res) => {
        const challenge = 'Bearer realm="api", error="insufficient_scope", scope="admin"';
        res.writeHead(401, { 'www-authenticate': challenge });
        res.end();
      });
      const api = client();
      const reply = await get(api, a.url('/admin'));
      expect(reply.status).toBe(401);
      expect(reply.headers['www-authenticate']).toContain('insufficient_scope');
      expect(a.callsTo('/admin')).toHaveLength(1);
      expect((await get(api, a.url('/members'))).status).toBe(200);
      expect(a.tokenRequests).toHaveLength(1);
    });
  });
}
