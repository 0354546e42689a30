/**
 * Contract: with a DPoP manager (`dpop: true`), every request carries `Authorization: DPoP
 * <token>` and a fresh proof for the method and URL actually sent (RFC 9449 §7: checked by
 * test-kit's own verifier, bound to the key of the token request's proof); a resource server's
 * nonce challenge is re-sent once with the nonce, without a token request and even with
 * `retryOn401: false`, and does not use up the one re-authorization; a cross-origin redirect
 * carries neither the token nor the proof.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { clientId, clientSecret } from '../loopback-server.ts';
import { renderings } from '../renderings.ts';
import type { Contract } from './contract.ts';
import { dpopRoute } from './dpop-route.ts';
import type { ManagerLike } from './loopback.ts';

const authHeaders = (headers: IncomingHttpHeaders | undefined) => ({
  authorization: headers?.authorization,
  dpop: headers?.dpop,
});

/**
 * DPoP through one adapter.
 *
 * @example
 * describeDpop(createContract(driver, useLoopback(driver.core)));
 */
export function describeDpop<Client, Manager extends ManagerLike>(
  contract: Contract<Client, Manager>,
): void {
  const { driver, send } = contract;
  const managers: Manager[] = [];
  afterEach(async () => {
    await Promise.all(managers.splice(0).map((manager) => manager.close()));
  });
  /** A client of a new DPoP manager of `a`'s token endpoint, which answers DPoP tokens. */
  const dpopClient = (options: { retryOn401?: boolean } = {}) => {
    const { a } = contract;
    a.tokenType = 'DPoP';
    const flow = driver.core.clientCredentials({ tokenUrl: a.tokenUrl, clientId, clientSecret });
    const tokens = driver.core.createTokenManager({ flow, retry: false, dpop: true });
    managers.push(tokens);
    return driver.client({ tokens, baseUrl: a.origin, ...options });
  };

  describe('DPoP', () => {
    it('sends Authorization: DPoP and a fresh proof for the method and URL sent (ath, htu without query), bound to the token request key', async () => {
      const { a } = contract;
      const route = dpopRoute(a, '/dpop/items');
      const api = dpopClient();
      expect((await send(api, { url: a.url('/dpop/items?page=2#top') })).status).toBe(200);
      expect(
        (
          await send(api, {
            method: 'POST',
            url: a.url('/dpop/items'),
            body: { kind: 'text', text: 'x' },
          })
        ).status,
      ).toBe(200);
      expect(route.refusals).toEqual([]);
      expect(route.accepted.map((claims) => [claims.htm, claims.htu])).toEqual([
        ['GET', a.url('/dpop/items')],
        ['POST', a.url('/dpop/items')],
      ]);
      expect(a.apiCalls.map((call) => call.headers.authorization)).toEqual([
        `DPoP ${a.issued[0]}`,
        `DPoP ${a.issued[0]}`,
      ]);
      expect(a.tokenRequests).toHaveLength(1);
    });

    it('answers a nonce challenge with one re-send carrying the nonce, without a token request, and keeps the nonce for the next request', async () => {
      const { a } = contract;
      const route = dpopRoute(a, '/dpop/items', ['nonce']);
      const api = dpopClient();
      expect((await send(api, { url: a.url('/dpop/items') })).status).toBe(200);
      expect((await send(api, { url: a.url('/dpop/items') })).status).toBe(200);
      expect(a.apiCalls).toHaveLength(3);
      expect(route.accepted.map((claims) => claims.nonce)).toEqual([route.nonce, route.nonce]);
      expect(a.tokenRequests).toHaveLength(1);
    });

    it('answers a nonce challenge with retryOn401: false too', async () => {
      const { a } = contract;
      dpopRoute(a, '/dpop/items', ['nonce']);
      const api = dpopClient({ retryOn401: false });
      expect((await send(api, { url: a.url('/dpop/items') })).status).toBe(200);
      expect(a.apiCalls).toHaveLength(2);
      expect(a.tokenRequests).toHaveLength(1);
    });

    it('a nonce re-send does not use up the re-authorization: nonce, then invalid_token, then a fresh token passes', async () => {
      const { a } = contract;
      const route = dpopRoute(a, '/dpop/items', ['nonce', 'invalid_token']);
      const api = dpopClient();
      expect((await send(api, { url: a.url('/dpop/items') })).status).toBe(200);
      expect(a.apiCalls.map((call) => call.headers.authorization)).toEqual([
        `DPoP ${a.issued[0]}`,
        `DPoP ${a.issued[0]}`,
        `DPoP ${a.issued[1]}`,
      ]);
      expect(route.accepted).toHaveLength(1);
      expect(a.tokenRequests).toHaveLength(2);
    });

    it('returns a second nonce challenge to the nonce re-send as the answer', async () => {
      const { a } = contract;
      dpopRoute(a, '/dpop/items', ['nonce', 'nonce']);
      const api = dpopClient({ retryOn401: false });
      const reply = await send(api, { url: a.url('/dpop/items') });
      expect(reply.status).toBe(401);
      expect(reply.headers['www-authenticate']).toMatch(/use_dpop_nonce/);
      expect(a.apiCalls).toHaveLength(2);
    });

    it('an error after the proofs were sent (a second nonce challenge) shows neither the token nor a proof', async () => {
      const { a } = contract;
      dpopRoute(a, '/dpop/items', ['nonce', 'nonce']);
      const outcome = await driver.outcome(dpopClient(), { url: a.url('/dpop/items') });
      expect(driver.status(outcome)).toBe(401);
      const proofs = a.apiCalls.map((call) => String(call.headers.dpop));
      expect(proofs).toHaveLength(2);
      for (const rendering of renderings(outcome)) {
        for (const secret of [...a.issued, ...proofs]) expect(rendering).not.toContain(secret);
      }
    });

    it('sends neither the token nor the proof across a cross-origin redirect', async () => {
      const { a, b } = contract;
      const api = dpopClient();
      for (const status of [302, 307]) {
        const reply = await send(api, {
          url: contract.redirect(a, b.url('/public/landing'), status),
        });
        expect(reply.status).toBe(200);
      }
      expect(authHeaders(a.apiCalls[0]?.headers).authorization).toBe(`DPoP ${a.issued[0]}`);
      expect(typeof a.apiCalls[0]?.headers.dpop).toBe('string');
      expect(b.apiCalls.map((call) => authHeaders(call.headers))).toEqual([
        { authorization: undefined, dpop: undefined },
        { authorization: undefined, dpop: undefined },
      ]);
    });

    it('sends a Bearer token from a server that did not bind it as Bearer, without a proof', async () => {
      const { a } = contract;
      const api = dpopClient();
      a.tokenType = 'Bearer';
      expect((await send(api, { url: a.url('/members') })).status).toBe(200);
      expect(authHeaders(a.apiCalls[0]?.headers)).toEqual({
        authorization: `Bearer ${a.issued[0]}`,
        dpop: undefined,
      });
    });
  });
}
