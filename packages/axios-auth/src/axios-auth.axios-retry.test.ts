/**
 * axiosAuth with axios-retry (retries on 503, as in its README), whichever registers first: a
 * call costs at most the retries, one re-send and one token request beyond the first; through
 * axios's http and fetch adapters.
 */
import axios, { type AxiosResponse, isAxiosError } from 'axios';
import axiosRetry from 'axios-retry';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { axiosAuth } from './index.ts';
import { closeVendors, received, rejection, startVendor } from './test-support/stack-vendors.ts';

afterEach(closeVendors);

describe.each(['http', 'fetch'] as const)('with the %s adapter', (adapter) => {
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
