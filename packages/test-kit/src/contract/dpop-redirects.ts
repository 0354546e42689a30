/**
 * Contract: a redirect of a DPoP request. A hop on the request's origin carries a new proof made
 * for that hop (RFC 9449 §4.2: `htu` without query and fragment, `htm` as the client sends it
 * after a 303 or a 301/302 rewrite, a fresh `jti` and `iat`, the same `ath`, the origin's nonce,
 * or the one the redirect itself hands out),
 * checked strictly by the route's verifier; a hop to another origin carries neither the token nor
 * a proof, nor does any later hop; a redirect loop ends at the client's usual limit, with its
 * usual error.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { clientId, clientSecret } from '../loopback-server.ts';
import type { Contract } from './contract.ts';
import { dpopRoute } from './dpop-route.ts';
import type { ManagerLike } from './loopback.ts';

/** The claims of a proof, read without checking it (the route's verifier checks). */
function claimsOf(proof: unknown): Record<string, unknown> {
  const payload = String(proof).split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

const authHeaders = (headers: IncomingHttpHeaders | undefined) => ({
  authorization: headers?.authorization,
  dpop: headers?.dpop,
});

/** What identifies an outcome: a response's status, or an error's kind, code and message. */
function kindOf(outcome: unknown, status: number | undefined): unknown {
  if (status !== undefined || !(outcome instanceof Error)) return { status };
  const { name, message, code } = outcome as Error & { code?: unknown };
  return { type: outcome.constructor.name, name, code, message };
}

/**
 * Redirects of DPoP requests through one adapter.
 *
 * @example
 * describeDpopRedirects(createContract(driver, useLoopback(driver.core)));
 */
export function describeDpopRedirects<Client, Manager extends ManagerLike>(
  contract: Contract<Client, Manager>,
): void {
  const { driver, send, redirect } = contract;
  const managers: Manager[] = [];
  afterEach(async () => {
    await Promise.all(managers.splice(0).map((manager) => manager.close()));
  });
  /** A client of a new DPoP manager of `a`'s token endpoint, which answers DPoP tokens. */
  const dpopClient = () => {
    const { a } = contract;
    a.tokenType = 'DPoP';
    const flow = driver.core.clientCredentials({ tokenUrl: a.tokenUrl, clientId, clientSecret });
    const tokens = driver.core.createTokenManager({ flow, retry: false, dpop: true });
    managers.push(tokens);
    return driver.client({ tokens, baseUrl: a.origin });
  };
  const body = { kind: 'text', text: 'payload' } as const;

  describe('DPoP redirects', () => {
    it('a same-origin 307 keeps POST and the body, with a new proof for the hop (htu, htm, jti, iat; same ath)', async () => {
      const { a } = contract;
      const route = dpopRoute(a, '/dpop/items');
      const api = dpopClient();
      const to = a.url('/dpop/items?page=2#top');
      const reply = await send(api, { method: 'POST', url: redirect(a, to, 307), body });
      expect(route.refusals).toEqual([]);
      expect(reply.status).toBe(200);
      expect(route.accepted.map((claims) => [claims.htm, claims.htu])).toEqual([
        ['POST', a.url('/dpop/items')],
      ]);
      const [first, hop] = a.apiCalls;
      expect(hop).toMatchObject({ method: 'POST', path: '/dpop/items', body: 'payload' });
      expect(hop?.headers.authorization).toBe(`DPoP ${a.issued[0]}`);
      const sent = claimsOf(first?.headers.dpop);
      const hopped = claimsOf(hop?.headers.dpop);
      expect([sent.htm, sent.htu]).toEqual(['POST', a.url('/redirect')]);
      expect(hopped.jti).not.toBe(sent.jti);
      expect(hopped.ath).toBe(sent.ath);
      expect(Number(hopped.iat)).toBeGreaterThanOrEqual(Number(sent.iat));
      expect(a.tokenRequests).toHaveLength(1);
    });

    it('a same-origin 303 after POST becomes a GET without body, proved as a GET', async () => {
      const { a } = contract;
      const route = dpopRoute(a, '/dpop/items');
      const reply = await send(dpopClient(), {
        method: 'POST',
        url: redirect(a, a.url('/dpop/items'), 303),
        body,
      });
      expect(route.refusals).toEqual([]);
      expect(reply.status).toBe(200);
      expect(route.accepted.map((claims) => [claims.htm, claims.htu])).toEqual([
        ['GET', a.url('/dpop/items')],
      ]);
      expect(a.apiCalls[1]).toMatchObject({ method: 'GET', body: '' });
    });

    it.each([301, 302])(
      'a same-origin %i after POST is proved for the method the client sends on the hop',
      async (status) => {
        const { a } = contract;
        const route = dpopRoute(a, '/dpop/items');
        const reply = await send(dpopClient(), {
          method: 'POST',
          url: redirect(a, a.url('/dpop/items'), status),
          body,
        });
        expect(route.refusals).toEqual([]);
        expect(reply.status).toBe(200);
        expect(route.accepted.map((claims) => claims.htm)).toEqual([a.apiCalls[1]?.method]);
      },
    );

    it('each of several same-origin hops carries its own proof', async () => {
      const { a } = contract;
      const route = dpopRoute(a, '/dpop/items');
      const url = redirect(a, redirect(a, a.url('/dpop/items'), 308), 302);
      expect((await send(dpopClient(), { url })).status).toBe(200);
      expect(route.refusals).toEqual([]);
      const jtis = a.apiCalls.map((call) => claimsOf(call.headers.dpop).jti);
      expect(jtis).toHaveLength(3);
      expect(new Set(jtis).size).toBe(3);
    });

    it('a cross-origin hop after a same-origin one carries neither the token nor a proof, nor does a hop back', async () => {
      const { a, b } = contract;
      const api = dpopClient();
      const away = redirect(a, b.url('/public/landing'), 307);
      expect((await send(api, { url: redirect(a, away, 302) })).status).toBe(200);
      expect(a.apiCalls.map((call) => typeof call.headers.dpop)).toEqual(['string', 'string']);
      expect(b.apiCalls.map((call) => authHeaders(call.headers))).toEqual([
        { authorization: undefined, dpop: undefined },
      ]);
      const back = redirect(a, redirect(b, a.url('/public/back'), 302), 307);
      expect((await send(api, { url: back })).status).toBe(200);
      expect(authHeaders(a.apiCalls.at(-1)?.headers)).toEqual({
        authorization: undefined,
        dpop: undefined,
      });
    });

    it('answers a nonce challenge at the end of a same-origin hop once, with the nonce on the hop', async () => {
      const { a } = contract;
      const route = dpopRoute(a, '/dpop/items', ['nonce']);
      const reply = await send(dpopClient(), { url: redirect(a, a.url('/dpop/items'), 302) });
      expect(reply.status).toBe(200);
      expect(route.refusals).toEqual([]);
      expect(route.accepted.map((claims) => claims.nonce)).toEqual([route.nonce]);
      expect(a.apiCalls.filter((call) => call.path === '/dpop/items')).toHaveLength(2);
      expect(a.tokenRequests).toHaveLength(1);
    });

    it('proves the hop with a nonce the redirect itself hands out, without a challenge', async () => {
      const { a } = contract;
      const route = dpopRoute(a, '/dpop/items');
      const api = dpopClient();
      expect((await send(api, { url: a.url('/dpop/items') })).status).toBe(200);
      route.nonce = 'nonce-from-the-redirect';
      a.route('/dpop/moved', async (_request, res) => {
        res.writeHead(302, { location: '/dpop/items', 'dpop-nonce': 'nonce-from-the-redirect' });
        res.end();
      });
      expect((await send(api, { url: a.url('/dpop/moved') })).status).toBe(200);
      expect(route.refusals).toEqual([]);
      expect(route.accepted.map((claims) => claims.nonce)).toEqual([
        undefined,
        'nonce-from-the-redirect',
      ]);
      expect(a.callsTo('/dpop/items')).toHaveLength(2);
    });

    it("stops a redirect loop where a Bearer request stops, with the client's usual outcome", async () => {
      const { a } = contract;
      a.route('/dpop/loop', async (_request, res) => {
        res.writeHead(302, { location: '/dpop/loop' });
        res.end();
      });
      const bearer = await driver.outcome(contract.client(), { url: a.url('/dpop/loop') });
      const bearerCalls = a.apiCalls.length;
      const dpop = await driver.outcome(dpopClient(), { url: a.url('/dpop/loop') });
      expect(kindOf(dpop, driver.status(dpop))).toEqual(kindOf(bearer, driver.status(bearer)));
      const calls = a.apiCalls.slice(bearerCalls);
      expect(calls).toHaveLength(bearerCalls);
      expect(calls.every((call) => typeof call.headers.dpop === 'string')).toBe(true);
      const jtis = new Set(calls.map((call) => claimsOf(call.headers.dpop).jti));
      expect(jtis.size).toBe(bearerCalls);
    });
  });
}
