/**
 * Headers the caller gives under the names gotAuth sets (`Authorization`, the extra headers): the
 * token replaces them, whether it is at hand or fetched first, and a tokens function sees neither
 * them nor, on got's retry, the token the attempt before carried; with got 14 and got 16.
 */
import { describe, expect, it } from 'vitest';
import { gotAuth } from './index.ts';
import { type Echo, gotMajors, retryOn503, useLoopbackVendor } from './test-support/got-stacks.ts';

describe.each(gotMajors)('%s', (_major, base) => {
  const loopback = useLoopbackVendor();
  const own = { headers: { authorization: 'Basic b3duOm93bg==', 'x-tenant-id': 'mine' } };

  it("replaces the caller's Authorization and extra header, on a cold start and with the token at hand", async () => {
    const api = base.extend(
      { prefixUrl: loopback.server.origin },
      gotAuth({ tokens: loopback.tokens, headers: { 'X-Tenant-Id': 'tenant-1' } }),
    );
    const cold = await api('api/cold', own).json<Echo>();
    const warm = await api('api/warm', own).json<Echo>();
    for (const echo of [cold, warm])
      expect(echo).toMatchObject({ authorization: 'Bearer tok-1', tenant: 'tenant-1' });
    expect(loopback.server.tokenRequests).toHaveLength(1);
  });

  it("shows a tokens function neither the caller's Authorization nor, on got's retry, the token sent before", async () => {
    const seen: (string | null)[] = [];
    const api = base.extend(
      { prefixUrl: loopback.server.origin },
      retryOn503(1),
      gotAuth({
        tokens: (request) => {
          seen.push(request.headers.get('authorization'));
          return loopback.tokens;
        },
      }),
    );
    await loopback.tokens.getToken(); // at hand: no wait, the headers are as the request has them
    loopback.server.failApi(503);
    const echo = await api('api/retried', own).json<Echo>();
    expect(echo.authorization).toBe('Bearer tok-1');
    expect(loopback.server.apiCalls.map((call) => call.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-1',
    ]);
    expect(seen).toEqual([null, null]);
  });
});
