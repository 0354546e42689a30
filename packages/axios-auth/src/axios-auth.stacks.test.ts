/**
 * axiosAuth inside the stacks server teams run, configured the way the READMEs say: several
 * registrations on one shared instance, the user's own interceptors registered before and after
 * axiosAuth, axios-retry, and NestJS's HttpService; through axios's http and fetch adapters.
 */
import { HttpService } from '@nestjs/axios';
import { clientCredentials, createTokenManager, type TokenManager } from '@tokenwise/core';
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
import { json, startServer, type TestServer } from './test-support/server.ts';

/** A vendor: its own loopback server (token endpoint and API) and its own token manager. */
interface Vendor {
  readonly name: string;
  readonly server: TestServer;
  readonly tokens: TokenManager;
}

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((closable) => closable.close()));
});

/** A vendor whose tokens are named after it (`<name>-tok-<n>`), so that a stray token shows. */
async function startVendor(name: string): Promise<Vendor> {
  const server = await startServer();
  server.tokenReply = (count) => {
    const accessToken = `${name}-tok-${count}`;
    server.valid.add(accessToken);
    const body = { access_token: accessToken, token_type: 'Bearer', expires_in: 3600 };
    return { status: 200, body: JSON.stringify(body) };
  };
  const tokens = createTokenManager({
    flow: clientCredentials({ tokenUrl: `${server.url}/token`, clientId: name, clientSecret: 's' }),
    retry: false,
  });
  opened.push(tokens, server);
  return { name, server, tokens };
}

function authorizeVendor(api: AxiosInstance, vendor: Vendor): () => void {
  return axiosAuth(api, {
    tokens: vendor.tokens,
    origins: [vendor.server.url],
    headers: { 'X-Vendor': vendor.name },
  });
}

/** The tokens a vendor's API received, in order. */
const received = (vendor: Vendor): (string | undefined)[] =>
  vendor.server.calls.map((call) => call.headers.authorization);

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}

/** Answers the calls to `path` with `statuses` in turn (200 once they run out). */
function script(server: TestServer, path: string, statuses: readonly number[]): void {
  let call = 0;
  server.route(path, (_request, response) => {
    const status = statuses[call++] ?? 200;
    json(response, status, { status });
  });
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
        await api.get(`${vendors.a.server.url}/warm`);
        await api.get(`${vendors.b.server.url}/warm`);
        vendors.b.server.valid.clear(); // vendor B revokes b-tok-1

        const response = await api.get(`${vendors.b.server.url}/members`);
        await api.get(`${vendors.a.server.url}/members`);

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
            await Promise.all(vendors.map((vendor) => api.get(`${vendor.server.url}/warm`)));
            for (const i of revoked) vendors[i]?.server.valid.clear();

            const responses = await Promise.all(
              vendors.map((vendor) => api.get(`${vendor.server.url}/members`)),
            );

            expect(responses.map((response) => response.status)).toEqual(vendors.map(() => 200));
            for (const [i, vendor] of vendors.entries()) {
              const renewed = revoked.includes(i) ? 1 : 0;
              expect(vendor.server.tokenRequests).toHaveLength(1 + renewed);
              for (const call of vendor.server.calls) {
                expect(call.headers.authorization).toMatch(
                  new RegExp(`^Bearer ${vendor.name}-tok-`),
                );
                expect(call.headers['x-vendor']).toBe(vendor.name);
              }
            }
            await Promise.all(opened.splice(0).map((closable) => closable.close()));
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
      api = axios.create({ baseURL: vendor.server.url, adapter });
    });
    /** Warms the token up, then has the API revoke it: the next call gets one 401. */
    const revokeAfterWarmUp = async (): Promise<void> => {
      await api.get('/warm');
      vendor.server.valid.clear();
    };

    it('an unwrap interceptor registered after axiosAuth gives the caller the data of the re-sent answer', async () => {
      axiosAuth(api, { tokens: vendor.tokens });
      api.interceptors.response.use((response) => response.data);
      await revokeAfterWarmUp();

      const data: unknown = await api.get('/members');

      expect(data).toEqual({ path: '/members' });
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
      vendor.server.always401 = true;
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
      vendor.server.always401 = true;
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
      expect(bodies).toEqual([
        JSON.stringify({ path: '/members' }),
        JSON.stringify({ error: 'invalid_token' }),
      ]);
    });
  });

  describe('with axios-retry', () => {
    /** retries: 3 on 503, as in axios-retry's README; `first` says who registers first. */
    async function setUp(first: 'axiosAuth' | 'axiosRetry') {
      const vendor = await startVendor('api');
      const api = axios.create({ baseURL: vendor.server.url, adapter });
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
        script(vendor.server, '/flaky', [401, 503, 401, 503, 401, 503, 401, 503]);

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
              script(vendor.server, '/scripted', statuses);

              const answer = await api.get('/scripted').catch((error: unknown) => error);

              const expected = model(statuses, 3);
              const status = isAxiosError(answer)
                ? answer.response?.status
                : (answer as AxiosResponse).status;
              expect(status).toBe(expected.status);
              expect(vendor.server.calls).toHaveLength(expected.calls);
              expect(vendor.server.tokenRequests).toHaveLength(expected.reauthorized ? 2 : 1);
              expect(retries).toHaveLength(expected.retries);
              expect(expected.calls).toBeLessThanOrEqual(3 + 2);
              await Promise.all(opened.splice(0).map((closable) => closable.close()));
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
      await lastValueFrom(http.get(`${billing.server.url}/warm`));
      await lastValueFrom(http.get(`${crm.server.url}/warm`));
      crm.server.valid.clear();
      script(billing.server, '/invoices', [503]);

      const [invoices, contacts] = await Promise.all([
        lastValueFrom(http.get(`${billing.server.url}/invoices`)),
        lastValueFrom(http.get(`${crm.server.url}/contacts`)),
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
