/**
 * Contract: which origins get the token and the extra headers. With `origins`, those; else the
 * origin of the client's base URL; with neither, every origin. A request to any other origin is
 * sent as the caller wrote it, costs no token request, and its 401 is not re-sent.
 */
import { describe, expect, it } from 'vitest';
import type { Contract } from './contract.ts';
import type { ManagerLike } from './loopback.ts';

/**
 * The origins that get the token, for one adapter.
 *
 * @example
 * describeOrigins(createContract(driver, useLoopback(driver.core)));
 */
export function describeOrigins<Client, Manager extends ManagerLike>(
  contract: Contract<Client, Manager>,
): void {
  const { driver, client, get, send, itNeeds } = contract;
  const tenant = { 'X-Tenant-Id': 'tenant-1' };

  /**
   * `api` sends b's request as written (no token, no extra headers, no token request, its 401
   * not re-sent), and a's request with both.
   */
  const expectTokenOnlyFor = async (api: Client, allowedUrl: string): Promise<void> => {
    const { a, b } = contract;
    const reply = await send(api, { url: b.url('/private'), headers: { 'X-Own': 'kept' } });
    expect(reply.status).toBe(401);
    expect(b.apiCalls).toHaveLength(1);
    expect(b.apiCalls[0]?.headers.authorization).toBeUndefined();
    expect(b.apiCalls[0]?.headers['x-tenant-id']).toBeUndefined();
    expect(b.apiCalls[0]?.headers['x-own']).toBe('kept');
    expect(a.tokenRequests).toHaveLength(0);
    expect((await get(api, allowedUrl)).status).toBe(200);
    expect(a.apiCalls[0]?.headers).toMatchObject({
      authorization: `Bearer ${a.issued[0]}`,
      'x-tenant-id': 'tenant-1',
    });
  };

  describe('origins', () => {
    it('sends the token to every origin when there is neither a base URL nor origins', async () => {
      const { a, b, tokens } = contract;
      const api = driver.client({ tokens });
      expect((await get(api, a.url('/members'))).status).toBe(200);
      expect((await get(api, b.url('/public/anywhere'))).status).toBe(200);
      expect(b.apiCalls[0]?.headers.authorization).toBe(`Bearer ${a.issued[0]}`);
      expect(a.tokenRequests).toHaveLength(1);
    });

    itNeeds('baseUrl')(
      "defaults to the origin of the client's base URL: another origin gets neither token nor extra headers",
      async () => {
        const { a } = contract;
        const api = client({ baseUrl: a.url('/v1/'), headers: tenant });
        await expectTokenOnlyFor(api, a.url('/v1/members'));
      },
    );

    it("takes `origins` instead of the base URL's origin", async () => {
      const { a, b } = contract;
      const api = client({ origins: [b.origin] });
      expect((await get(api, b.url('/public/in'))).status).toBe(200);
      expect(b.apiCalls[0]?.headers.authorization).toBe(`Bearer ${a.issued[0]}`);
      expect((await get(api, a.url('/members'))).status).toBe(401);
      expect(a.apiCalls[0]?.headers.authorization).toBeUndefined();
      expect(a.tokenRequests).toHaveLength(1);
    });

    it('sends neither token nor extra headers to, and re-sends nothing from, an origin outside origins', async () => {
      const { a } = contract;
      const api = client({ origins: [a.origin], headers: tenant });
      await expectTokenOnlyFor(api, a.url('/members'));
    });
  });
}
