/**
 * tokenExchange (RFC 8693) and jwtBearer (RFC 7523 §2.1) against the strict local grant server:
 * through fetch, axios, got and ky, with inputs read per token request, with and without
 * private_key_jwt; N_A returned and not sent; an expired or foreign subject token and a reused
 * assertion refused (the server's other refusals: strict-grant-server.test.ts).
 */
import { createTokenManager, jwtBearer, TokenEndpointError, tokenExchange } from '@tokenwise/core';
import { describe, expect, test } from 'vitest';
import { clientNames } from '../test-support/callers.ts';
import { defer } from '../test-support/cleanup.ts';
import { plainCaller } from '../test-support/plain-clients.ts';
import { renderings } from '../test-support/renderings.ts';
import { startStrictGrantServer } from './strict-grant-server.ts';

const tokenType = (name: string) => `urn:ietf:params:oauth:token-type:${name}`;

describe('tokenExchange', () => {
  test.each(clientNames)(
    'through %s: a subject token read per request, delegated, private_key_jwt',
    async (name) => {
      const sts = defer(await startStrictGrantServer());
      let reads = 0;
      const tokens = defer(
        createTokenManager({
          flow: tokenExchange({
            tokenUrl: sts.tokenUrl,
            subjectToken: () => {
              reads++;
              return sts.upstream.sign({ sub: 'user-42' });
            },
            subjectTokenType: sts.jwtType,
            actorToken: await sts.upstream.sign({ sub: 'gateway' }),
            actorTokenType: sts.jwtType,
            requestedTokenType: tokenType('access_token'),
            audience: 'orders',
            clientId: sts.client.clientId,
            privateKey: sts.client.privateKey,
          }),
        }),
      );
      const call = plainCaller(name, tokens, sts.apiUrl);
      expect(await call('orders')).toEqual({ path: '/api/orders', subject: 'user-42' });
      await tokens.getToken({ forceRefresh: true });
      expect(await call('orders')).toMatchObject({ subject: 'user-42' });
      expect((await tokens.getToken()).raw.issued_token_type).toBe(tokenType('access_token'));
      expect(reads).toBe(2);
      expect(sts.log).toEqual([
        {
          grantType: 'urn:ietf:params:oauth:grant-type:token-exchange',
          status: 200,
          clientId: sts.client.clientId,
        },
        {
          grantType: 'urn:ietf:params:oauth:grant-type:token-exchange',
          status: 200,
          clientId: sts.client.clientId,
        },
      ]);
    },
  );

  test.each(clientNames)(
    'through %s: an N_A token (an id_token) is returned by getToken() and not sent',
    async (name) => {
      const sts = defer(await startStrictGrantServer());
      const tokens = defer(
        createTokenManager({
          flow: tokenExchange({
            tokenUrl: sts.tokenUrl,
            subjectToken: await sts.upstream.sign({ sub: 'user-42' }),
            subjectTokenType: sts.jwtType,
            requestedTokenType: tokenType('id_token'),
          }),
        }),
      );
      expect(await tokens.getToken()).toMatchObject({ tokenType: 'N_A' });
      const error = await plainCaller(
        name,
        tokens,
        sts.apiUrl,
      )('orders').catch((caught: unknown) => caught);
      const cause = (error as { cause?: unknown }).cause;
      // got wraps a hook's error in a RequestError: the TypeError is then its cause.
      const refusal = error instanceof TypeError ? error : cause;
      expect(refusal).toBeInstanceOf(TypeError);
      expect(String(refusal)).toMatch(/type "N_A".*not an access token/);
    },
  );

  test.each([
    { name: 'an expired subject token', lifetime: -60, expected: 'subject_token: expired' },
    {
      name: 'a subject token from another issuer',
      lifetime: 300,
      foreign: true,
      expected: 'subject_token: bad signature',
    },
  ])(
    '$name: invalid_grant, typed, the token not shown',
    async ({ lifetime, foreign, expected }) => {
      const sts = defer(await startStrictGrantServer());
      const other = defer(await startStrictGrantServer());
      const subjectToken = await (foreign ? other.upstream : sts.upstream).sign(
        { sub: 'user-42' },
        lifetime,
      );
      const tokens = defer(
        createTokenManager({
          flow: tokenExchange({
            tokenUrl: sts.tokenUrl,
            subjectToken,
            subjectTokenType: sts.jwtType,
          }),
        }),
      );
      const error = await tokens.getToken().catch((caught: unknown) => caught);
      expect(error instanceof TokenEndpointError).toBe(true);
      expect(error).toMatchObject({ status: 400, error: 'invalid_grant' });
      expect(sts.log[0]?.problem).toBe(expected);
      expect(renderings(error)).not.toContain(subjectToken);
    },
  );
});

describe('jwtBearer', () => {
  test.each(clientNames)(
    'through %s: a fresh assertion per token request (single-use jti)',
    async (name) => {
      const sts = defer(await startStrictGrantServer());
      const tokens = defer(
        createTokenManager({
          flow: jwtBearer({
            tokenUrl: sts.tokenUrl,
            assertion: () => sts.upstream.sign({ sub: 'svc-7', aud: sts.tokenUrl }),
            scope: 'orders.read',
          }),
        }),
      );
      const call = plainCaller(name, tokens, sts.apiUrl);
      expect(await call('orders')).toEqual({ path: '/api/orders', subject: 'svc-7' });
      await tokens.getToken({ forceRefresh: true });
      expect(await call('orders')).toMatchObject({ subject: 'svc-7' });
      expect(sts.log.map((entry) => entry.status)).toEqual([200, 200]);
    },
  );

  test('a fixed assertion is refused the second time (reused jti): invalid_grant', async () => {
    const sts = defer(await startStrictGrantServer());
    const assertion = await sts.upstream.sign({ sub: 'svc-7', aud: sts.tokenUrl });
    const tokens = defer(
      createTokenManager({ flow: jwtBearer({ tokenUrl: sts.tokenUrl, assertion }) }),
    );
    await tokens.getToken();
    await expect(tokens.getToken({ forceRefresh: true })).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    expect(sts.log.map((entry) => entry.problem)).toEqual([undefined, 'assertion: jti reused']);
  });
});
