/** jwtBearer (RFC 7523 §2.1): the assertion as the grant, read per token request; client auth optional. */
import { describe, expect, test } from 'vitest';
import { managersClosedAfterEach } from '../test-support/manager-cleanup.ts';
import { recordingTokenEndpoint, testKeyPair, verifyJwt } from '../test-support/signing-keys.ts';
import { jwtBearer } from './jwt-bearer.ts';

const tokenUrl = 'https://auth.example.com/token';

describe('jwtBearer', () => {
  const manage = managersClosedAfterEach();

  test('grant_type, assertion and scope; no client authentication when none is given', async () => {
    const endpoint = recordingTokenEndpoint();
    const tokens = manage({
      flow: jwtBearer({ tokenUrl, assertion: 'grant.jwt.1', scope: 'orders.read' }),
      fetch: endpoint.fetch,
    });
    await tokens.getToken();
    expect(Object.fromEntries(endpoint.bodies[0] ?? [])).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: 'grant.jwt.1',
      scope: 'orders.read',
    });
  });

  test('an assertion function is called for every token request, and private_key_jwt authenticates the client', async () => {
    const keys = await testKeyPair('ES256');
    const endpoint = recordingTokenEndpoint();
    let n = 0;
    const tokens = manage({
      flow: jwtBearer({
        tokenUrl,
        assertion: async () => `grant.jwt.${++n}`,
        clientId: 'svc',
        privateKey: keys.jwk,
      }),
      fetch: endpoint.fetch,
    });
    await tokens.getToken();
    await tokens.getToken({ forceRefresh: true });
    expect(endpoint.bodies.map((body) => body.get('assertion'))).toEqual([
      'grant.jwt.1',
      'grant.jwt.2',
    ]);
    const { claims } = await verifyJwt(
      endpoint.bodies[1]?.get('client_assertion') ?? '',
      keys.publicKey,
      'ES256',
    );
    expect(claims).toMatchObject({ iss: 'svc', aud: tokenUrl });
  });

  test('an empty assertion is a TypeError naming the option', () => {
    expect(() => jwtBearer({ tokenUrl, assertion: '' })).toThrow(
      /^jwtBearer: assertion must be a non-empty string or a function returning one$/,
    );
  });

  test("the cache key: a string assertion counts, a function's result does not unless cacheKey says so", () => {
    const flow = (assertion: string | (() => string), cacheKey?: string) =>
      jwtBearer({ tokenUrl, assertion, cacheKey }).cacheKeyMaterial();
    expect(flow('grant.a')).not.toBe(flow('grant.b'));
    expect(flow(() => 'grant.a')).toBe(flow(() => 'grant.b'));
    expect(flow(() => 'grant.a', 'subject-1')).not.toBe(flow(() => 'grant.a', 'subject-2'));
    // Given a cacheKey, it says who the subject is: the assertion itself (string or not) does not.
    expect(flow('grant.a', 'subject-1')).toBe(flow(() => 'grant.b', 'subject-1'));
  });

  test('a cacheKey that is not a non-empty string is a TypeError naming the option', () => {
    for (const cacheKey of ['', ' ', 7])
      expect(() => jwtBearer({ tokenUrl, assertion: 'a', cacheKey } as never)).toThrow(
        /^jwtBearer: cacheKey must be a non-empty string$/,
      );
  });
});
