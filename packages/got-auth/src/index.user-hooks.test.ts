/**
 * gotAuth beside the user's own got hooks, registered before or after it: what each sees of the
 * re-send, got's retries and errors, and how it shapes what the caller gets; with got 14 and
 * got 16.
 */
import type { Got, Hooks } from 'got';
import { describe, expect, it } from 'vitest';
import { gotAuth } from './index.ts';
import { gotMajors, retryOn503, useLoopbackVendor } from './test-support/got-stacks.ts';

describe.each(gotMajors)('%s', (_major, base, HttpError) => {
  const loopback = useLoopbackVendor();

  describe("the user's hooks", () => {
    /** Hooks that log what they see, and make the final answer's body their own. */
    const logging = (log: string[]): Partial<Hooks> => ({
      beforeRequest: [(options) => void log.push(`request ${options.headers.authorization}`)],
      beforeRetry: [(error, count) => void log.push(`retry ${count} after ${error.name}`)],
      afterResponse: [
        (response) => {
          log.push(`response ${response.statusCode}`);
          response.body = `seen: ${String(response.body)}`;
          return response;
        },
      ],
      beforeError: [
        (error) => {
          log.push(`error ${error.name} ${String(error.options?.headers.authorization)}`);
          return error;
        },
      ],
    });

    const stacks: [string, (log: string[]) => Got][] = [
      [
        'after gotAuth, in the same extend()',
        (log) =>
          base.extend(
            { prefixUrl: loopback.server.origin },
            retryOn503(2),
            gotAuth({ tokens: loopback.tokens }),
            {
              hooks: logging(log),
            },
          ),
      ],
      [
        'after gotAuth, in a later extend()',
        (log) =>
          base
            .extend(
              { prefixUrl: loopback.server.origin },
              retryOn503(2),
              gotAuth({ tokens: loopback.tokens }),
            )
            .extend({ hooks: logging(log) }),
      ],
    ];

    it.each(stacks)(
      'registered %s: see each request once and only the final answer, and shape what the caller gets',
      async (_where, stack) => {
        const log: string[] = [];
        const api = stack(log);
        loopback.server.failApi(401, 503, 503);
        const response = await api('api/me');
        expect(response.statusCode).toBe(200);
        expect(response.body).toMatch(/^seen: \{"authorization":"Bearer tok-2"/);
        expect(log).toEqual([
          'request Bearer tok-1',
          // The re-send is gotAuth's: beforeRetry neither sees it nor counts it.
          'request Bearer tok-2',
          'response 503',
          'retry 1 after HTTPError',
          'request Bearer tok-2',
          'response 503',
          'retry 2 after HTTPError',
          'request Bearer tok-2',
          'response 200',
        ]);

        // A refused re-send and a token failure: errors arrive redacted, or as the manager's own.
        log.length = 0;
        await expect(api('always-401')).rejects.toBeInstanceOf(HttpError);
        expect(log.slice(-2)).toEqual(['response 401', 'error HTTPError [redacted]']);
        await loopback.tokens.invalidate((await loopback.tokens.getToken()).accessToken);
        loopback.server.failTokens({ status: 400, body: { error: 'invalid_client' } });
        await expect(api('api/me')).rejects.toMatchObject({ name: 'TokenEndpointError' });
        expect(log.at(-1)).toBe('error TokenEndpointError undefined');
      },
    );

    it('registered before gotAuth: also see the 401 it answers, the stale token, and errors unredacted', async () => {
      const log: string[] = [];
      const api = base
        .extend({ prefixUrl: loopback.server.origin, hooks: logging(log) }, retryOn503(2))
        .extend(gotAuth({ tokens: loopback.tokens }));
      loopback.server.failApi(401, 503, 503);
      const response = await api('api/me');
      expect(response.body).toMatch(/^seen: \{"authorization":"Bearer tok-2"/);
      expect(log).toEqual([
        'request undefined',
        'response 401',
        'request Bearer tok-1',
        'response 503',
        'retry 1 after HTTPError',
        'request Bearer tok-2',
        'response 503',
        'retry 2 after HTTPError',
        'request Bearer tok-2',
        'response 200',
      ]);
      log.length = 0;
      const error: unknown = await api('always-401').catch((caught: unknown) => caught);
      expect(log.at(-1)).toBe('error HTTPError Bearer tok-3');
      // What the caller gets is redacted all the same.
      expect(error).toMatchObject({ options: { headers: { authorization: '[redacted]' } } });
      await loopback.tokens.invalidate('tok-3');
      loopback.server.failTokens({ status: 400, body: { error: 'invalid_client' } });
      await expect(api('api/me')).rejects.toMatchObject({ name: 'TokenEndpointError' });
      expect(log.at(-1)).toBe('error RequestError undefined');
    });
  });
});
