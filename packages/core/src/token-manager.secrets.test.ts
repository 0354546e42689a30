/**
 * No secret (client secret, tokens, refresh tokens) shows in any error, token or manager
 * rendering, whatever went wrong.
 */
import { inspect } from 'node:util';
import { clientId, clientSecret, closedPortUrl, renderings } from '@tokenwise/test-kit';
import { describe, expect, it } from 'vitest';
import { createAuthFetch } from './auth-fetch.ts';
import { errorCodes, TokenwiseError } from './errors.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import { refreshToken } from './flows/refresh-token.ts';
import { tokenExchange } from './flows/token-exchange.ts';
import { manage, rtFlow, server, useManagerFixture } from './test-support/manager-fixture.ts';
import type { TokenManager, TokenManagerOptions } from './token-manager.ts';

useManagerFixture();

describe('secrets', () => {
  const extraSecrets: string[] = [];
  const secrets = (): string[] => [
    ...extraSecrets,
    clientSecret,
    'wrong-secret-51c9',
    'refresh-start',
    'refresh-revoked-77',
    'access-leak-3e1',
    ...server.issued,
  ];

  function expectNoSecret(value: unknown): void {
    for (const text of renderings(value)) {
      for (const secret of secrets()) expect(text).not.toContain(secret);
    }
  }

  it('keeps them out of every error, token and manager rendering', async () => {
    const errors: unknown[] = [];
    const collect = async (promise: Promise<unknown>): Promise<void> => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
      errors.push(error);
    };
    const cc = (options: Partial<TokenManagerOptions> = {}, secret = clientSecret): TokenManager =>
      manage({
        flow: clientCredentials({ tokenUrl: server.tokenUrl, clientId, clientSecret: secret }),
        retry: false,
        ...options,
      });

    // 401 invalid_client for a wrong secret (client_secret_post).
    await collect(cc({}, 'wrong-secret-51c9').getToken());
    // invalid_grant for a refresh token, twice (the second without a request).
    const revoked = manage({
      flow: refreshToken({
        tokenUrl: server.tokenUrl,
        clientId,
        clientSecret,
        refreshToken: 'refresh-revoked-77',
      }),
      failureBackoffMs: 0,
    });
    await collect(revoked.getToken());
    await collect(revoked.getToken());
    // 2xx answers that are not tokens; one with an access token and a bad expiry.
    server.script(
      { body: '<html>login</html>' },
      { body: { token: 'access-leak-3e1' } },
      { body: { error: 'invalid_request', access_token: undefined } },
      { body: { access_token: 'access-leak-3e1', expires_in: 'soon' } },
      { body: { access_token: 'access-leak-3e1', expires_in: 0 } },
      { body: { access_token: 'access-leak-3e1', token_type: 42 } },
      { body: `{"access_token":"access-leak-3e1","pad":"${'z'.repeat(1024 * 1024)}"}` },
      { status: 500, body: { error: 'server_error', error_description: 'boom' } },
    );
    const responses = cc({ failureBackoffMs: 0 });
    for (let i = 0; i < 8; i++) await collect(responses.getToken());
    // Network failure and timeout, with the secret in the request body.
    const dead = manage({
      flow: clientCredentials({ tokenUrl: await closedPortUrl(), clientId, clientSecret }),
      retry: false,
    });
    await collect(dead.getToken());
    server.script({ delayMs: 2_000 });
    await collect(cc({ timeoutMs: 20 }).getToken());
    // onTokenChange failing with the token in hand.
    const handler = cc({
      flow: await rtFlow(),
      onTokenChange: (token) => {
        throw new Error(`could not save (${token.tokenType})`);
      },
    });
    await collect(handler.getToken());
    const token = await handler.getToken();
    extraSecrets.push(token.refreshToken ?? 'refresh-token-missing');
    // A client assertion callback that fails: nothing is sent.
    const workload = manage({
      flow: clientCredentials({
        tokenUrl: server.tokenUrl,
        clientId,
        clientAssertion: () => {
          throw new Error('projected token file missing');
        },
      }),
      retry: false,
    });
    await collect(workload.getToken());
    // An N_A token from token exchange, which an adapter refuses to send.
    server.script({ body: { access_token: 'access-leak-3e1', token_type: 'N_A', expires_in: 60 } });
    const exchanged = manage({
      flow: tokenExchange({
        tokenUrl: server.tokenUrl,
        subjectToken: 'subject-token-9f1',
        subjectTokenType: 'urn:ietf:params:oauth:token-type:jwt',
      }),
      retry: false,
    });
    await collect(
      createAuthFetch({ tokens: exchanged, fetch: async () => new Response('ok') })(
        server.url('/api'),
      ),
    );
    extraSecrets.push('subject-token-9f1');
    // A closed manager.
    const closed = cc();
    await closed.close();
    await collect(closed.getToken());

    expect(errors).toHaveLength(17);
    const codes = errors.flatMap((e) => (e instanceof TokenwiseError ? [e.code] : []));
    expect(new Set(codes)).toEqual(new Set(errorCodes));
    // The one that is not a tokenwise error: the adapter's refusal of the N_A token.
    const refusals = errors.filter((e) => !(e instanceof TokenwiseError));
    expect(refusals.map(String)).toEqual([expect.stringMatching(/TypeError: .*"N_A"/)]);
    for (const error of errors) expectNoSecret(error);
    expect(server.issued.length).toBeGreaterThan(0);
    expect(inspect(token)).not.toContain(token.accessToken);
    expect(inspect(token)).not.toContain(token.refreshToken);
    expectNoSecret(inspect(token));
    expectNoSecret(inspect(handler, { showHidden: true }));
    expect(inspect(handler)).toContain('refresh_token');
  });
});
