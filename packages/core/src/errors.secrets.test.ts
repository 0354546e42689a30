/**
 * No secret (client secret, access or refresh token) in any rendering of an error that a real
 * failure path produces: `String`, `message`, `stack`, `JSON.stringify`, `util.inspect`.
 */
import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { TokenResponseError, TokenwiseError } from './errors.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import type { Flow } from './flows/flow.ts';
import { refreshToken } from './flows/refresh-token.ts';
import { tokenRequest } from './flows/token-request.ts';
import { managersClosedAfterEach } from './test-support/manager-cleanup.ts';

describe('no secret through the real paths', () => {
  const clientSecret = 'cs-SECRET-5f2a9c';
  const accessToken = 'at-ACCESS-7b1d4e';
  const oldRefreshToken = 'rt-REFRESH-3c8e0a';
  const newRefreshToken = 'rt-ROTATED-9d2f6b';
  const secrets = [clientSecret, accessToken, oldRefreshToken, newRefreshToken];
  const manage = managersClosedAfterEach();

  const failWith = async (
    flow: Flow,
    fetch: typeof globalThis.fetch,
    timeoutMs = 5_000,
  ): Promise<unknown> => {
    const manager = manage({ flow, fetch, retry: false, timeoutMs });
    return manager.getToken().then(
      () => expect.unreachable('getToken should reject'),
      (error: unknown) => error,
    );
  };
  const answer =
    (status: number, body: unknown, contentType = 'application/json') =>
    async () =>
      new Response(typeof body === 'string' ? body : JSON.stringify(body), {
        status,
        headers: { 'content-type': contentType },
      });

  const tokenUrl = 'https://auth.example.com/connect/token';
  const cc = () => clientCredentials({ tokenUrl, clientId: 'client-1', clientSecret });
  const rt = () =>
    refreshToken({ tokenUrl, clientId: 'client-1', clientSecret, refreshToken: oldRefreshToken });

  const paths: {
    name: string;
    flow: () => Flow;
    fetch: typeof globalThis.fetch;
    timeoutMs?: number;
    check: (error: unknown) => void;
  }[] = [
    {
      name: 'a 401 invalid_client',
      flow: cc,
      fetch: answer(401, {
        error: 'invalid_client',
        error_description: 'Invalid client credentials',
      }),
      check: (error) => expect(error).toMatchObject({ status: 401, error: 'invalid_client' }),
    },
    {
      name: 'an HTML error page',
      flow: cc,
      fetch: answer(500, '<html><body>Bad gateway</body></html>', 'text/html'),
      check: (error) => expect(error).toMatchObject({ status: 500, error: undefined }),
    },
    {
      name: 'a rejected refresh token',
      flow: rt,
      fetch: answer(400, { error: 'invalid_grant' }),
      check: (error) => expect(error).toMatchObject({ code: 'ERR_REAUTHORIZATION_REQUIRED' }),
    },
    {
      name: 'a 200 with an invalid expires_in beside the tokens',
      flow: rt,
      fetch: answer(200, {
        access_token: accessToken,
        refresh_token: newRefreshToken,
        expires_in: 'soon',
      }),
      check: (error) => {
        expect(error).toBeInstanceOf(TokenResponseError);
        expect((error as Error).message).toMatch(/expires_in/);
      },
    },
    {
      name: 'a 200 with a token_type of the wrong type',
      flow: cc,
      fetch: answer(200, { access_token: accessToken, token_type: { scheme: accessToken } }),
      check: (error) => expect((error as Error).message).toMatch(/token_type of type object/),
    },
    {
      name: 'a 200 that is already expired',
      flow: cc,
      fetch: answer(200, { access_token: accessToken, expires_at: 1_000_000_000 }),
      check: (error) => expect((error as Error).message).toMatch(/already expired/),
    },
    {
      name: 'a response parser that throws',
      flow: () =>
        tokenRequest({
          url: tokenUrl,
          body: { client_secret: clientSecret },
          response: () => {
            throw new Error('parser broke');
          },
        }),
      fetch: answer(200, { token: accessToken }),
      check: (error) => {
        expect(error).toBeInstanceOf(TokenResponseError);
        expect((error as TokenResponseError).toJSON().cause).toMatchObject({
          message: 'parser broke',
        });
      },
    },
    {
      name: 'a refused connection',
      flow: cc,
      fetch: async () => {
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), {
            code: 'ECONNREFUSED',
          }),
        });
      },
      check: (error) =>
        expect(error).toMatchObject({
          code: 'ERR_TOKEN_NETWORK',
          message: 'Token endpoint could not be reached: fetch failed (ECONNREFUSED)',
        }),
    },
    {
      name: 'a timeout',
      flow: cc,
      fetch: (_input, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        }),
      timeoutMs: 20,
      check: (error) => expect(error).toMatchObject({ code: 'ERR_TOKEN_TIMEOUT' }),
    },
  ];

  test.each(paths)('$name', async ({ flow, fetch, timeoutMs, check }) => {
    const error = await failWith(flow(), fetch, timeoutMs);
    expect(error instanceof TokenwiseError).toBe(true);
    check(error);
    const views = [
      String(error),
      (error as Error).message,
      (error as Error).stack ?? '',
      JSON.stringify(error),
      inspect(error, { depth: 10 }),
    ];
    for (const view of views) {
      for (const secret of secrets) expect(view).not.toContain(secret);
    }
  });
});
