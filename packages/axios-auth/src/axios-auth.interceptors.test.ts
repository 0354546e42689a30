/**
 * axiosAuth beside the user's own interceptors, registered before and after it, and
 * transformResponse: each sees one call and its final answer, in axios's order; through axios's
 * http and fetch adapters.
 */
import axios, { type AxiosError, type AxiosInstance } from 'axios';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { axiosAuth } from './index.ts';
import {
  closeVendors,
  received,
  rejection,
  startVendor,
  type Vendor,
} from './test-support/stack-vendors.ts';

afterEach(closeVendors);

describe.each(['http', 'fetch'] as const)('with the %s adapter', (adapter) => {
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
    /** The headers of each answer's config, as a response interceptor of the caller's sees them. */
    const configHeadersSeen = (): object[] => {
      const seen: object[] = [];
      api.interceptors.response.use((response) => {
        seen.push(response.config.headers);
        return response;
      });
      return seen;
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

    it("see the caller's own headers in the config, under the caller's names, never the ones axiosAuth sent in their place", async () => {
      axiosAuth(api, { tokens: vendor.tokens, headers: { 'X-Tenant-Id': 'tenant-t' } });
      const seen = configHeadersSeen();
      const own = { authorization: 'Basic b3du', 'x-TENANT-id': 'own' };
      await api.get('/members', { headers: own });
      await api.get('/members');

      // Sent: axiosAuth's values in place of the caller's (not both, whatever the case).
      const sent = vendor.server.apiCalls.map(({ headers }) => [
        headers.authorization,
        headers['x-tenant-id'],
      ]);
      expect(sent).toEqual([
        ['Bearer api-tok-1', 'tenant-t'],
        ['Bearer api-tok-1', 'tenant-t'],
      ]);
      const namesIn = (headers: object | undefined) =>
        Object.keys(headers ?? {}).filter((name) => /^(authorization|x-tenant-id)$/i.test(name));
      expect(namesIn(seen[0]).sort()).toEqual(['authorization', 'x-TENANT-id']);
      expect(seen[0]).toMatchObject(own);
      expect(namesIn(seen[1])).toEqual([]); // not even as `undefined`
    });

    it("see none of the values axiosAuth sent, under any name axios keeps them by, and the caller's own of any case and value", async () => {
      // axios keeps a header named like one of its methods capitalised (`set` as `Set`).
      axiosAuth(api, { tokens: vendor.tokens, headers: { set: 'extra-s', 'X-A': 'extra-a' } });
      const seen = configHeadersSeen();
      await api.get('/members', { headers: { 'x-a': 'own', Authorization: false } });

      const [sent] = vendor.server.apiCalls;
      expect(sent?.headers).toMatchObject({
        authorization: 'Bearer api-tok-1', // replaces the caller's `false` (skipAuth opts out)
        set: 'extra-s',
        'x-a': 'extra-a',
      });
      expect(JSON.stringify(seen)).not.toMatch(/extra-|api-tok/);
      expect(seen[0]).toMatchObject({ 'x-a': 'own', Authorization: false });
    });

    it('a request interceptor registered before axiosAuth (so it runs after it) can still set skipAuth', async () => {
      api.interceptors.request.use((config) => Object.assign(config, { skipAuth: true }));
      axiosAuth(api, { tokens: vendor.tokens });

      const response = await api.get('/public/health');

      expect(response.status).toBe(200);
      expect(received(vendor)).toEqual([undefined]);
      expect(vendor.server.tokenRequests).toHaveLength(0);
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
});
