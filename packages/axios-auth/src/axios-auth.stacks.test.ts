/**
 * axiosAuth inside the stacks server teams run, configured the way the READMEs say: several
 * registrations on one shared instance, the user's own interceptors registered before and after
 * axiosAuth, axios-retry, and NestJS's HttpService; through axios's http and fetch adapters.
 */
import { HttpService } from '@nestjs/axios';
import { clientCredentials, createTokenManager, type TokenManager } from '@tokenwise/core';
import {
  clientId,
  clientSecret,
  closeAllServers,
  type LoopbackServer,
  startServer,
} from '@tokenwise/test-kit';
import axios, {
  type AxiosError,
  type AxiosInstance,
  type AxiosResponse,
  isAxiosError,
} from 'axios';
import axiosRetry from 'axios-retry';
import fc from 'fast-check';
import { lastValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { axiosAuth } from './index.ts';

/** A vendor: its own loopback server (token endpoint and API) and its own token manager. */
interface Vendor {
  readonly name: string;
  readonly server: LoopbackServer;
  readonly tokens: TokenManager;
}

const managers: TokenManager[] = [];
/** Closes every vendor started so far: its manager, then its server. */
async function closeVendors(): Promise<void> {
  await Promise.all(managers.splice(0).map((tokens) => tokens.close()));
  await closeAllServers();
}
afterEach(closeVendors);

/** A vendor whose tokens are named after it (`<name>-tok-<n>`), so that a stray token shows. */
async function startVendor(name: string): Promise<Vendor> {
  const server = await startServer({ accessTokenPrefix: `${name}-tok-` });
  const tokens = createTokenManager({
    flow: clientCredentials({ tokenUrl: server.tokenUrl, clientId, clientSecret }),
    retry: false,
  });
  managers.push(tokens);
  return { name, server, tokens };
}

function authorizeVendor(api: AxiosInstance, vendor: Vendor): () => void {
  return axiosAuth(api, {
    tokens: vendor.tokens,
    origins: [vendor.server.origin],
    headers: { 'X-Vendor': vendor.name },
  });
}

/** The tokens a vendor's API received, in order. */
const received = (vendor: Vendor): (string | undefined)[] =>
  vendor.server.apiCalls.map((call) => call.headers.authorization);

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}

