/**
 * tokenExchange (RFC 8693): every parameter by its RFC name, inputs read per token request, no
 * refresh, issued_token_type kept in raw, N_A returned by getToken() and refused by createAuthFetch.
 */
import { describe, expect, test } from 'vitest';
import { createAuthFetch } from '../auth-fetch.ts';
import { managersClosedAfterEach } from '../test-support/manager-cleanup.ts';
import { recordingTokenEndpoint } from '../test-support/signing-keys.ts';
import { TokenRequestInputError } from '../token-request-input-error.ts';
import { tokenExchange } from './token-exchange.ts';

const tokenUrl = 'https://sts.example.com/token';
const jwtType = 'urn:ietf:params:oauth:token-type:jwt';
const accessTokenType = 'urn:ietf:params:oauth:token-type:access_token';

describe('tokenExchange', () => {
  const manage = managersClosedAfterEach();

  test('sends every RFC 8693 §2.1 parameter by its name; no client authentication when none is given', async () => {
    const endpoint = recordingTokenEndpoint(() =>
      Response.json({
        access_token: 'at-x',
        issued_token_type: accessTokenType,
        token_type: 'Bearer',
        expires_in: 60,
      }),
    );
    const tokens = manage({
      flow: tokenExchange({
        tokenUrl,
        subjectToken: 'subject-TOKEN-1',
        subjectTokenType: jwtType,
        actorToken: 'actor-TOKEN-1',
        actorTokenType: accessTokenType,
        requestedTokenType: accessTokenType,
        audience: ['orders', 'billing'],
        resource: 'https://orders.example.com/',
        scope: ['orders.read', 'orders.write'],
      }),
      fetch: endpoint.fetch,
    });
    const token = await tokens.getToken();
    expect(token.raw.issued_token_type).toBe(accessTokenType);
    const body = endpoint.bodies[0];
    expect([...(body ?? [])].sort()).toEqual(
      [
        ['grant_type', 'urn:ietf:params:oauth:grant-type:token-exchange'],
        ['resource', 'https://orders.example.com/'],
        ['audience', 'orders'],
        ['audience', 'billing'],
        ['scope', 'orders.read orders.write'],
        ['requested_token_type', accessTokenType],
        ['subject_token', 'subject-TOKEN-1'],
        ['subject_token_type', jwtType],
        ['actor_token', 'actor-TOKEN-1'],
        ['actor_token_type', accessTokenType],
      ].sort(),
    );
    expect(endpoint.headers[0]?.has('authorization')).toBe(false);
  });

  test('function inputs are called for every token request; client authentication applies when given', async () => {
    const endpoint = recordingTokenEndpoint();
    let n = 0;
    const tokens = manage({
      flow: tokenExchange({
        tokenUrl,
        clientId: 'gateway',
        clientSecret: 'gw-secret',
        clientAuth: 'client_secret_basic',
        subjectToken: async () => `subject-${++n}`,
        subjectTokenType: jwtType,
        actorToken: () => 'actor-fixed',
        actorTokenType: jwtType,
      }),
      fetch: endpoint.fetch,
    });
    await tokens.getToken();
    await tokens.getToken({ forceRefresh: true });
    expect(endpoint.bodies.map((body) => body.get('subject_token'))).toEqual([
      'subject-1',
      'subject-2',
    ]);
    expect(endpoint.bodies.map((body) => body.get('actor_token'))).toEqual([
      'actor-fixed',
      'actor-fixed',
    ]);
    expect(endpoint.headers[0]?.get('authorization')).toMatch(/^Basic /);
  });

  test('does not refresh: an expired token is replaced by a new exchange, even when a refresh token came', async () => {
    let clock = 1_000_000;
    const endpoint = recordingTokenEndpoint(() =>
      Response.json({ access_token: `at-${clock}`, refresh_token: 'rt-ignored', expires_in: 60 }),
    );
    const tokens = manage({
      flow: tokenExchange({ tokenUrl, subjectToken: 'subject-TOKEN-1', subjectTokenType: jwtType }),
      fetch: endpoint.fetch,
      now: () => clock,
    });
    await tokens.getToken();
    clock += 120_000;
    await tokens.getToken();
    expect(endpoint.bodies.map((body) => body.get('grant_type'))).toEqual([
      'urn:ietf:params:oauth:grant-type:token-exchange',
      'urn:ietf:params:oauth:grant-type:token-exchange',
    ]);
  });

  test('token_type N_A: getToken() returns it, createAuthFetch refuses to send it', async () => {
    const endpoint = recordingTokenEndpoint(() =>
      Response.json({
        access_token: 'saml-assertion-x',
        issued_token_type: 'urn:ietf:params:oauth:token-type:saml2',
        token_type: 'N_A',
        expires_in: 60,
      }),
    );
    const tokens = manage({
      flow: tokenExchange({ tokenUrl, subjectToken: 'subject-TOKEN-1', subjectTokenType: jwtType }),
      fetch: endpoint.fetch,
    });
    expect(await tokens.getToken()).toMatchObject({
      tokenType: 'N_A',
      accessToken: 'saml-assertion-x',
    });
    const sent: Request[] = [];
    const authed = createAuthFetch({
      tokens,
      fetch: async (input, init) => {
        sent.push(new Request(input, init));
        return new Response('ok');
      },
    });
    const error = await authed('https://api.example.com/x').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect(String(error)).toMatch(/type "N_A".*not an access token/);
    expect(String(error)).not.toContain('saml-assertion-x');
    expect(sent).toHaveLength(0);
  });

  test('without tokenExchange, N_A stays an unusable token type', async () => {
    const { clientCredentials } = await import('./client-credentials.ts');
    const tokens = manage({
      flow: clientCredentials({ tokenUrl, clientId: 'c', clientSecret: 's' }),
      fetch: async () => Response.json({ access_token: 'x', token_type: 'N_A' }),
      retry: false,
    });
    await expect(tokens.getToken()).rejects.toMatchObject({ name: 'TokenResponseError' });
  });

  test('a subjectToken function that throws: TokenRequestInputError naming it', async () => {
    const tokens = manage({
      flow: tokenExchange({
        tokenUrl,
        subjectToken: () => {
          throw new Error('ENOENT: /var/run/secrets/tokens/token');
        },
        subjectTokenType: jwtType,
      }),
      fetch: recordingTokenEndpoint().fetch,
    });
    await expect(tokens.getToken()).rejects.toSatisfy(
      (error) =>
        error instanceof TokenRequestInputError && error.option === 'tokenExchange: subjectToken',
    );
  });

  test.each([
    {
      name: 'no subjectToken',
      options: { subjectTokenType: jwtType },
      message: /^tokenExchange: subjectToken must be a non-empty string or a function/,
    },
    {
      name: 'no subjectTokenType',
      options: { subjectToken: 's' },
      message: /^tokenExchange: subjectTokenType must be a non-empty string$/,
    },
    {
      name: 'actorToken without actorTokenType',
      options: { subjectToken: 's', subjectTokenType: jwtType, actorToken: 'a' },
      message: /^tokenExchange: actorTokenType is required with actorToken/,
    },
    {
      name: 'actorTokenType without actorToken',
      options: { subjectToken: 's', subjectTokenType: jwtType, actorTokenType: jwtType },
      message: /^tokenExchange: actorTokenType must not be given without actorToken$/,
    },
    {
      name: 'a clientSecret without clientId',
      options: { subjectToken: 's', subjectTokenType: jwtType, clientSecret: 'x' },
      message: /^tokenExchange: clientId must be a non-empty string$/,
    },
  ])('$name: TypeError naming the option', ({ options, message }) => {
    expect(() => tokenExchange({ tokenUrl, ...options } as never)).toThrow(message);
  });

  test("the cache key: a string subject token counts, a function's result does not unless cacheKey says so", () => {
    const flow = (subjectToken: string | (() => string), cacheKey?: string) =>
      tokenExchange({ tokenUrl, subjectToken, subjectTokenType: jwtType, cacheKey });
    expect(flow('a').cacheKeyMaterial()).not.toBe(flow('b').cacheKeyMaterial());
    expect(flow(() => 'a').cacheKeyMaterial()).toBe(flow(() => 'b').cacheKeyMaterial());
    expect(flow(() => 'a', 'user-1').cacheKeyMaterial()).not.toBe(
      flow(() => 'a', 'user-2').cacheKeyMaterial(),
    );
  });
});
