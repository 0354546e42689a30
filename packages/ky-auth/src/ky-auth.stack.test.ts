/**
 * kyAuth in real stacks, against real loopback servers and ky's real retry: several
 * registrations on one client (one per vendor), ky's own retries, the fetch given to ky, and the
 * user's own hooks before and after kyAuth's.
 */
import { clientCredentials, createTokenManager, type TokenManager } from '@tokenwise/core';
import {
  clientId,
  clientSecret,
  closeAllServers,
  type LoopbackServer,
  startServer,
} from '@tokenwise/test-kit';
import ky, { type Hooks, isHTTPError } from 'ky';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kyAuth } from './index.ts';

/** One vendor: its API and token endpoint, and a manager of its tokens. */
interface Vendor {
  readonly server: LoopbackServer;
  readonly tokens: TokenManager;
}

let vendors: Vendor[];
let server: LoopbackServer;
let tokens: TokenManager;

beforeEach(async () => {
  vendors = await Promise.all(
    ['a', 'b', 'c'].map(async () => {
      const vendorServer = await startServer();
      const manager = createTokenManager({
        flow: clientCredentials({ tokenUrl: vendorServer.tokenUrl, clientId, clientSecret }),
      });
      return { server: vendorServer, tokens: manager };
    }),
  );
  [{ server, tokens }] = vendors as [Vendor];
});

afterEach(async () => {
  await Promise.all(vendors.map(({ tokens: manager }) => manager.close()));
  await closeAllServers();
});

/** The status of the HTTPError `promise` rejects with. */
const httpStatus = async (promise: Promise<unknown>): Promise<number> => {
  const error = await promise.then(
    () => expect.unreachable('expected an HTTPError'),
    (caught: unknown) => caught,
  );
  if (!isHTTPError(error)) throw error;
  return error.response.status;
};

const noDelay = { delay: () => 0 };

describe('several registrations on one client', () => {
  it('three kyAuth in one create().extend() chain: each sends only its own token to its own origin, and renews only its own', async () => {
    const api = vendors.reduce(
      (client, { server: { origin }, tokens: manager }, i) =>
        client.extend(
          kyAuth({ tokens: manager, origins: [origin], headers: { 'X-Vendor': `v${i}` } }),
        ),
      ky.create({ retry: { limit: 2, ...noDelay } }),
    );
    const call = async (): Promise<void> => {
      for (const vendor of vendors)
        expect((await api(`${vendor.server.origin}/echo`)).status).toBe(200);
    };
    await call();
    const [, b] = vendors as [Vendor, Vendor];
    b.server.revokeAll();
    await call();
    expect(vendors.map((vendor) => vendor.server.tokenRequests.length)).toEqual([1, 2, 1]);
    expect(
      vendors.map((vendor) =>
        vendor.server.apiCalls.map(
          (call) => `${call.headers.authorization} ${call.headers['x-vendor']}`,
        ),
      ),
    ).toEqual([
      ['Bearer tok-1 v0', 'Bearer tok-1 v0'],
      ['Bearer tok-1 v1', 'Bearer tok-1 v1', 'Bearer tok-2 v1'],
      ['Bearer tok-1 v2', 'Bearer tok-1 v2'],
    ]);
  });

  it('two kyAuth whose origins overlap: the first authorizes the request, and only it renews', async () => {
    const [a] = vendors as [Vendor];
    let secondTokenRequests = 0;
    const second = createTokenManager({
      flow: clientCredentials({ tokenUrl: a.server.tokenUrl, clientId, clientSecret }),
      fetch: (input, init) => {
        secondTokenRequests++;
        return fetch(input, init);
      },
    });
    // No origins and no prefix: both apply to every request.
    const api = ky
      .create({ retry: 0 })
      .extend(kyAuth({ tokens: a.tokens }))
      .extend(kyAuth({ tokens: second }));
    expect((await api(`${a.server.origin}/echo`)).status).toBe(200);
    a.server.revokeAll();
    expect((await api(`${a.server.origin}/echo`)).status).toBe(200);
    expect(secondTokenRequests).toBe(0);
    expect(a.server.tokenRequests).toHaveLength(2); // the first's cold start and its one renewal
    await second.close();
  });

  it('a request to none of the origins gets no token, and its 401 renews nothing', async () => {
    const [a, b, c] = vendors as [Vendor, Vendor, Vendor];
    const api = ky
      .create({ retry: 0 })
      .extend(kyAuth({ tokens: a.tokens, origins: [a.server.origin] }))
      .extend(kyAuth({ tokens: b.tokens, origins: [b.server.origin] }));
    expect(await httpStatus(api(`${c.server.origin}/echo`))).toBe(401);
    expect(c.server.apiCalls.map((call) => call.headers.authorization)).toEqual([undefined]);
    expect(vendors.map((vendor) => vendor.server.tokenRequests.length)).toEqual([0, 0, 0]);
  });
});