describe.each(['http', 'fetch'] as const)('with the %s adapter', (adapter) => {
  describe('several registrations on one instance', () => {
    it("renews vendor B's revoked token, whichever registration comes first, and leaves vendor A alone", async () => {
      for (const order of [
        ['a', 'b'],
        ['b', 'a'],
      ] as const) {
        const vendors = { a: await startVendor('a'), b: await startVendor('b') };
        const api = axios.create({ adapter });
        for (const name of order) authorizeVendor(api, vendors[name]);
        await api.get(`${vendors.a.server.origin}/warm`);
        await api.get(`${vendors.b.server.origin}/warm`);
        vendors.b.server.revokeAll(); // vendor B revokes b-tok-1

        const response = await api.get(`${vendors.b.server.origin}/members`);
        await api.get(`${vendors.a.server.origin}/members`);

        expect(response.status).toBe(200);
        expect(received(vendors.b)).toEqual(['Bearer b-tok-1', 'Bearer b-tok-1', 'Bearer b-tok-2']);
        expect(received(vendors.a)).toEqual(['Bearer a-tok-1', 'Bearer a-tok-1']);
        expect(vendors.b.server.tokenRequests).toHaveLength(2);
        expect(vendors.a.server.tokenRequests).toHaveLength(1);
      }
    });

    it('keeps any number of registrations apart: each revoked vendor is renewed once, by its own manager only', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 2, max: 5 }).chain((count) =>
            fc.record({
              order: fc.shuffledSubarray([...Array(count).keys()], { minLength: count }),
              revoked: fc.subarray([...Array(count).keys()]),
            }),
          ),
          async ({ order, revoked }) => {
            const vendors = await Promise.all(order.map((_, i) => startVendor(`v${i}`)));
            const api = axios.create({ adapter });
            for (const i of order) authorizeVendor(api, vendors[i] as Vendor);
            await Promise.all(vendors.map((vendor) => api.get(vendor.server.url('/warm'))));
            for (const i of revoked) vendors[i]?.server.revokeAll();

            const responses = await Promise.all(
              vendors.map((vendor) => api.get(vendor.server.url('/members'))),
            );

            expect(responses.map((response) => response.status)).toEqual(vendors.map(() => 200));
            for (const [i, vendor] of vendors.entries()) {
              const renewed = revoked.includes(i) ? 1 : 0;
              expect(vendor.server.tokenRequests).toHaveLength(1 + renewed);
              for (const call of vendor.server.apiCalls) {
                expect(call.headers.authorization).toMatch(
                  new RegExp(`^Bearer ${vendor.name}-tok-`),
                );
                expect(call.headers['x-vendor']).toBe(vendor.name);
              }
            }
            await closeVendors();
          },
        ),
        { numRuns: 30 },
      );
    });
  });

  describe("the user's interceptors", () => {
    let vendor: Vendor;
    let api: AxiosInstance;
    beforeEach(async () => {
      vendor = await startVendor('api');
      api = axios.create({ baseURL: vendor.server.origin, adapter });
    });
    /** Warms the token up, then has the API revoke it: the next call gets one 401. */
    const revokeAfterWarmUp = async (): Promise<void> => {
      await api.get('/warm');
      vendor.server.revokeAll();
    };

    it('an unwrap interceptor registered after axiosAuth gives the caller the data of the re-sent answer', async () => {
      axiosAuth(api, { tokens: vendor.tokens });
      api.interceptors.response.use((response) => response.data);
      await revokeAfterWarmUp();

      const data: unknown = await api.get('/members');

      expect(data).toMatchObject({ path: '/members', authorization: 'Bearer api-tok-2' });
      expect(received(vendor)).toEqual([
        'Bearer api-tok-1',
        'Bearer api-tok-1',
        'Bearer api-tok-2',
      ]);
    });

    it('an error-mapping interceptor registered before axiosAuth does not hide the 401: the call is re-sent', async () => {
      class ApiError extends Error {}
      api.interceptors.response.use(undefined, (error: AxiosError) =>
        Promise.reject(new ApiError(`status ${error.response?.status}`)),
      );
      axiosAuth(api, { tokens: vendor.tokens });
      await revokeAfterWarmUp();

      const response = await api.get('/members');

      expect(response.status).toBe(200);
      expect(received(vendor).slice(1)).toEqual(['Bearer api-tok-1', 'Bearer api-tok-2']);
      vendor.server.apiAlways401 = true;
      expect(await rejection(api.get('/members'))).toBeInstanceOf(ApiError);
    });

    it("interceptors on both sides and transformResponse run once per call, in axios's order, on the final answer", async () => {
      const seen: string[] = [];
      api.interceptors.request.use((config) => {
        seen.push('request, registered before');
        return config;
      });
      api.interceptors.response.use(
        (response) => {
          seen.push(`response ${response.status}, registered before`);
          return response;
        },
        (error: AxiosError) => {
          seen.push(`error ${error.response?.status}, registered before`);
          throw error;
        },
      );
      axiosAuth(api, { tokens: vendor.tokens });
      api.interceptors.request.use((config) => {
        seen.push('request, registered after');
        return config;
      });
      api.interceptors.response.use(
        (response) => {
          seen.push(`response ${response.status}, registered after`);
          return response;
        },
        (error: AxiosError) => {
          seen.push(`error ${error.response?.status}, registered after`);
          throw error;
        },
      );
      await revokeAfterWarmUp();
      seen.length = 0;
      const bodies: unknown[] = [];
      const transformResponse = (body: unknown): unknown => {
        bodies.push(body);
        return body;
      };

      await api.get('/members', { transformResponse, responseType: 'text' });
      vendor.server.apiAlways401 = true;
      await rejection(api.get('/refused', { transformResponse, responseType: 'text' }));

      expect(seen).toEqual([
        'request, registered after',
        'request, registered before',
        'response 200, registered before',
        'response 200, registered after',
        'request, registered after',
        'request, registered before',
        'error 401, registered before',
        'error 401, registered after',
      ]);
      // The raw text of each call's final answer: the re-sent call's echo, the refusal.
      expect(bodies.map((body) => JSON.parse(body as string))).toEqual([
        expect.objectContaining({ path: '/members', authorization: 'Bearer api-tok-2' }),
        expect.objectContaining({ error: 'invalid_token' }),
      ]);
    });
  });

  describe('with axios-retry', () => {
    /** retries: 3 on 503, as in axios-retry's README; `first` says who registers first. */
    async function setUp(first: 'axiosAuth' | 'axiosRetry') {
      const vendor = await startVendor('api');
      const api = axios.create({ baseURL: vendor.server.origin, adapter });
      const retries: number[] = [];
      const register = {
        axiosAuth: () => axiosAuth(api, { tokens: vendor.tokens }),
        axiosRetry: () =>
          axiosRetry(api, {
            retries: 3,
            retryCondition: (error) => error.response?.status === 503,
            onRetry: (count) => void retries.push(count),
          }),
      };
      register[first]();
      register[first === 'axiosAuth' ? 'axiosRetry' : 'axiosAuth']();
      return { vendor, api, retries };
    }

    describe.each(['axiosAuth', 'axiosRetry'] as const)('%s registered first', (first) => {
      it('a 401/503 alternation: one re-authorization, three API calls, one retry', async () => {
        const { vendor, api, retries } = await setUp(first);
        vendor.server.failPath('/flaky', 401, 503, 401, 503, 401, 503, 401, 503);

        const error = await rejection(api.get('/flaky'));

        expect(isAxiosError(error) && error.response?.status).toBe(401);
        expect(received(vendor)).toEqual([
          'Bearer api-tok-1',
          'Bearer api-tok-2',
          'Bearer api-tok-2',
        ]);
        expect(vendor.server.tokenRequests).toHaveLength(2);
        expect(retries).toEqual([1]);
      });

      it('costs at most retries + 1 attempts plus one re-send, and one token request beyond the first, whatever the API answers', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.array(fc.constantFrom(200, 401, 503), { minLength: 6, maxLength: 6 }),
            async (statuses) => {
              const { vendor, api, retries } = await setUp(first);
              vendor.server.failPath('/scripted', ...statuses);

              const answer = await api.get('/scripted').catch((error: unknown) => error);

              const expected = model(statuses, 3);
              const status = isAxiosError(answer)
                ? answer.response?.status
                : (answer as AxiosResponse).status;
              expect(status).toBe(expected.status);
              expect(vendor.server.apiCalls).toHaveLength(expected.calls);
              expect(vendor.server.tokenRequests).toHaveLength(expected.reauthorized ? 2 : 1);
              expect(retries).toHaveLength(expected.retries);
              expect(expected.calls).toBeLessThanOrEqual(3 + 2);
              await closeVendors();
            },
          ),
          { numRuns: 40 },
        );
      });
    });
  });

  describe("NestJS's HttpService", () => {
    it('calls two vendors through one shared instance with axios-retry: each token renewed by its own manager', async () => {
      const billing = await startVendor('billing');
      const crm = await startVendor('crm');
      const http = new HttpService(axios.create({ adapter, timeout: 5_000 }));
      axiosRetry(http.axiosRef, { retries: 3 });
      authorizeVendor(http.axiosRef, billing);
      authorizeVendor(http.axiosRef, crm);
      await lastValueFrom(http.get(billing.server.url('/warm')));
      await lastValueFrom(http.get(crm.server.url('/warm')));
      crm.server.revokeAll();
      billing.server.failPath('/invoices', 503);

      const [invoices, contacts] = await Promise.all([
        lastValueFrom(http.get(billing.server.url('/invoices'))),
        lastValueFrom(http.get(crm.server.url('/contacts'))),
      ]);

      expect([invoices.status, contacts.status]).toEqual([200, 200]);
      expect(received(billing)).toEqual(Array(3).fill('Bearer billing-tok-1'));
      expect(received(crm)).toEqual(['Bearer crm-tok-1', 'Bearer crm-tok-1', 'Bearer crm-tok-2']);
      expect([billing.server.tokenRequests.length, crm.server.tokenRequests.length]).toEqual([
        1, 2,
      ]);
    });
  });
});

/**
 * What one GET costs under axios-retry (`retries`, on 503) when the API answers `statuses` in
 * turn: the first 401 of the call is re-sent once with a fresh token; a later 401 stands.
 */
function model(statuses: readonly number[], retries: number) {
  let calls = 0;
  let reauthorized = false;
  const attempt = (): number => {
    const status = statuses[calls++] ?? 200;
    if (status !== 401 || reauthorized) return status;
    reauthorized = true;
    return statuses[calls++] ?? 200;
  };
  let retried = 0;
  let status = attempt();
  while (status === 503 && retried < retries) {
    retried++;
    status = attempt();
  }
  return { status, calls, reauthorized, retries: retried };
}
