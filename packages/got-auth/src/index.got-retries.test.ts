/**
 * gotAuth with got's own retries: the re-send after a 401 is not one of got's retries, and a call
 * costs at most retry.limit + 2 requests and one renewal; with got 14 and got 16.
 */
import { describe, expect, it } from 'vitest';
import { gotAuth } from './index.ts';
import {
  type Echo,
  gotMajors,
  managerOf,
  retryOn503,
  useLoopbackVendor,
} from './test-support/got-stacks.ts';

describe.each(gotMajors)('%s', (_major, base, HttpError) => {
  const loopback = useLoopbackVendor();

  describe("got's own retries", () => {
    it('answers 401, 503, 503 with the 200 that retry.limit 2 allows', async () => {
      const delays: string[] = [];
      const api = base.extend(
        { prefixUrl: loopback.server.origin },
        retryOn503(2),
        {
          retry: {
            calculateDelay: ({ attemptCount, error, computedValue }) => {
              delays.push(`${error.name} ${attemptCount}`);
              return computedValue;
            },
          },
        },
        gotAuth({ tokens: loopback.tokens }),
      );
      loopback.server.failApi(401, 503, 503);
      const echo = await api('api/flaky').json<Echo>();
      expect(echo.authorization).toBe('Bearer tok-2');
      expect(loopback.server.apiCalls.map((call) => call.headers.authorization)).toEqual([
        'Bearer tok-1',
        'Bearer tok-2',
        'Bearer tok-2',
        'Bearer tok-2',
      ]);
      expect(loopback.server.tokenRequests).toHaveLength(2);
      // The re-send is gotAuth's: calculateDelay is not asked about it, nor counts it.
      expect(delays).toEqual(['HTTPError 1', 'HTTPError 2']);

      // One re-authorization per call: a 401 on one of got's retries after the re-send is the answer.
      loopback.server.failApi(401, 503, 401);
      await expect(api('api/again')).rejects.toMatchObject({ response: { statusCode: 401 } });
      expect(loopback.server.apiCalls).toHaveLength(4 + 3);
      expect(loopback.server.tokenRequests).toHaveLength(3);
    });

    it('re-authorizes a call once, also when a 401 follows a got retry of the re-send', async () => {
      const own = managerOf(loopback.server); // a fresh manager: no per-manager bound hides a second renewal
      const api = base.extend(
        { prefixUrl: loopback.server.origin },
        retryOn503(3),
        gotAuth({ tokens: own }),
      );
      const before = {
        calls: loopback.server.apiCalls.length,
        tokens: loopback.server.tokenRequests.length,
      };
      loopback.server.failApi(401, 503, 401);
      await expect(api('api/once')).rejects.toMatchObject({ response: { statusCode: 401 } });
      expect(loopback.server.apiCalls.length - before.calls).toBe(3); // first, the re-send, got's retry
      expect(loopback.server.tokenRequests.length - before.tokens).toBe(2); // the cold start, one renewal
    });

    it('bounds a call by retry.limit + 2 requests: the first, got’s retries and the one re-send', async () => {
      for (const limit of [0, 1, 2, 3]) {
        const own = managerOf(loopback.server); // each call's re-authorization is its manager's first
        const api = base.extend(
          { prefixUrl: loopback.server.origin },
          retryOn503(limit),
          gotAuth({ tokens: own }),
        );
        const before = {
          calls: loopback.server.apiCalls.length,
          tokens: loopback.server.tokenRequests.length,
        };
        loopback.server.failApi(401, ...Array<number>(limit + 1).fill(503));
        const error: unknown = await api(`api/limit-${limit}`).catch((caught: unknown) => caught);
        await own.close();
        expect(error).toBeInstanceOf(HttpError);
        expect(error).toMatchObject({ response: { statusCode: 503 } });
        expect(loopback.server.apiCalls.length - before.calls).toBe(limit + 2);
        expect(loopback.server.tokenRequests.length - before.tokens).toBe(2); // the first token, and one renewal
      }
    });
  });
});