describe('ky’s own retries', () => {
  it('a 401/503 alternation costs one re-authorization: 3 API calls and 2 token requests', async () => {
    server.failPath('/alternating', 401, 503, 401, 503, 401, 503);
    const api = ky.create({
      ...kyAuth({ tokens }),
      prefix: server.origin,
      retry: { limit: 2, ...noDelay },
    });
    expect(await httpStatus(api('alternating'))).toBe(401);
    expect(server.apiCalls.map((call) => call.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-2', // the re-send after the 401: answered 503
      'Bearer tok-2', // ky's own retry: answered 401 again, which is returned
    ]);
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('the re-send does not count against retry.limit: limit 1 still gets its one retry after a re-send', async () => {
    server.failPath('/busy', 401, 503, 503);
    const counts: number[] = [];
    const api = ky.create({
      ...kyAuth({ tokens }),
      prefix: server.origin,
      retry: {
        limit: 1,
        ...noDelay,
        shouldRetry: ({ retryCount }) => void counts.push(retryCount),
      },
    });
    expect(await httpStatus(api('busy'))).toBe(503);
    expect(server.apiCalls).toHaveLength(3);
    expect(counts).toEqual([1]); // shouldRetry counts ky's own retries only
  });

  it('retry: 0 still re-sends once after a 401', async () => {
    const api = ky.create({ ...kyAuth({ tokens }), prefix: server.origin, retry: 0 });
    await api('echo');
    server.revokeAll();
    expect((await api('echo')).status).toBe(200);
    expect(server.apiCalls.map((call) => call.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-1',
      'Bearer tok-2',
    ]);
  });
});

describe('the user’s hooks', () => {
  /** Hooks that log what they see under `name`; the `after` hook may map the answer. */
  const logging = (
    log: string[],
    name: string,
    map?: (response: Response) => Promise<Response | undefined>,
  ): Partial<Hooks> => ({
    beforeRequest: [
      ({ request }) => void log.push(`${name} request ${request.headers.get('authorization')}`),
    ],
    beforeRetry: [({ error }) => void log.push(`${name} retry ${error.name}`)],
    afterResponse: [
      async ({ response }) => {
        log.push(`${name} response ${response.status}`);
        return map?.(response);
      },
    ],
  });

  /** A user hook that reads a 401's body and turns it into a 200 of its own. */
  const mapUnauthorized = async (response: Response): Promise<Response | undefined> => {
    if (response.status !== 401) return undefined;
    const { error } = (await response.json()) as { error: string };
    return Response.json({ mapped: error });
  };

  it('hooks before and after kyAuth (other extends) each see every request and response once, in ky’s order', async () => {
    const log: string[] = [];
    const api = ky
      .create({ prefix: server.origin, hooks: logging(log, 'outer') })
      .extend(kyAuth({ tokens }))
      .extend({ hooks: logging(log, 'inner', mapUnauthorized) });
    await api('echo');
    server.revokeAll();
    log.length = 0;
    expect(await api('echo').json()).toMatchObject({
      path: '/echo',
      authorization: 'Bearer tok-2',
      body: '',
    });
    expect(log).toEqual([
      'outer request null',
      'inner request Bearer tok-1',
      'outer response 401', // kyAuth's one re-send, with a fresh token, is no retry of theirs
      'outer response 200',
      'inner response 200',
    ]);
  });

  it('the caller gets what a later hook made of the final 401 (read its body, mapped it)', async () => {
    const log: string[] = [];
    const api = ky
      .create({ ...kyAuth({ tokens }), prefix: server.origin })
      .extend({ hooks: logging(log, 'user', mapUnauthorized) });
    expect(await api('always-401').json()).toEqual({ mapped: 'invalid_token' });
    expect(log).toEqual(['user request Bearer tok-1', 'user response 401']);
    expect(server.apiCalls.map((call) => call.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-2',
    ]);
  });
});
