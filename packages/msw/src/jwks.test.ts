/** JWT access tokens verified with WebCrypto against the served JWK Set; RFC 8414 metadata. */
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { JsonWebKeySet } from './jwks.ts';
import { mockOAuthServer } from './mock-oauth-server.ts';
import { basic, json } from './test-support/http.ts';

const es = mockOAuthServer({
  issuer: 'https://es.test',
  clients: { app: 'secret' },
  accessTokenFormat: 'jwt',
  audience: 'https://api.test',
});
const rs = mockOAuthServer({
  issuer: 'https://rs.test/tenant/',
  clients: { app: 'secret' },
  accessTokenFormat: 'jwt',
  signingAlgorithm: 'RS256',
});
const server = setupServer(...es.handlers, ...rs.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

const decode = (part: string) =>
  JSON.parse(
    new TextDecoder().decode(
      Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)),
    ),
  );
const bytes = (part: string) =>
  Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

/** What a resource server would do, with WebCrypto only (no jose): find the key, verify, read. */
async function verifyJwt(token: string, jwksUri: string): Promise<Record<string, unknown>> {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const { alg, kid, typ } = decode(header);
  expect(typ).toBe('at+jwt');
  const { keys } = (await (await fetch(jwksUri)).json()) as JsonWebKeySet;
  const jwk = keys.find((key) => key.kid === kid)!;
  expect(jwk.alg).toBe(alg);
  const algorithm =
    alg === 'ES256'
      ? {
          import: { name: 'ECDSA', namedCurve: 'P-256' },
          verify: { name: 'ECDSA', hash: 'SHA-256' },
        }
      : {
          import: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
          verify: { name: 'RSASSA-PKCS1-v1_5' },
        };
  const key = await crypto.subtle.importKey('jwk', jwk as JsonWebKey, algorithm.import, false, [
    'verify',
  ]);
  const valid = await crypto.subtle.verify(
    algorithm.verify,
    key,
    bytes(signature),
    new TextEncoder().encode(`${header}.${payload}`),
  );
  expect(valid).toBe(true);
  const tampered = await crypto.subtle.verify(
    algorithm.verify,
    key,
    bytes(signature),
    new TextEncoder().encode(`${header}.${payload}x`),
  );
  expect(tampered).toBe(false);
  return decode(payload);
}

describe.each([
  ['ES256', es, 'https://es.test'],
  ['RS256', rs, 'https://rs.test/tenant'],
])('%s', (_alg, oauth, issuer) => {
  test('RFC 8414 metadata lists the endpoints', async () => {
    const metadata = await json(await fetch(`${issuer}/.well-known/oauth-authorization-server`));
    expect(metadata).toMatchObject({
      issuer,
      token_endpoint: `${issuer}/token`,
      authorization_endpoint: `${issuer}/authorize`,
      jwks_uri: `${issuer}/jwks`,
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    });
    expect(oauth.endpoints.metadata).toBe(`${issuer}/.well-known/oauth-authorization-server`);
  });

  test('an issued JWT verifies against the served JWK and carries RFC 9068 claims', async () => {
    const metadata = await json(await fetch(oauth.endpoints.metadata));
    const response = await fetch(String(metadata.token_endpoint), {
      method: 'POST',
      headers: { Authorization: basic('app', 'secret') },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'read' }),
    });
    const { access_token, expires_in } = await json(response);
    const claims = await verifyJwt(String(access_token), String(metadata.jwks_uri));
    expect(claims).toMatchObject({
      iss: issuer,
      sub: 'app',
      client_id: 'app',
      scope: 'read',
      jti: expect.any(String),
    });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(expires_in);
    expect('aud' in claims).toBe(oauth === es);
  });
});

test('the JWK carries no private part', async () => {
  const { keys } = (await (await fetch(es.endpoints.jwks)).json()) as JsonWebKeySet;
  expect(keys).toHaveLength(1);
  expect(Object.keys(keys[0]!).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
});
