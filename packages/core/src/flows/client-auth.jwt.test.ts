/**
 * private_key_jwt and client_secret_jwt through createTokenManager: every algorithm and key form,
 * the claims of RFC 7523 §3, a fresh jti and exp for every attempt sent, on every flow.
 */
import { describe, expect, test } from 'vitest';
import { managersClosedAfterEach } from '../test-support/manager-cleanup.ts';
import { recordingTokenEndpoint, testKeyPair, verifyJwt } from '../test-support/signing-keys.ts';
import { authorizationCode } from './authorization-code.ts';
import { clientCredentials } from './client-credentials.ts';
import { refreshToken } from './refresh-token.ts';

const tokenUrl = 'https://auth.example.com/oauth2/token';
const assertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const now = 1_767_225_600_000; // 2026-01-01T00:00:00Z

describe('private_key_jwt', () => {
  const manage = managersClosedAfterEach();

  test.each([
    { algorithm: 'RS256', form: 'pem' },
    { algorithm: 'PS256', form: 'pem' },
    { algorithm: 'ES256', form: 'pem' },
    { algorithm: 'EdDSA', form: 'pem' },
    { algorithm: 'RS256', form: 'jwk' },
    { algorithm: 'PS256', form: 'jwk' },
    { algorithm: 'ES256', form: 'jwk' },
    { algorithm: 'EdDSA', form: 'jwk' },
    { algorithm: 'RS256', form: 'cryptoKey' },
    { algorithm: 'PS256', form: 'cryptoKey' },
    { algorithm: 'ES256', form: 'cryptoKey' },
    { algorithm: 'EdDSA', form: 'cryptoKey' },
  ] as const)(
    '$algorithm from a $form: a verifiable assertion with the RFC 7523 claims',
    async ({ algorithm, form }) => {
      const keys = await testKeyPair(algorithm);
      const privateKey = form === 'pem' ? keys.pem : form === 'jwk' ? keys.jwk : keys.privateKey;
      const endpoint = recordingTokenEndpoint();
      const tokens = manage({
        flow: clientCredentials({
          tokenUrl,
          clientId: 'app-1',
          privateKey,
          // RSA keys sign RS256 unless PS256 is asked for (a PEM or JWK could be either).
          ...(algorithm === 'PS256' && form !== 'cryptoKey' && { signingAlgorithm: 'PS256' }),
        }),
        fetch: endpoint.fetch,
        now: () => now,
      });
      expect((await tokens.getToken()).accessToken).toBe('at-from-endpoint');
      const [body] = endpoint.bodies;
      expect(body?.get('client_assertion_type')).toBe(assertionType);
      expect(body?.get('client_id')).toBe('app-1');
      expect(body?.get('client_secret')).toBeNull();
      expect(endpoint.headers[0]?.get('authorization')).toBeNull();
      const { header, claims } = await verifyJwt(
        body?.get('client_assertion') ?? '',
        keys.publicKey,
        algorithm,
      );
      expect(header).not.toHaveProperty('kid');
      expect(claims).toEqual({
        iss: 'app-1',
        sub: 'app-1',
        aud: tokenUrl,
        jti: expect.stringMatching(/^[\w-]{22}$/),
        iat: now / 1000,
        exp: now / 1000 + 60,
      });
    },
  );

  test('keyId becomes kid; assertionAudience and assertionLifetimeSeconds set aud and exp', async () => {
    const keys = await testKeyPair('ES256');
    const endpoint = recordingTokenEndpoint();
    const tokens = manage({
      flow: clientCredentials({
        tokenUrl,
        clientId: 'app-1',
        privateKey: keys.jwk,
        keyId: 'key-2026-01',
        assertionAudience: 'https://auth.example.com/',
        assertionLifetimeSeconds: 300,
      }),
      fetch: endpoint.fetch,
      now: () => now,
    });
    await tokens.getToken();
    const { header, claims } = await verifyJwt(
      endpoint.bodies[0]?.get('client_assertion') ?? '',
      keys.publicKey,
      'ES256',
    );
    expect(header).toMatchObject({ kid: 'key-2026-01', typ: 'JWT' });
    expect(claims).toMatchObject({ aud: 'https://auth.example.com/', exp: now / 1000 + 300 });
  });

  test('every attempt sent carries a fresh jti and an iat of its own time (a retried 503)', async () => {
    const keys = await testKeyPair('ES256');
    let clock = now;
    const endpoint = recordingTokenEndpoint();
    let calls = 0;
    const tokens = manage({
      flow: clientCredentials({ tokenUrl, clientId: 'app-1', privateKey: keys.privateKey }),
      fetch: async (input, init) => {
        calls++;
        clock += 5_000;
        await endpoint.fetch(input, init);
        return calls === 1
          ? new Response('busy', { status: 503 })
          : Response.json({ access_token: 'at-2', expires_in: 60 });
      },
      now: () => clock,
      retry: { limit: 1, baseDelayMs: 1, maxDelayMs: 1 },
    });
    await tokens.getToken();
    const claims = await Promise.all(
      endpoint.bodies.map(
        async (body) =>
          (await verifyJwt(body.get('client_assertion') ?? '', keys.publicKey, 'ES256')).claims,
      ),
    );
    expect(claims).toHaveLength(2);
    expect(claims[0]?.jti).not.toBe(claims[1]?.jti);
    // The clock moves 5 s with each answer: the retry's assertion is signed 5 s after the first.
    expect(claims.map((c) => c.iat)).toEqual([now / 1000, now / 1000 + 5]);
  });

  test('each token request signs anew (forceRefresh)', async () => {
    const keys = await testKeyPair('EdDSA');
    const endpoint = recordingTokenEndpoint();
    const tokens = manage({
      flow: clientCredentials({ tokenUrl, clientId: 'app-1', privateKey: keys.pem }),
      fetch: endpoint.fetch,
    });
    await tokens.getToken();
    await tokens.getToken({ forceRefresh: true });
    const assertions = endpoint.bodies.map((body) => body.get('client_assertion'));
    expect(new Set(assertions).size).toBe(2);
  });

  test('authorizationCode and refreshToken authenticate their exchange and refreshes the same way', async () => {
    const keys = await testKeyPair('ES256');
    const endpoint = recordingTokenEndpoint(() =>
      Response.json({ access_token: 'at', refresh_token: 'rt-next', expires_in: 3600 }),
    );
    const code = manage({
      flow: authorizationCode({
        tokenUrl,
        clientId: 'web',
        privateKey: keys.jwk,
        code: 'c-1',
        redirectUri: 'https://app.example/cb',
      }),
      fetch: endpoint.fetch,
    });
    await code.getToken();
    await code.getToken({ forceRefresh: true });
    const refresh = manage({
      flow: refreshToken({
        tokenUrl,
        clientId: 'web',
        privateKey: keys.jwk,
        refreshToken: 'rt-start',
      }),
      fetch: endpoint.fetch,
    });
    await refresh.getToken();
    expect(endpoint.bodies.map((body) => body.get('grant_type'))).toEqual([
      'authorization_code',
      'refresh_token',
      'refresh_token',
    ]);
    for (const body of endpoint.bodies) {
      const { claims } = await verifyJwt(
        body.get('client_assertion') ?? '',
        keys.publicKey,
        'ES256',
      );
      expect(claims).toMatchObject({ iss: 'web', sub: 'web', aud: tokenUrl });
    }
  });

  test('a JSON body carries the assertion as JSON fields', async () => {
    const keys = await testKeyPair('ES256');
    const bodies: unknown[] = [];
    const tokens = manage({
      flow: clientCredentials({
        tokenUrl,
        clientId: 'app-1',
        privateKey: keys.jwk,
        bodyFormat: 'json',
      }),
      fetch: async (_input, init) => {
        bodies.push(JSON.parse(String(init?.body)));
        return Response.json({ access_token: 'at' });
      },
    });
    await tokens.getToken();
    expect(bodies[0]).toMatchObject({
      grant_type: 'client_credentials',
      client_id: 'app-1',
      client_assertion_type: assertionType,
      client_assertion: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
    });
  });
});

describe('client_secret_jwt', () => {
  const manage = managersClosedAfterEach();

  test('an HS256 assertion over the client secret; the secret itself is not sent', async () => {
    const clientSecret = 'cs-jwt-secret-0123456789abcdef';
    const endpoint = recordingTokenEndpoint();
    const tokens = manage({
      flow: clientCredentials({
        tokenUrl,
        clientId: 'app-2',
        clientSecret,
        clientAuth: 'client_secret_jwt',
      }),
      fetch: endpoint.fetch,
      now: () => now,
    });
    await tokens.getToken();
    const body = endpoint.bodies[0];
    expect(body?.get('client_secret')).toBeNull();
    expect(body?.toString()).not.toContain(clientSecret);
    expect(body?.get('client_assertion_type')).toBe(assertionType);
    const hmac = await crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(clientSecret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['verify'],
    );
    const { claims } = await verifyJwt(body?.get('client_assertion') ?? '', hmac, 'HS256');
    expect(claims).toMatchObject({
      iss: 'app-2',
      sub: 'app-2',
      aud: tokenUrl,
      exp: now / 1000 + 60,
    });
  });
});
